"""The database itself refuses rows that break PRODUCT.md's rules (no form involved)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from roadmaps.models import ActionStatus, ReviewState
from tests.factories import ActionFactory, ProgressUpdateFactory, RoadmapFactory

pytestmark = pytest.mark.django_db


def _refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.mark.parametrize("percent", [101, -1])
def test_action_percent_outside_0_100_is_refused(percent):
    _refused(lambda: ActionFactory(percent_complete=percent))


def test_action_due_before_start_is_refused():
    _refused(lambda: ActionFactory(start_date=datetime.date(2025, 6, 1), due_date=datetime.date(2025, 5, 31)))


def test_action_completed_below_100_is_refused():
    _refused(lambda: ActionFactory(status=ActionStatus.COMPLETED, percent_complete=80))


def test_action_completed_at_100_is_accepted():
    action = ActionFactory(status=ActionStatus.COMPLETED, percent_complete=100)
    assert action.pk is not None


def test_duplicate_action_code_in_one_roadmap_is_refused():
    roadmap = RoadmapFactory()
    ActionFactory(roadmap=roadmap, code="A1")
    _refused(lambda: ActionFactory(roadmap=roadmap, code="A1"))


def test_same_action_code_in_two_roadmaps_is_accepted():
    ActionFactory(code="A1")
    other = ActionFactory(code="A1")
    assert other.pk is not None


def test_roadmap_end_before_start_is_refused():
    _refused(lambda: RoadmapFactory(start_date=datetime.date(2025, 1, 2), end_date=datetime.date(2025, 1, 1)))


@pytest.mark.parametrize("percent", [101, -1])
def test_update_percent_outside_0_100_is_refused(percent):
    _refused(lambda: ProgressUpdateFactory(percent_complete=percent))


def test_update_completed_below_100_is_refused():
    _refused(lambda: ProgressUpdateFactory(status=ActionStatus.COMPLETED, percent_complete=80))


def test_returned_update_without_comment_is_refused():
    _refused(lambda: ProgressUpdateFactory(review_state=ReviewState.RETURNED, review_comment=""))
