"""Demo data: a believable picture of the follow-up of the II Regional Forum of Champion Countries of the
Americas (San Salvador, September 2024). Used by `manage.py seed_demo`; for local trial only.

Idempotent: rows are found by their natural keys (usernames, slugs, roadmap + action code, and an
update's action + country + narrative) and created only when missing; a second run adds nothing.
Progress updates go through `roadmaps.services`, so approved ones set their action's status and
percent exactly as a real review would.
"""

import datetime
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.groups import ensure_groups
from accounts.models import profile_for
from accounts.roles import PARTNERS_GROUP, SECRETARIAT_GROUP
from countries.models import Country, FocalPoint
from gcm.models import Forum, GuidingPrinciple, Objective, Organization
from gcm.reference_loader import II_FORUM_KEY, load_reference, reference_loaded
from roadmaps import services
from roadmaps.demo_cycles import seed_cycles
from roadmaps.demo_indicators import RR_2025_DAY, report_indicator_values, seed_indicators
from roadmaps.models import (
    Action,
    ActionStatus,
    CycleState,
    ProgressUpdate,
    ReportingCycle,
    ReviewState,
    Roadmap,
    RoadmapStatus,
    Theme,
    Visibility,
)

ACCOUNTS = [
    # username, first name, last name, preferred language, role, what the account is
    ("secretariat", "Ana", "Morales", "en", "secretariat", "RCM Technical Secretariat (staff, admin, reviews)"),
    ("focal-sv", "Carlos", "Hernández", "es", "focal:SV", "focal point for El Salvador (web forms, in Spanish)"),
    ("focal-gt", "María", "Xicará", "es", "focal:GT", "focal point for Guatemala (web forms)"),
    ("partner", "Jordan", "Reyes", "en", "partner", "partner (API token, partners-only roadmaps)"),
]

THEMES = [
    {
        "slug": "regular-labour-pathways",
        "title_en": "Regular labour pathways",
        "title_es": "Vías regulares de migración laboral",
        "description_en": "Temporary and circular work programmes, fair recruitment and the recognition of skills.",
        "description_es": (
            "Programas de trabajo temporal y circular, contratación equitativa y reconocimiento de competencias."
        ),
    },
    {
        "slug": "protection-of-migrant-children",
        "title_en": "Protection of migrant children and adolescents",
        "title_es": "Protección de niñas, niños y adolescentes migrantes",
        "description_en": "Best interests of the child at every stage of migration: reception, care, family tracing.",
        "description_es": (
            "El interés superior de la niñez en todas las etapas de la migración: recepción, cuidado, "
            "búsqueda de familias."
        ),
    },
    {
        "slug": "return-and-reintegration",
        "title_en": "Return and sustainable reintegration",
        "title_es": "Retorno y reintegración sostenible",
        "description_en": "Dignified reception of returned nationals and their economic and social reintegration.",
        "description_es": "Recepción digna de connacionales retornados y su reintegración económica y social.",
    },
    {
        "slug": "migration-data-exchange",
        "title_en": "Migration data and information exchange",
        "title_es": "Datos migratorios e intercambio de información",
        "description_en": "Comparable statistics, open data and the secure exchange of information between countries.",
        "description_es": (
            "Estadísticas comparables, datos abiertos e intercambio seguro de información entre países."
        ),
    },
]

# Dates: an ISO string is a fixed date; an int is a number of days from the day the command runs, so
# that some actions are always overdue and some always due within the next two weeks.
ROADMAPS = [
    {
        "slug": "regular-labour-pathways-2024-2027",
        "theme": "regular-labour-pathways",
        "title_en": "Roadmap on regular labour pathways 2024–2027",
        "title_es": "Hoja de ruta sobre vías regulares de migración laboral 2024–2027",
        "description_en": (
            "Agreed at the II Forum: more and better regular pathways for workers of the region, with fair "
            "recruitment and recognised skills, so that fewer people take irregular and dangerous routes."
        ),
        "description_es": (
            "Acordada en el II Foro: más y mejores vías regulares para las personas trabajadoras de la región, "
            "con contratación equitativa y competencias reconocidas, para que menos personas emprendan rutas "
            "irregulares y peligrosas."
        ),
        "lead": "CA",
        "countries": ["CA", "SV", "GT", "HN", "CR", "PA", "DO", "US"],
        "organizations": ["ilo", "iom", "undp"],
        "objectives": [5, 6, 18],
        "principles": ["people_centred", "international_cooperation", "whole_of_government", "gender_responsive"],
        "start": "2024-10-15",
        "end": "2027-06-30",
        "status": RoadmapStatus.ACTIVE,
        "visibility": Visibility.PUBLIC,
        "actions": [
            {
                "code": "A1",
                "title_en": "Map labour shortages and skills demand in the region's temporary work programmes",
                "title_es": (
                    "Mapear la escasez de mano de obra y la demanda de competencias en los programas de trabajo "
                    "temporal de la región"
                ),
                "description_en": "A shared study of the sectors and occupations that destination countries need.",
                "description_es": (
                    "Un estudio conjunto de los sectores y ocupaciones que necesitan los países de destino."
                ),
                "countries": ["SV", "GT", "HN"],
                "organizations": ["ilo"],
                "objectives": [18, 1],
                "start": "2024-10-15",
                "due": "2025-06-30",
                "indicator": "Regional skills-demand study published",
                "baseline": "No shared study",
                "target": "1 study, updated every two years",
            },
            {
                "code": "A2",
                "title_en": "Expand seasonal agricultural worker placements with pre-departure orientation",
                "title_es": (
                    "Ampliar las colocaciones de trabajadores agrícolas temporales con orientación previa a la partida"
                ),
                "description_en": "More placements each season, and a two-day orientation on rights and contracts.",
                "description_es": (
                    "Más colocaciones cada temporada y una orientación de dos días sobre derechos y contratos."
                ),
                "countries": ["CA", "GT"],
                "organizations": ["iom"],
                "objectives": [5, 6],
                "start": "2025-01-15",
                "due": "2026-12-31",
                "status": ActionStatus.ON_TRACK,
                "percent": 45,
                "indicator": "Workers placed per season",
                "baseline": "2,100 (2024)",
                "target": "3,500 (2026)",
            },
            {
                "code": "A3",
                "title_en": "Open one-stop information centres on regular labour migration pathways",
                "title_es": "Abrir ventanillas únicas de información sobre vías regulares de migración laboral",
                "description_en": (
                    "One-stop centres where workers learn about regular labour migration pathways, their "
                    "requirements and their rights, and are warned about fraudulent recruiters."
                ),
                "description_es": (
                    "Ventanillas únicas donde las personas trabajadoras conocen las vías regulares de migración "
                    "laboral, sus requisitos y sus derechos, y reciben alertas sobre reclutadores fraudulentos."
                ),
                "countries": ["SV"],
                "organizations": ["iom", "ilo"],
                "objectives": [5, 3],
                "start": "2025-02-01",
                "due": 9,
                "indicator": "Centres open",
                "baseline": "0",
                "target": "3",
            },
            {
                "code": "A4",
                "title_en": "Agree a regional guide on fair and ethical recruitment with no fees charged to workers",
                "title_es": (
                    "Acordar una guía regional sobre contratación equitativa y ética sin cobro de comisiones a "
                    "los trabajadores"
                ),
                "description_en": (
                    "Based on the ILO General Principles and Operational Guidelines for Fair Recruitment."
                ),
                "description_es": (
                    "Basada en los Principios generales y directrices prácticas de la OIT para una contratación "
                    "equitativa."
                ),
                "countries": ["CR", "PA"],
                "organizations": ["ilo"],
                "objectives": [6],
                "start": "2025-07-01",
                "due": -45,
                "status": ActionStatus.DELAYED,
                "percent": 40,
                "depends_on": ["A1"],
            },
            {
                "code": "A5",
                "title_en": "Certify the skills of departing and returning workers with mutual recognition",
                "title_es": (
                    "Certificar las competencias de los trabajadores que parten y retornan con reconocimiento mutuo"
                ),
                "description_en": "Mutual recognition of certificates between two pilot countries and two sectors.",
                "description_es": "Reconocimiento mutuo de certificados entre dos países piloto y en dos sectores.",
                "countries": ["HN", "DO"],
                "organizations": ["ilo", "undp"],
                "objectives": [18],
                "start": "2025-09-01",
                "due": "2027-03-31",
                "depends_on": ["A1"],
            },
            {
                "code": "A6",
                "title_en": "Pilot a temporary non-agricultural work visa channel for Guatemalan workers",
                "title_es": (
                    "Poner a prueba un canal de visas de trabajo temporal no agrícola para trabajadores guatemaltecos"
                ),
                "description_en": (
                    "A pilot with employers in construction and hospitality, with recruitment by the state."
                ),
                "description_es": (
                    "Un piloto con empleadores de la construcción y la hostelería, "
                    "con reclutamiento a cargo del Estado."
                ),
                "countries": ["US", "GT"],
                "organizations": ["iom"],
                "objectives": [5],
                "start": "2025-03-01",
                "due": -60,
                "status": ActionStatus.ON_TRACK,
                "percent": 30,
            },
            {
                "code": "A7",
                "title_en": "Publish an annual regional report on labour migration flows and outcomes",
                "title_es": "Publicar un informe regional anual sobre flujos y resultados de la migración laboral",
                "description_en": "Placements, wages, complaints and returns, by country and by sex.",
                "description_es": "Colocaciones, salarios, quejas y retornos, por país y por sexo.",
                "countries": ["SV", "GT", "HN", "CR", "PA", "DO"],
                "organizations": ["ilo", "eclac"],
                "objectives": [1, 5],
                "start": "2025-10-01",
                "due": "2027-06-30",
            },
        ],
    },
    {
        "slug": "protection-of-migrant-children-2024-2027",
        "theme": "protection-of-migrant-children",
        "title_en": "Roadmap for the protection of migrant children and adolescents",
        "title_es": "Hoja de ruta para la protección de niñas, niños y adolescentes migrantes",
        "description_en": (
            "Countries of origin, transit and destination commit to put the best interests of the child first: "
            "safe reception, no detention, family tracing and return to school."
        ),
        "description_es": (
            "Los países de origen, tránsito y destino se comprometen a anteponer el interés superior de la niñez: "
            "recepción segura, no detención, búsqueda de familias y regreso a la escuela."
        ),
        "lead": "GT",
        "countries": ["GT", "SV", "HN", "CR", "PA", "BZ", "US", "CA"],
        "organizations": ["unicef", "iom", "unhcr", "ohchr"],
        "objectives": [7, 8, 13, 14],
        "principles": ["child_sensitive", "human_rights", "rule_of_law_and_due_process"],
        "start": "2024-11-01",
        "end": "2027-12-31",
        "status": RoadmapStatus.ACTIVE,
        "visibility": Visibility.PUBLIC,
        "actions": [
            {
                "code": "A1",
                "title_en": (
                    "Adopt a regional protocol for the best-interests determination of unaccompanied children"
                ),
                "title_es": (
                    "Adoptar un protocolo regional para la determinación del interés superior de niñas, niños y "
                    "adolescentes no acompañados"
                ),
                "description_en": "One protocol, the same steps in every country, agreed by child-protection bodies.",
                "description_es": (
                    "Un protocolo, los mismos pasos en cada país, acordado por las instituciones de protección "
                    "de la niñez."
                ),
                "countries": ["GT", "SV", "HN"],
                "organizations": ["unicef", "unhcr"],
                "objectives": [7],
                "start": "2024-11-01",
                "due": "2025-11-30",
            },
            {
                "code": "A2",
                "title_en": "Establish child-friendly reception spaces at the main border crossings",
                "title_es": (
                    "Establecer espacios de recepción amigables para la niñez en los principales puestos fronterizos"
                ),
                "description_en": "Separate, safe spaces with child-protection staff at six border crossings.",
                "description_es": (
                    "Espacios separados y seguros con personal de protección de la niñez en seis puestos fronterizos."
                ),
                "countries": ["GT", "SV"],
                "organizations": ["unicef", "iom"],
                "objectives": [7, 14],
                "start": "2025-03-01",
                "due": 12,
                "depends_on": ["A1"],
                "indicator": "Border crossings with a child-friendly space",
                "baseline": "1",
                "target": "6",
            },
            {
                "code": "A3",
                "title_en": "Replace the detention of migrant children with community-based care alternatives",
                "title_es": (
                    "Sustituir la detención de niñas, niños y adolescentes migrantes por alternativas de cuidado "
                    "comunitario"
                ),
                "description_en": "Foster families and community shelters instead of closed facilities.",
                "description_es": "Familias de acogida y albergues comunitarios en lugar de centros cerrados.",
                "countries": ["CR", "PA"],
                "organizations": ["unicef", "ohchr"],
                "objectives": [13],
                "start": "2025-01-15",
                "due": -90,
                "status": ActionStatus.AT_RISK,
                "percent": 50,
            },
            {
                "code": "A4",
                "title_en": "Train consular staff on the protection of migrant children and adolescents",
                "title_es": "Capacitar al personal consular en la protección de niñas, niños y adolescentes migrantes",
                "description_en": "A common course for consulates along the migration route.",
                "description_es": "Un curso común para los consulados a lo largo de la ruta migratoria.",
                "countries": ["HN", "BZ"],
                "organizations": ["unicef", "iom"],
                "objectives": [14],
                "start": "2025-04-01",
                "due": -20,
                "status": ActionStatus.ON_TRACK,
                "percent": 65,
            },
            {
                "code": "A5",
                "title_en": "Set up a secure case-referral channel to trace families across borders",
                "title_es": (
                    "Crear un canal seguro de referencia de casos para localizar a las familias a través de las "
                    "fronteras"
                ),
                "description_en": "Consulates and child-protection bodies refer cases through one secure channel.",
                "description_es": (
                    "Los consulados y las instituciones de protección de la niñez refieren casos por un único "
                    "canal seguro."
                ),
                "countries": ["SV", "GT", "HN", "US", "CA"],
                "organizations": ["iom", "unhcr"],
                "objectives": [8, 7],
                "start": "2025-06-01",
                "due": "2027-06-30",
            },
            {
                "code": "A6",
                "title_en": "Re-enrol returned children in school within 30 days of arrival",
                "title_es": "Reinsertar en la escuela a la niñez retornada en un plazo de 30 días tras su llegada",
                "description_en": "Schools receive returned children without waiting for certificates from abroad.",
                "description_es": (
                    "Las escuelas reciben a la niñez retornada sin esperar certificados del extranjero."
                ),
                "countries": ["SV"],
                "organizations": ["unicef"],
                "objectives": [7, 21],
                "start": "2025-02-01",
                "due": 40,
                "indicator": "Returned children enrolled within 30 days",
                "baseline": "38 %",
                "target": "90 %",
            },
        ],
    },
    {
        "slug": "return-and-reintegration-2024-2027",
        "theme": "return-and-reintegration",
        "title_en": "Roadmap on return and sustainable reintegration",
        "title_es": "Hoja de ruta sobre retorno y reintegración sostenible",
        "description_en": (
            "Dignified reception of returned nationals, and work, income and support so that reintegration lasts."
        ),
        "description_es": (
            "Recepción digna de connacionales retornados, y empleo, ingresos y acompañamiento para que la "
            "reintegración sea duradera."
        ),
        "lead": "HN",
        "countries": ["HN", "GT", "SV", "US", "CA", "DO", "CO"],
        "organizations": ["iom", "undp", "unhcr"],
        "objectives": [21, 3, 5],
        "principles": ["sustainable_development", "international_cooperation", "whole_of_society"],
        "start": "2024-12-01",
        "end": "2027-11-30",
        "status": RoadmapStatus.ACTIVE,
        "visibility": Visibility.PUBLIC,
        "actions": [
            {
                "code": "A1",
                "title_en": "Harmonise reception procedures for returned nationals at air and land ports",
                "title_es": (
                    "Armonizar los procedimientos de recepción de connacionales retornados en puertos aéreos y "
                    "terrestres"
                ),
                "description_en": "The same reception steps, information and referrals at every port of entry.",
                "description_es": "Los mismos pasos de recepción, información y referencias en cada punto de entrada.",
                "countries": ["HN", "GT", "SV"],
                "organizations": ["iom"],
                "objectives": [21],
                "start": "2024-12-01",
                "due": "2025-09-30",
            },
            {
                "code": "A2",
                "title_en": "Set up one-stop information centres on regular labour migration pathways for returnees",
                "title_es": (
                    "Instalar ventanillas únicas de información sobre vías regulares de migración laboral para "
                    "personas retornadas"
                ),
                "description_en": (
                    "One-stop centres where returnees and prospective workers learn about regular labour migration "
                    "pathways, their requirements and their rights, and are warned about fraudulent recruiters."
                ),
                "description_es": (
                    "Ventanillas únicas donde las personas retornadas y trabajadoras conocen las vías regulares de "
                    "migración laboral, sus requisitos y sus derechos, y reciben alertas sobre reclutadores "
                    "fraudulentos."
                ),
                "countries": ["GT"],
                "organizations": ["iom", "ilo"],
                "objectives": [5, 21],
                "start": "2025-03-01",
                "due": -30,
                "status": ActionStatus.ON_TRACK,
                "percent": 40,
            },
            {
                "code": "A3",
                "title_en": "Link returnees with job placement and entrepreneurship programmes",
                "title_es": "Vincular a las personas retornadas con programas de colocación laboral y emprendimiento",
                "description_en": "Referral from reception to employment services and seed-capital schemes.",
                "description_es": (
                    "Referencia desde la recepción hacia servicios de empleo y programas de capital semilla."
                ),
                "countries": ["HN", "SV"],
                "organizations": ["undp", "iom"],
                "objectives": [21, 18],
                "start": "2025-04-01",
                "due": 7,
                "status": ActionStatus.ON_TRACK,
                "percent": 75,
                "depends_on": ["A1"],
            },
            {
                "code": "A4",
                "title_en": "Share advance notice of returns through an agreed data format",
                "title_es": "Compartir avisos anticipados de retornos mediante un formato de datos acordado",
                "description_en": "Receiving countries know in advance who arrives, so reception can be prepared.",
                "description_es": (
                    "Los países receptores saben con antelación quién llega, para preparar la recepción."
                ),
                "countries": ["US", "CA", "DO"],
                "organizations": ["iom"],
                "objectives": [21, 1],
                "start": "2025-05-01",
                "due": "2026-04-30",
                "status": ActionStatus.COMPLETED,
                "percent": 100,
            },
            {
                "code": "A5",
                "title_en": "Provide psychosocial support to returnees and their families",
                "title_es": "Brindar atención psicosocial a las personas retornadas y sus familias",
                "description_en": "Trained teams in reception centres and follow-up in the communities of return.",
                "description_es": (
                    "Equipos capacitados en los centros de recepción y seguimiento en las comunidades de retorno."
                ),
                "countries": ["CO", "GT"],
                "organizations": ["iom", "unhcr"],
                "objectives": [21],
                "start": "2025-06-01",
                "due": "2027-06-30",
            },
        ],
    },
    {
        "slug": "migration-data-exchange-2024-2027",
        "theme": "migration-data-exchange",
        "title_en": "Roadmap on migration data and information exchange",
        "title_es": "Hoja de ruta sobre datos migratorios e intercambio de información",
        "description_en": (
            "Comparable, disaggregated and open migration data for the region, to plan policy and to report "
            "to the Second Regional Review of the GCM."
        ),
        "description_es": (
            "Datos migratorios comparables, desglosados y abiertos para la región, para planificar políticas e "
            "informar a la Segunda Revisión Regional del Pacto Mundial."
        ),
        "lead": "PA",
        "countries": ["PA", "CR", "SV", "GT", "HN", "CO", "EC", "PE", "CA", "US"],
        "organizations": ["eclac", "iom", "desa", "undp"],
        "objectives": [1, 3, 23],
        "principles": ["international_cooperation", "whole_of_government"],
        "start": "2024-10-01",
        "end": "2027-09-30",
        "status": RoadmapStatus.ACTIVE,
        "visibility": Visibility.PARTNERS,
        "actions": [
            {
                "code": "A1",
                "title_en": "Agree common definitions and indicators for regional migration statistics",
                "title_es": "Acordar definiciones e indicadores comunes para las estadísticas migratorias regionales",
                "description_en": "Aligned with the UN recommendations on statistics of international migration.",
                "description_es": (
                    "Alineadas con las recomendaciones de las Naciones Unidas sobre estadísticas de migración "
                    "internacional."
                ),
                "countries": ["PA", "CR", "SV", "GT"],
                "organizations": ["eclac", "desa"],
                "objectives": [1],
                "start": "2024-10-01",
                "due": "2025-08-31",
            },
            {
                "code": "A2",
                "title_en": "Publish quarterly disaggregated data on returns and transit flows",
                "title_es": "Publicar trimestralmente datos desglosados sobre retornos y flujos en tránsito",
                "description_en": "By sex, age and nationality, in the agreed format.",
                "description_es": "Por sexo, edad y nacionalidad, en el formato acordado.",
                "countries": ["GT", "HN"],
                "organizations": ["iom"],
                "objectives": [1],
                "start": "2025-09-01",
                "due": -15,
                "status": ActionStatus.ON_TRACK,
                "percent": 50,
                "depends_on": ["A1"],
            },
            {
                "code": "A3",
                "title_en": "Exchange good practices on migration registers between South and Central America",
                "title_es": (
                    "Intercambiar buenas prácticas sobre registros migratorios entre Sudamérica y Centroamérica"
                ),
                "description_en": "Peer visits and a shared catalogue of practices on population registers.",
                "description_es": (
                    "Visitas entre pares y un catálogo compartido de prácticas sobre registros de población."
                ),
                "countries": ["CO", "EC", "PE"],
                "organizations": ["eclac"],
                "objectives": [1, 23],
                "start": "2025-03-01",
                "due": 12,
                "status": ActionStatus.ON_TRACK,
                "percent": 80,
            },
            {
                "code": "A4",
                "title_en": "Launch an open regional migration data portal in Spanish and English",
                "title_es": "Lanzar un portal regional de datos migratorios abiertos en español e inglés",
                "description_en": "The agreed indicators, downloadable, with their sources and methods.",
                "description_es": "Los indicadores acordados, descargables, con sus fuentes y métodos.",
                "countries": ["SV", "CR"],
                "organizations": ["eclac", "undp"],
                "objectives": [1, 3],
                "start": "2025-06-01",
                "due": "2027-03-31",
                "depends_on": ["A1"],
            },
            {
                "code": "A5",
                "title_en": "Train national statistics offices on estimating irregular migration",
                "title_es": (
                    "Capacitar a las oficinas nacionales de estadística en la estimación de la migración irregular"
                ),
                "description_en": "A regional workshop and technical assistance to three offices.",
                "description_es": "Un taller regional y asistencia técnica a tres oficinas.",
                "countries": ["CA", "US", "PA"],
                "organizations": ["desa", "iom"],
                "objectives": [1],
                "start": "2025-04-01",
                "due": "2026-07-31",
                "status": ActionStatus.COMPLETED,
                "percent": 100,
            },
        ],
    },
    {
        "slug": "secure-information-exchange-immigration-authorities",
        "theme": "migration-data-exchange",
        "title_en": "Secure exchange of information between immigration authorities",
        "title_es": "Intercambio seguro de información entre autoridades migratorias",
        "description_en": (
            "Draft for the secretariat and the countries concerned: alerts and records shared between "
            "border authorities, with personal data protection and due process."
        ),
        "description_es": (
            "Borrador para la secretaría y los países concernidos: alertas y registros compartidos entre "
            "autoridades fronterizas, con protección de datos personales y debido proceso."
        ),
        "lead": "SV",
        "countries": ["SV", "GT", "HN"],
        "organizations": ["iom", "unodc"],
        "objectives": [10, 11],
        "principles": ["rule_of_law_and_due_process", "national_sovereignty"],
        "start": "2025-10-01",
        "end": "2027-12-31",
        "status": RoadmapStatus.DRAFT,
        "visibility": Visibility.INTERNAL,
        "actions": [
            {
                "code": "A1",
                "title_en": "Sign a memorandum on the exchange of immigration alerts",
                "title_es": "Firmar un memorando sobre el intercambio de alertas migratorias",
                "description_en": "Which alerts, who sees them, how long they are kept.",
                "description_es": "Qué alertas, quién las ve y cuánto tiempo se conservan.",
                "countries": ["SV", "GT", "HN"],
                "organizations": ["iom"],
                "objectives": [11],
                "start": "2025-10-01",
                "due": -10,
            },
            {
                "code": "A2",
                "title_en": "Connect the border information systems of El Salvador and Guatemala",
                "title_es": "Conectar los sistemas de información fronteriza de El Salvador y Guatemala",
                "description_en": "A secure link between the two systems for the agreed alerts only.",
                "description_es": "Un enlace seguro entre ambos sistemas, solo para las alertas acordadas.",
                "countries": ["SV", "GT"],
                "organizations": ["iom"],
                "objectives": [11],
                "start": "2026-01-15",
                "due": "2027-06-30",
                "depends_on": ["A1"],
            },
            {
                "code": "A3",
                "title_en": "Agree joint procedures for identifying victims of trafficking at borders",
                "title_es": "Acordar procedimientos conjuntos para identificar a víctimas de trata en las fronteras",
                "description_en": "Common indicators and referral to protection services.",
                "description_es": "Indicadores comunes y referencia a servicios de protección.",
                "countries": ["GT", "HN"],
                "organizations": ["unodc", "iom"],
                "objectives": [10],
                "start": "2025-11-01",
                "due": "2027-03-31",
                "status": ActionStatus.ON_TRACK,
                "percent": 20,
            },
            {
                "code": "A4",
                "title_en": "Assess personal data protection in the exchange of migration records",
                "title_es": "Evaluar la protección de datos personales en el intercambio de registros migratorios",
                "description_en": "A legal and technical assessment before any data is exchanged.",
                "description_es": "Una evaluación jurídica y técnica antes de intercambiar datos.",
                "countries": ["SV"],
                "organizations": ["unodc"],
                "objectives": [11, 1],
                "start": "2025-10-01",
                "due": 60,
                "status": ActionStatus.ON_TRACK,
                "percent": 50,
            },
            {
                "code": "A5",
                "title_en": "Train border officials on the use of shared alerts with due process",
                "title_es": "Capacitar a funcionarios fronterizos en el uso de alertas compartidas con debido proceso",
                "description_en": "Who may act on an alert, and the rights of the person concerned.",
                "description_es": "Quién puede actuar ante una alerta y los derechos de la persona afectada.",
                "countries": ["HN"],
                "organizations": ["iom", "unodc"],
                "objectives": [11],
                "start": "2026-07-01",
                "due": "2027-12-31",
                "depends_on": ["A2"],
            },
        ],
    },
]

# Progress updates, in the order they are made. `review`: approved, returned (with `comment`) or
# submitted (left for the secretariat). `days_ago`: the reporting date.
UPDATES = [
    {
        "roadmap": "regular-labour-pathways-2024-2027",
        "action": "A1",
        "country": "SV",
        "status": ActionStatus.COMPLETED,
        "percent": 100,
        "days_ago": 150,
        "narrative": (
            "Se publicó el estudio regional sobre demanda de competencias, validado por los ministerios de "
            "trabajo de El Salvador, Guatemala y Honduras."
        ),
        "evidence_url": "https://www.ilo.org/",
        "review": "approved",
    },
    {
        "roadmap": "regular-labour-pathways-2024-2027",
        "action": "A3",
        "country": "SV",
        "status": ActionStatus.ON_TRACK,
        "percent": 70,
        "days_ago": 35,
        "narrative": (
            "Dos de las tres ventanillas están abiertas (San Salvador y San Miguel); han atendido a 1.240 personas."
        ),
        "challenges": "Falta personal capacitado para la tercera ventanilla en Santa Ana.",
        "next_steps": "Contratar y capacitar al personal; abrir la ventanilla de Santa Ana.",
        "review": "approved",
    },
    {
        "roadmap": "regular-labour-pathways-2024-2027",
        "action": "A2",
        "country": "GT",
        "status": ActionStatus.ON_TRACK,
        "percent": 55,
        "days_ago": 4,
        "narrative": (
            "En la temporada 2026 se colocaron 2.950 trabajadores agrícolas; todos recibieron la orientación "
            "previa a la partida."
        ),
        "next_steps": "Evaluar la orientación con los trabajadores al regreso.",
        "review": "submitted",
    },
    {
        "roadmap": "regular-labour-pathways-2024-2027",
        "action": "A6",
        "country": "GT",
        "status": ActionStatus.ON_TRACK,
        "percent": 60,
        "days_ago": 25,
        "narrative": "El piloto avanza con empleadores del sector de la construcción.",
        "review": "returned",
        "comment": (
            "Please attach the list of participating employers or a link to the official report; "
            "60 % is more than the narrative describes."
        ),
    },
    {
        "roadmap": "protection-of-migrant-children-2024-2027",
        "action": "A1",
        "country": "GT",
        "status": ActionStatus.COMPLETED,
        "percent": 100,
        "days_ago": 120,
        "narrative": (
            "El protocolo regional fue aprobado por las instituciones de protección de la niñez de Guatemala, "
            "El Salvador y Honduras."
        ),
        "review": "approved",
    },
    {
        "roadmap": "protection-of-migrant-children-2024-2027",
        "action": "A2",
        "country": "GT",
        "status": ActionStatus.ON_TRACK,
        "percent": 60,
        "days_ago": 50,
        "narrative": "Cuatro de los seis puestos fronterizos cuentan con un espacio amigable para la niñez.",
        "review": "approved",
    },
    {
        "roadmap": "protection-of-migrant-children-2024-2027",
        "action": "A2",
        "country": "SV",
        "status": ActionStatus.ON_TRACK,
        "percent": 85,
        "days_ago": 3,
        "narrative": "Se habilitó el espacio de La Hachadura; queda pendiente el de El Amatillo.",
        "next_steps": "Inaugurar el espacio de El Amatillo antes de fin de mes.",
        "review": "submitted",
    },
    {
        "roadmap": "protection-of-migrant-children-2024-2027",
        "action": "A5",
        "country": "SV",
        "status": ActionStatus.ON_TRACK,
        "percent": 50,
        "days_ago": 18,
        "narrative": "Se diseñó el canal de referencia de casos.",
        "review": "returned",
        "comment": (
            "The narrative describes a design, not a working channel: please correct the percent and say "
            "which consulates take part in the pilot."
        ),
    },
    {
        "roadmap": "protection-of-migrant-children-2024-2027",
        "action": "A6",
        "country": "SV",
        "status": ActionStatus.AT_RISK,
        "percent": 40,
        "days_ago": 28,
        "narrative": "El 52 % de la niñez retornada se matriculó en 30 días o menos.",
        "challenges": "Los centros escolares piden certificados que las familias no traen.",
        "next_steps": "Circular del Ministerio de Educación que elimina ese requisito.",
        "review": "approved",
    },
    {
        "roadmap": "return-and-reintegration-2024-2027",
        "action": "A1",
        "country": "GT",
        "status": ActionStatus.COMPLETED,
        "percent": 100,
        "days_ago": 100,
        "narrative": "Los procedimientos armonizados se aplican en el aeropuerto La Aurora y en Tecún Umán.",
        "review": "approved",
    },
    {
        "roadmap": "return-and-reintegration-2024-2027",
        "action": "A2",
        "country": "GT",
        "status": ActionStatus.DELAYED,
        "percent": 45,
        "days_ago": 2,
        "narrative": "La ventanilla de Ciudad de Guatemala está abierta; la de Quetzaltenango se retrasó.",
        "challenges": "Retraso en la adecuación del local en Quetzaltenango.",
        "review": "submitted",
    },
    {
        "roadmap": "return-and-reintegration-2024-2027",
        "action": "A5",
        "country": "GT",
        "status": ActionStatus.ON_TRACK,
        "percent": 25,
        "days_ago": 40,
        "narrative": "Se capacitó a 30 profesionales de psicología en atención a personas retornadas.",
        "review": "approved",
    },
    {
        "roadmap": "migration-data-exchange-2024-2027",
        "action": "A1",
        "country": "SV",
        "status": ActionStatus.COMPLETED,
        "percent": 100,
        "days_ago": 110,
        "narrative": "Los cuatro países aprobaron el glosario y los 18 indicadores comunes.",
        "review": "approved",
    },
    {
        "roadmap": "migration-data-exchange-2024-2027",
        "action": "A2",
        "country": "GT",
        "status": ActionStatus.ON_TRACK,
        "percent": 75,
        "days_ago": 12,
        "narrative": "Se publicaron los datos del primer y segundo trimestre.",
        "review": "returned",
        "comment": (
            "The third quarter is missing: add it, or explain the delay in the challenges field and lower the percent."
        ),
    },
    {
        "roadmap": "migration-data-exchange-2024-2027",
        "action": "A4",
        "country": "SV",
        "status": ActionStatus.ON_TRACK,
        "percent": 30,
        "days_ago": 6,
        "narrative": "Se definió la arquitectura del portal y se cargaron los primeros cinco indicadores.",
        "review": "submitted",
    },
]


@dataclass
class DemoResult:
    password: str
    token: str
    counts: dict = field(default_factory=dict)


def _when(value, today: datetime.date) -> datetime.date:
    if isinstance(value, int):
        return today + datetime.timedelta(days=value)
    return datetime.date.fromisoformat(value)


def _accounts(password: str) -> dict:
    ensure_groups()
    groups = {group.name: group for group in Group.objects.filter(name__in=[SECRETARIAT_GROUP, PARTNERS_GROUP])}
    users = {}
    for username, first, last, language, role, _about in ACCOUNTS:
        user, _created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        user.set_password(password)
        user.is_active = True
        user.is_staff = role == "secretariat"
        user.save()
        if role == "secretariat":
            user.groups.add(groups[SECRETARIAT_GROUP])
        elif role == "partner":
            user.groups.add(groups[PARTNERS_GROUP])
        else:
            country = Country.objects.get(code=role.split(":")[1])
            FocalPoint.objects.update_or_create(
                user=user,
                country=country,
                defaults={"is_active": True, "role_title": "Punto focal de la CRM"},
            )
        profile = profile_for(user)
        if profile.preferred_language != language:
            profile.preferred_language = language
            profile.save(update_fields=["preferred_language"])
        users[username] = get_user_model().objects.get(pk=user.pk)  # fresh: no cached roles
    return users


def _roadmaps(today: datetime.date) -> dict:
    forum = Forum.objects.filter(key=II_FORUM_KEY).first()
    countries = {c.code: c for c in Country.objects.all()}
    objectives = {o.number: o for o in Objective.objects.all()}
    principles = {p.code: p for p in GuidingPrinciple.objects.all()}
    organizations = {o.key: o for o in Organization.objects.all()}
    themes = {}
    for spec in THEMES:
        themes[spec["slug"]], _created = Theme.objects.get_or_create(
            slug=spec["slug"], defaults={**{k: v for k, v in spec.items() if k != "slug"}, "forum": forum}
        )
    actions = {}
    for spec in ROADMAPS:
        roadmap, created = Roadmap.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "title_en": spec["title_en"],
                "title_es": spec["title_es"],
                "description_en": spec["description_en"],
                "description_es": spec["description_es"],
                "theme": themes[spec["theme"]],
                "forum": forum,
                "lead_country": countries[spec["lead"]],
                "start_date": _when(spec["start"], today),
                "end_date": _when(spec["end"], today),
                "status": spec["status"],
                "visibility": spec["visibility"],
            },
        )
        if created:
            roadmap.countries.set([countries[code] for code in spec["countries"]])
            roadmap.organizations.set([organizations[key] for key in spec["organizations"]])
            roadmap.objectives.set([objectives[n] for n in spec["objectives"]])
            roadmap.principles.set([principles[code] for code in spec["principles"]])
        new_actions = []
        for item in spec["actions"]:
            action, created = Action.objects.get_or_create(
                roadmap=roadmap,
                code=item["code"],
                defaults={
                    "title_en": item["title_en"],
                    "title_es": item["title_es"],
                    "description_en": item["description_en"],
                    "description_es": item["description_es"],
                    "start_date": _when(item["start"], today),
                    "due_date": _when(item["due"], today),
                    "status": item.get("status", ActionStatus.NOT_STARTED),
                    "percent_complete": item.get("percent", 0),
                    "indicator": item.get("indicator", ""),
                    "baseline": item.get("baseline", ""),
                    "target": item.get("target", ""),
                },
            )
            actions[(spec["slug"], item["code"])] = action
            if created:
                action.countries.set([countries[code] for code in item["countries"]])
                action.organizations.set([organizations[key] for key in item["organizations"]])
                action.objectives.set([objectives[n] for n in item["objectives"]])
                # What the secretariat recorded before any report: every country's starting state.
                services.action_progress_set_baseline(
                    action=action, status=action.status, percent_complete=action.percent_complete
                )
                new_actions.append((action, item))
        for action, item in new_actions:
            action.depends_on.set([actions[(spec["slug"], code)] for code in item.get("depends_on", [])])
    return actions


def _updates(actions: dict, users: dict, today: datetime.date) -> None:
    focal = {"SV": users["focal-sv"], "GT": users["focal-gt"]}
    reviewer = users["secretariat"]
    countries = {c.code: c for c in Country.objects.filter(code__in=focal)}
    for spec in UPDATES:
        action = actions[(spec["roadmap"], spec["action"])]
        country = countries[spec["country"]]
        if ProgressUpdate.objects.filter(action=action, country=country, narrative=spec["narrative"]).exists():
            continue
        update = services.progress_update_submit(
            action=action,
            country=country,
            author=focal[spec["country"]],
            status=spec["status"],
            percent_complete=spec["percent"],
            narrative=spec["narrative"],
            challenges=spec.get("challenges", ""),
            next_steps=spec.get("next_steps", ""),
            evidence_url=spec.get("evidence_url", ""),
            reporting_date=today - datetime.timedelta(days=spec["days_ago"]),
        )
        if spec["review"] == ReviewState.APPROVED:
            services.progress_update_approve(update=update, reviewer=reviewer)
        elif spec["review"] == ReviewState.RETURNED:
            services.progress_update_return(update=update, reviewer=reviewer, comment=spec["comment"])


def counts() -> dict:
    return {
        "themes": Theme.objects.count(),
        "roadmaps": Roadmap.objects.count(),
        "actions": Action.objects.count(),
        "progress updates": ProgressUpdate.objects.count(),
    }


def seed_demo(password: str | None = None, log: Callable[[str], None] = lambda message: None) -> DemoResult:
    """Create (or complete) the demo picture; returns the accounts' password and the partner's token.

    One transaction. The review notices that the demo reviews trigger (sent after commit) go to a dummy
    mail backend: seeding a demo mails nobody and does not fill the console with messages.
    """
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        return _seed(password, log)


def _reference_missing() -> bool:
    """True when a reference row the demo needs is not in the database."""
    codes, keys = set(), set()
    for spec in ROADMAPS:
        codes |= {spec["lead"], *spec["countries"]}
        keys |= set(spec["organizations"])
        for item in spec["actions"]:
            codes |= set(item["countries"])
            keys |= set(item["organizations"])
    return (
        not reference_loaded()
        or Country.objects.filter(code__in=codes).count() != len(codes)
        or Organization.objects.filter(key__in=keys).count() != len(keys)
        or not Forum.objects.filter(key=II_FORUM_KEY).exists()
    )


def _seed(password: str | None, log: Callable[[str], None]) -> DemoResult:
    if _reference_missing():
        log("Reference data missing: loading it first.")
        log(f"Reference data: {load_reference(log=log)}.")
    password = password or secrets.token_urlsafe(12)
    today = timezone.localdate()
    users = _accounts(password)
    actions = _roadmaps(today)
    indicators = seed_indicators(actions)
    seed_cycles(
        actions,
        users,
        before_close=lambda cycle: report_indicator_values(cycle, indicators, users, day=RR_2025_DAY, step=0),
    )
    _updates(actions, users, today)
    annual = ReportingCycle.objects.filter(key="annual-2026", state=CycleState.OPEN).first()
    if annual is not None:
        report_indicator_values(annual, indicators, users, day=today, step=1)
    token, _created = Token.objects.get_or_create(user=users["partner"])
    return DemoResult(password=password, token=token.key, counts=counts())
