"""Demo good practices for a local trial (after `seed_demo`): published ones in the catalogue, one
waiting for the secretariat's review, one draft. Illustrative text, not real results.

Idempotent: a practice is found by its Spanish title. Written through the services, as people would.
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction

from countries.models import Country
from gcm.models import GuidingPrinciple, Objective, Organization
from practices import services
from practices.models import GoodPractice, PracticeStatus
from roadmaps.models import Action

PRACTICES = [
    {
        "author": "focal-sv",
        "state": PracticeStatus.PUBLISHED,
        "countries": ["SV"],
        "objectives": [21, 7],
        "principles": ["people_centred", "whole_of_government"],
        "partners": ["iom"],
        "actions": [("return-and-reintegration-2024-2027", "A1")],
        "title_es": "Ventanilla única de atención a personas retornadas en el aeropuerto",
        "title_en": "One-stop reception desk for returned nationals at the airport",
        "summary_es": "Recepción, documentación, atención psicosocial y referencia a empleo en un solo lugar.",
        "summary_en": "Reception, documents, psychosocial care and job referrals in one place.",
        "language": "es",
        "start_date": "2024-03-01",
        "what_was_done": (
            "Se reunió en un mismo espacio a migración, salud, registro civil y el servicio público de empleo. "
            "Se capacitó al personal en atención psicosocial y en la detección de necesidades de protección."
        ),
        "results": "Ejemplo ilustrativo: 1 200 personas atendidas en seis meses; 300 referidas a empleo.",
        "lessons_learned": (
            "La coordinación interinstitucional funciona cuando cada institución tiene un turno fijo en la "
            "ventanilla y un registro compartido de referencias."
        ),
        "replication_needs": "Un espacio en el punto de entrada, un acuerdo entre instituciones y personal capacitado.",
        "contact_role": "Dirección de Atención al Migrante",
    },
    {
        "author": "focal-gt",
        "state": PracticeStatus.PUBLISHED,
        "countries": ["GT"],
        "objectives": [4, 14],
        "principles": ["human_rights"],
        "partners": [],
        "actions": [],
        "title_es": "Registro consular móvil en zonas agrícolas",
        "title_en": "Mobile consular registration in farming areas",
        "summary_es": "Consulados móviles que emiten documentos de identidad donde trabajan las personas migrantes.",
        "summary_en": "Mobile consulates that issue identity documents where migrant workers are.",
        "language": "es",
        "start_date": "2023-06-01",
        "end_date": "2024-12-31",
        "what_was_done": (
            "Jornadas consulares los fines de semana en fincas y comunidades, con cita previa por teléfono."
        ),
        "results": "Ejemplo ilustrativo: 4 500 documentos emitidos en 40 jornadas.",
        "lessons_learned": "Acercar el servicio reduce costos y miedo; los empleadores facilitan el acceso.",
        "replication_needs": "Equipo portátil de registro, conectividad y acuerdos con las organizaciones locales.",
        "contact_role": "Dirección General de Asuntos Consulares",
    },
    {
        "author": "secretariat",
        "state": PracticeStatus.PUBLISHED,
        "countries": ["CA"],
        "objectives": [6],
        "principles": ["international_cooperation", "gender_responsive"],
        "partners": ["ilo"],
        "actions": [("regular-labour-pathways-2024-2027", "A1")],
        "title_es": "Licencias para reclutadores y prohibición de cobrar comisiones a trabajadores",
        "title_en": "Recruiter licensing and a ban on fees charged to workers",
        "summary_es": "",
        "summary_en": "Employers pay recruitment costs; licensed recruiters only; complaints line in Spanish.",
        "language": "en",
        "start_date": "2022-01-01",
        "what_was_done": "Provincial licensing of recruiters, a public registry and inspections of employers.",
        "results": "Illustrative example: complaints resolved within 60 days; fewer workers in debt on arrival.",
        "lessons_learned": "Publishing the registry of licensed recruiters is what workers actually use.",
        "replication_needs": "A legal basis for licensing, an inspection service and outreach in origin countries.",
        "contact_role": "Labour standards branch",
    },
    {
        "author": "focal-sv",
        "state": PracticeStatus.SUBMITTED,
        "countries": ["SV"],
        "objectives": [7],
        "principles": ["child_sensitive"],
        "partners": ["unicef"],
        "actions": [("protection-of-migrant-children-2024-2027", "A1")],
        "title_es": "Protocolo de recepción de niñas, niños y adolescentes no acompañados",
        "title_en": "",
        "summary_es": "Un protocolo único para la recepción y el cuidado inmediato de la niñez no acompañada.",
        "summary_en": "",
        "language": "es",
        "what_was_done": "Se acordó un protocolo entre migración, la institución de niñez y la fiscalía.",
        "results": "",
        "lessons_learned": "La figura de una persona de referencia por caso evita entrevistas repetidas.",
        "contact_role": "Unidad de niñez y adolescencia",
    },
    {
        "author": "focal-gt",
        "state": PracticeStatus.DRAFT,
        "countries": ["GT"],
        "objectives": [],
        "principles": [],
        "partners": [],
        "actions": [],
        "title_es": "Ferias de empleo para personas retornadas (borrador)",
        "title_en": "",
        "summary_es": "",
        "summary_en": "",
        "language": "es",
        "what_was_done": "",
        "lessons_learned": "",
    },
]
RELATIONS = ("countries", "objectives", "principles", "partners", "actions")


def _values(spec: dict) -> dict:
    values = {key: value for key, value in spec.items() if key not in ("author", "state", *RELATIONS)}
    values["countries"] = list(Country.objects.filter(code__in=spec["countries"]))
    values["objectives"] = list(Objective.objects.filter(number__in=spec["objectives"]))
    values["principles"] = list(GuidingPrinciple.objects.filter(code__in=spec["principles"]))
    values["partners"] = list(Organization.objects.filter(key__in=spec["partners"]))
    values["actions"] = [
        action
        for slug, code in spec["actions"]
        for action in Action.objects.filter(
            roadmap__slug=slug, code=code, countries__code__in=spec["countries"]
        ).distinct()
    ]
    return values


@transaction.atomic
def seed_practices(log: Callable[[str], None] = lambda message: None) -> int:
    """Create the demo practices that are missing; returns how many were created."""
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=["secretariat", "focal-sv", "focal-gt"])
    }
    if len(users) != 3:
        log("Demo accounts missing: run seed_demo first.")
        return 0
    created = 0
    for spec in PRACTICES:
        if GoodPractice.objects.filter(title_es=spec["title_es"]).exists():
            continue
        author = users[spec["author"]]
        practice = services.practice_save_draft(user=author, values=_values(spec))
        if spec["state"] in (PracticeStatus.SUBMITTED, PracticeStatus.PUBLISHED):
            services.practice_submit(practice=practice, user=author)
        if spec["state"] == PracticeStatus.PUBLISHED:
            services.practice_publish(practice=practice, reviewer=users["secretariat"])
        created += 1
    log(f"Good practices: {created} created, {GoodPractice.objects.count()} in all.")
    return created
