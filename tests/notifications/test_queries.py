"""The hourly run's queries grow with the number of recipients, never with the length of their lists."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.digests import send_reminders
from roadmaps.models import ActionStatus
from roadmaps.services import progress_update_submit
from tests.factories import ActionFactory
from tests.notifications.conftest import days, prefer

pytestmark = pytest.mark.django_db(transaction=True)


def arrange(n, *, country, author):
    for i in range(n):
        ActionFactory(countries=[country], due_date=days(2))
        overdue = ActionFactory(countries=[country], due_date=days(-40 - i))
        progress_update_submit(
            action=overdue,
            country=country,
            author=author,
            status=ActionStatus.ON_TRACK,
            percent_complete=10,
            narrative="Started.",
        )


def queries_of_one_run():
    with CaptureQueriesContext(connection) as captured:
        summary = send_reminders()
    assert summary.queued == 3  # focal digest, secretariat digest, submissions notice
    return len(captured)


def test_run_queries_do_not_grow_with_listed_rows(clock, focal_sv, el_salvador, secretariat_user):
    prefer(focal_sv, "en")
    prefer(secretariat_user, "en")
    arrange(1, country=el_salvador, author=focal_sv)
    few = queries_of_one_run()

    clock.shift(datetime.timedelta(days=1))
    arrange(20, country=el_salvador, author=focal_sv)
    many = queries_of_one_run()

    assert many == few
