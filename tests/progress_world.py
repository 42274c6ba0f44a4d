"""A joint action shared by El Salvador, Guatemala and Honduras (the demo's A1 of the labour pathways
roadmap), its focal points, and two reporting cycles — the world of progress per country."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import translation

from roadmaps import cycles, services
from roadmaps.models import CycleState
from tests.factories import ActionFactory, CountryFactory, ObjectiveFactory, RoadmapFactory


@pytest.fixture
def joint(db, secretariat_user, focal_sv, focal_gt, el_salvador, guatemala):
    with translation.override("en"):  # the messages these tests compare are the English ones
        yield _joint(secretariat_user, focal_sv, focal_gt, el_salvador, guatemala)


def _joint(secretariat_user, focal_sv, focal_gt, el_salvador, guatemala):
    honduras = CountryFactory(code="HN")
    objective = ObjectiveFactory(number=5)
    roadmap = RoadmapFactory(slug="regular-labour-pathways-2024-2027", objectives=[objective])
    action = ActionFactory(
        roadmap=roadmap,
        code="A1",
        start_date=datetime.date(2024, 10, 15),
        due_date=datetime.date(2025, 6, 30),
        countries=[el_salvador, guatemala, honduras],
    )
    return SimpleNamespace(
        action=action,
        roadmap=roadmap,
        objective=objective,
        sv=el_salvador,
        gt=guatemala,
        hn=honduras,
        secretariat=secretariat_user,
        focal={"SV": focal_sv, "GT": focal_gt},
    )


def report(world, code, status, percent, day, *, approve=True, cycle=None):
    """A focal point's report through the services, approved by the secretariat unless told not to."""
    country = getattr(world, code.lower())
    update = services.progress_update_submit(
        action=world.action,
        country=country,
        author=world.focal[code],
        status=status,
        percent_complete=percent,
        narrative=f"{code} on {day}: {status} {percent}",
        reporting_date=day,
        cycle=cycle,
    )
    if approve:
        services.progress_update_approve(update=update, reviewer=world.secretariat)
    return update


def open_cycle(world, key, start, end, *, deadline=None):
    from roadmaps.models import ReportingCycle

    cycle = ReportingCycle.objects.create(
        key=key,
        title_en=f"Cycle {key}",
        title_es=f"Ciclo {key}",
        period_start=start,
        period_end=end,
        opens_on=end,
        deadline=deadline or end + datetime.timedelta(days=30),
        state=CycleState.PLANNED,
    )
    return cycles.cycle_open(cycle=cycle, user=world.secretariat)
