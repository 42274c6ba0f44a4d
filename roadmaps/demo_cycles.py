"""Demo reporting cycles: `rr-2025` (the II Forum to the end of 2024), closed with its snapshot, and
`annual-2026`, open. The reports of rr-2025 are dated in late 2024 and approved before it closes; the
demo's other reports (roadmaps.demo.UPDATES, dated in the last months) then fall into annual-2026."""

import datetime

from countries.models import Country
from roadmaps import cycles, services
from roadmaps.models import ActionStatus, CycleState, ReportingCycle

CYCLES = [
    {
        "key": "rr-2025",
        "title_en": "Second Regional Review of the GCM, 2025",
        "title_es": "Segunda Revisión Regional del PMM, 2025",
        "period_start": datetime.date(2024, 9, 25),
        "period_end": datetime.date(2024, 12, 31),
        "opens_on": datetime.date(2025, 1, 6),
        "deadline": datetime.date(2025, 2, 28),
        "expected": ["SV", "GT", "HN"],
        "note_en": "Contributions of the Champion Countries to the Second Regional Review, from the II Forum on.",
        "note_es": "Aportes de los Países Campeones a la Segunda Revisión Regional, desde el II Foro.",
    },
    {
        "key": "annual-2026",
        "title_en": "Annual report 2026",
        "title_es": "Informe anual 2026",
        "period_start": datetime.date(2026, 1, 1),
        "period_end": datetime.date(2026, 12, 31),
        "opens_on": datetime.date(2026, 11, 1),
        "deadline": datetime.date(2027, 1, 31),
        "expected": [],
        "note_en": "Every country responsible for an action of an active roadmap reports on 2026.",
        "note_es": "Cada país responsable de una acción de una hoja de ruta activa informa sobre 2026.",
    },
]

# Reports of rr-2025: (roadmap, action, country, status, percent, reporting date, narrative)
EARLY_REPORTS = [
    (
        "regular-labour-pathways-2024-2027",
        "A1",
        "SV",
        ActionStatus.ON_TRACK,
        40,
        datetime.date(2024, 11, 20),
        "Se acordó la metodología del estudio de demanda de competencias con la OIT.",
    ),
    (
        "regular-labour-pathways-2024-2027",
        "A1",
        "GT",
        ActionStatus.ON_TRACK,
        20,
        datetime.date(2024, 12, 10),
        "Se designó el equipo técnico del Ministerio de Trabajo para el estudio regional.",
    ),
    (
        "protection-of-migrant-children-2024-2027",
        "A1",
        "GT",
        ActionStatus.AT_RISK,
        10,
        datetime.date(2024, 12, 15),
        "El protocolo común espera la firma de las instituciones de protección de la niñez.",
    ),
    (
        "protection-of-migrant-children-2024-2027",
        "A1",
        "SV",
        ActionStatus.ON_TRACK,
        25,
        datetime.date(2024, 12, 18),
        "Se validó el borrador del protocolo con el CONNA y la OIM.",
    ),
]


def seed_cycles(actions: dict, users: dict, *, before_close=None) -> None:
    """Create the two cycles (once); report, approve and close rr-2025; open annual-2026."""
    if ReportingCycle.objects.filter(key__in=[c["key"] for c in CYCLES]).exists():
        return
    secretariat = users["secretariat"]
    focal = {"SV": users["focal-sv"], "GT": users["focal-gt"]}
    countries = {c.code: c for c in Country.objects.filter(code__in=["SV", "GT", "HN"])}
    made = {}
    for spec in CYCLES:
        values = {k: v for k, v in spec.items() if k != "expected"}
        cycle = ReportingCycle.objects.create(**values, state=CycleState.PLANNED)
        cycle.expected_countries.set([countries[code] for code in spec["expected"]])
        made[spec["key"]] = cycles.cycle_open(cycle=cycle, user=secretariat)
    for slug, code, country, status, percent, day, narrative in EARLY_REPORTS:
        update = services.progress_update_submit(
            action=actions[(slug, code)],
            country=countries[country],
            author=focal[country],
            status=status,
            percent_complete=percent,
            narrative=narrative,
            reporting_date=day,
            cycle=made["rr-2025"],
        )
        services.progress_update_approve(update=update, reviewer=secretariat)
    if before_close is not None:  # e.g. the demo's indicator values of rr-2025 (roadmaps.demo_indicators)
        before_close(made["rr-2025"])
    cycles.cycle_close(
        cycle=made["rr-2025"],
        user=secretariat,
        reason="Closed as agreed with the Champion Countries; Honduras reports in the next cycle.",
    )
