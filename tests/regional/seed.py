"""A region big enough to look like one, built with factories (used by the browser tests and by the
README screenshot when the demo seed is not loaded)."""

import datetime

from django.utils import timezone

from roadmaps.models import ActionStatus, ReviewState
from tests.factories import (
    ActionFactory,
    CountryFactory,
    ObjectiveFactory,
    ProgressUpdateFactory,
    RoadmapFactory,
    UserFactory,
)

COUNTRY_CODES = ["SV", "GT", "HN", "CR", "PA", "MX", "CA", "US", "BZ", "DO"]
STATUSES = [
    (ActionStatus.ON_TRACK, 40),
    (ActionStatus.COMPLETED, 100),
    (ActionStatus.AT_RISK, 25),
    (ActionStatus.DELAYED, 10),
    (ActionStatus.NOT_STARTED, 0),
    (ActionStatus.ON_TRACK, 70),
]
TITLES = [
    ("One-stop window for migrant workers", "Ventanilla única para trabajadores migrantes"),
    (
        "Fair recruitment pilot for seasonal agricultural workers",
        "Piloto de reclutamiento justo de trabajadores agrícolas",
    ),
    ("Consular protection network in transit countries", "Red de protección consular en países de tránsito"),
    ("Reintegration support for returned migrants", "Apoyo a la reintegración de personas retornadas"),
    ("Regional data exchange on missing migrants", "Intercambio regional de datos sobre migrantes desaparecidos"),
    ("Skills recognition for labour mobility", "Reconocimiento de competencias para la movilidad laboral"),
]


def seed_region(actions_per_roadmap=6):
    today = timezone.localdate()
    objectives = {n: ObjectiveFactory(number=n) for n in range(1, 24)}
    countries = [CountryFactory(code=code) for code in COUNTRY_CODES]
    reviewer = UserFactory(username="seed-reviewer", is_staff=True)
    roadmaps = []
    for r in range(4):
        lead = countries[r]
        roadmap = RoadmapFactory(
            slug=f"roadmap-{r + 1}",
            title_en=f"Roadmap {r + 1}: {TITLES[r][0]}",
            title_es=f"Hoja de ruta {r + 1}: {TITLES[r][1]}",
            lead_country=lead,
            objectives=[objectives[n] for n in (r * 5 + 1, r * 5 + 2, 23 - r)],
            countries=countries[r : r + 4],
            start_date=datetime.date(2025, 1, 1),
        )
        roadmaps.append(roadmap)
        previous = None
        for i in range(actions_per_roadmap):
            status, percent = STATUSES[(i + r) % len(STATUSES)]
            title_en, title_es = TITLES[(i + r) % len(TITLES)]
            action = ActionFactory(
                roadmap=roadmap,
                code=f"A{i + 1}",
                title_en=title_en,
                title_es=title_es,
                description_en=f"{title_en} led by {lead.name_en}.",
                description_es=f"{title_es}, a cargo de {lead.name_es}.",
                countries=[countries[(r + i) % len(countries)]],
                objectives=[objectives[(r * 3 + i) % 23 + 1]] if i % 2 else [],
                status=status,
                percent_complete=percent,
                start_date=today - datetime.timedelta(days=200 - 20 * i),
                due_date=today + datetime.timedelta(days=(-20 if status == ActionStatus.DELAYED else 10 + 40 * i)),
            )
            if previous is not None and i % 3 == 0:
                action.depends_on.add(previous)
            previous = action
            if percent:
                ProgressUpdateFactory(
                    action=action,
                    country=countries[(r + i) % len(countries)],
                    status=status,
                    percent_complete=percent,
                    narrative=f"{title_en}: {percent} % done.",
                    challenges="Staff turnover." if i % 2 else "",
                    review_state=ReviewState.APPROVED,
                    reviewer=reviewer,
                    reviewed_at=timezone.now(),
                )
    return {"roadmaps": roadmaps, "countries": countries, "objectives": objectives}
