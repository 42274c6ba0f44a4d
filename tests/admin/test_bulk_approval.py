"""The admin's bulk approval (roadmaps.review_bulk): the rules of one approval, in a number of queries
that grows only by each touched action's own audited save (issue 15: fifty approvals in under a second)."""

import datetime
import time

import pytest
from django.contrib.admin import helpers
from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob

from roadmaps.models import Action, ActionStatus, CountryProgress, ProgressUpdate, ReviewState
from tests.factories import ActionFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db(transaction=True)  # the notices are queued on commit: let it happen

CHANGELIST = "admin:roadmaps_progressupdate_changelist"
# Per touched action: its UPDATE, its history row, and the snapshot of its three many-to-many lists.
PER_ACTION = 6
# The request's own (session, user, permissions, the changelist's filters) and the batch's reads and writes.
FIXED = 30


def approve(client, updates):
    return client.post(
        reverse(CHANGELIST),
        {"action": "approve_selected", "index": "0", helpers.ACTION_CHECKBOX_NAME: [u.pk for u in updates]},
    )


def test_fifty_approvals_take_a_bounded_number_of_queries(
    client_for, secretariat_user, el_salvador, focal_sv, django_assert_max_num_queries
):
    percents = [10 + i for i in range(50)]
    updates = [
        ProgressUpdateFactory(
            action=ActionFactory(countries=[el_salvador]), country=el_salvador, author=focal_sv, percent_complete=p
        )
        for p in percents
    ]
    client = client_for(secretariat_user)
    client.get(reverse(CHANGELIST))  # the session and permission caches, as a reviewer's second click

    started = time.perf_counter()
    with django_assert_max_num_queries(PER_ACTION * 50 + FIXED):
        response = approve(client, updates)
    elapsed = time.perf_counter() - started
    print(f"\n50 bulk approvals: {elapsed:.3f} s")  # reported, not asserted (a shared machine)

    assert response.status_code == 302
    assert set(ProgressUpdate.objects.values_list("review_state", flat=True)) == {ReviewState.APPROVED}
    by_action = dict(Action.objects.values_list("pk", "percent_complete"))
    assert [by_action[u.action_id] for u in updates] == percents
    assert {a.version for a in Action.objects.all()} == {2}
    history = ProgressUpdate.history.filter(id=updates[0].pk).latest()
    assert (history.history_user, history.history_change_reason) == (secretariat_user, "Review: approved")
    assert ProcrastinateJob.objects.filter(task_name="notifications.review_notice").count() == 50


def test_two_reports_of_one_country_in_one_batch_the_later_date_wins(
    client_for, secretariat_user, el_salvador, guatemala, focal_sv
):
    action = ActionFactory(countries=[el_salvador, guatemala])
    later = ProgressUpdateFactory(
        action=action,
        country=el_salvador,
        author=focal_sv,
        percent_complete=80,
        reporting_date=datetime.date(2026, 6, 1),
    )
    earlier = ProgressUpdateFactory(
        action=action,
        country=el_salvador,
        author=focal_sv,
        status=ActionStatus.AT_RISK,
        percent_complete=30,
        reporting_date=datetime.date(2026, 3, 1),
    )

    response = approve(client_for(secretariat_user), [earlier, later])

    assert response.status_code == 302
    state = CountryProgress.objects.get(action=action, country=el_salvador)
    assert (state.update_id, state.status, state.percent_complete) == (later.pk, ActionStatus.ON_TRACK, 80)
    action.refresh_from_db()
    # Guatemala has no approved report: it keeps the baseline (not started, 0), and the overall follows.
    guatemala_state = CountryProgress.objects.get(action=action, country=guatemala)
    assert (guatemala_state.update_id, guatemala_state.percent_complete) == (None, 0)
    assert action.percent_complete == 40
    assert action.version == 2  # one save for the action, however many of its reports were approved
