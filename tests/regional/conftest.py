"""A small region for the regional pages, on top of the shared world (tests/world.py): two public
roadmaps, one partners-only, one internal."""

import datetime

import pytest
from django.utils import timezone

from roadmaps.models import ActionStatus, ReviewState, Visibility
from tests.factories import (
    ActionFactory,
    ObjectiveFactory,
    ProgressUpdateFactory,
    RoadmapFactory,
    UserFactory,
)


@pytest.fixture
def objectives(world):
    """Objectives 1 and 2 of the shared world (tests/world.py), and 5 and 23 that only the region uses."""
    return {1: world.obj1, 2: world.obj2, 5: ObjectiveFactory(number=5), 23: ObjectiveFactory(number=23)}


@pytest.fixture
def region(world, objectives):
    """The region's rows on top of the shared world (tests/world.py)."""
    return build_region(objectives, world.sv, world.gt, world.hn)


def build_region(objectives, el_salvador, guatemala, honduras):
    """Rows with figures a test can compute by hand.

    Public roadmap R1 (objectives 1, 2): A1 SV 40 % (own objective 5), A2 SV+GT 100 % completed
    (roadmap's objectives), A3 GT 10 % overdue (roadmap's).
    Public roadmap R2 (objective 23): B1 HN 60 % due soon.
    Partners roadmap P: P1 SV 80 % (objective 1). Internal roadmap I: I1 GT 20 % (objective 2).
    """
    today = timezone.localdate()
    r1 = RoadmapFactory(
        slug="labour-mobility",
        title_en="Labour mobility",
        title_es="Movilidad laboral",
        lead_country=el_salvador,
        objectives=[objectives[1], objectives[2]],
        countries=[el_salvador, guatemala],
    )
    r2 = RoadmapFactory(slug="return", lead_country=honduras, objectives=[objectives[23]], countries=[honduras])
    partners = RoadmapFactory(slug="partners-only", visibility=Visibility.PARTNERS, objectives=[objectives[1]])
    internal = RoadmapFactory(
        slug="internal-only", visibility=Visibility.INTERNAL, lead_country=guatemala, objectives=[objectives[2]]
    )
    actions = {
        "A1": ActionFactory(
            roadmap=r1,
            code="A1",
            percent_complete=40,
            status=ActionStatus.ON_TRACK,
            countries=[el_salvador],
            objectives=[objectives[5]],
        ),
        "A2": ActionFactory(
            roadmap=r1,
            code="A2",
            percent_complete=100,
            status=ActionStatus.COMPLETED,
            countries=[el_salvador, guatemala],
            due_date=today - datetime.timedelta(days=30),
        ),
        "A3": ActionFactory(
            roadmap=r1,
            code="A3",
            percent_complete=10,
            status=ActionStatus.DELAYED,
            countries=[guatemala],
            due_date=today - datetime.timedelta(days=3),
        ),
        "B1": ActionFactory(
            roadmap=r2,
            code="B1",
            percent_complete=60,
            status=ActionStatus.AT_RISK,
            countries=[honduras],
            due_date=today + datetime.timedelta(days=5),
        ),
        "P1": ActionFactory(
            roadmap=partners,
            code="P1",
            percent_complete=80,
            status=ActionStatus.ON_TRACK,
            countries=[el_salvador],
            objectives=[objectives[1]],
        ),
        "I1": ActionFactory(
            roadmap=internal,
            code="I1",
            percent_complete=20,
            status=ActionStatus.ON_TRACK,
            countries=[guatemala],
            objectives=[objectives[2]],
        ),
    }
    reviewer = UserFactory(username="reviewer-fixture", is_staff=True)
    approved = {"review_state": ReviewState.APPROVED, "reviewer": reviewer, "reviewed_at": timezone.now()}
    ProgressUpdateFactory(
        action=actions["A2"],
        country=guatemala,
        narrative="Guatemala finished its part.",
        challenges="Budget.",
        reporting_date=today - datetime.timedelta(days=40),
        status=ActionStatus.COMPLETED,
        percent_complete=100,
        **approved,
    )
    ProgressUpdateFactory(
        action=actions["A2"],
        country=el_salvador,
        narrative="Older narrative.",
        challenges="",
        reporting_date=today - datetime.timedelta(days=90),
        **approved,
    )
    ProgressUpdateFactory(
        action=actions["A2"],
        country=el_salvador,
        narrative="El Salvador closed the pilot.",
        challenges="Staff.",
        reporting_date=today - datetime.timedelta(days=35),
        status=ActionStatus.COMPLETED,
        percent_complete=100,
        **approved,
    )
    ProgressUpdateFactory(
        action=actions["A1"],
        country=el_salvador,
        narrative="Submitted, not yet approved.",
        reporting_date=today,
    )
    return {
        "roadmaps": {"R1": r1, "R2": r2, "P": partners, "I": internal},
        "actions": actions,
        "honduras": honduras,
        "el_salvador": el_salvador,
        "guatemala": guatemala,
    }
