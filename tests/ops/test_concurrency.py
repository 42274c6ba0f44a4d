"""Many focal points submitting while the secretariat approves, on real parallel connections."""

import random
import threading

import pytest
from django.db import connection

from core.errors import InvalidStateError
from roadmaps.models import Action, CountryProgress, ProgressUpdate, ReviewState, overall_progress
from roadmaps.services import progress_update_approve, progress_update_submit
from tests.factories import ActionFactory, FocalPointFactory, RoadmapFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

REPORTERS = 6
UPDATES_EACH = 8


def _run_threads(targets):
    errors = []

    def wrap(target):
        try:
            target()
        except Exception as exc:  # collected and asserted on below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return errors


def test_parallel_submissions_and_approvals_lose_nothing(el_salvador, guatemala, secretariat_user):
    roadmap = RoadmapFactory()
    actions = [ActionFactory(roadmap=roadmap, countries=[el_salvador, guatemala]) for _ in range(3)]
    reporters = [
        FocalPointFactory(user=UserFactory(username=f"reporter-{i}"), country=(el_salvador, guatemala)[i % 2])
        for i in range(REPORTERS)
    ]
    accepted = []
    accepted_lock = threading.Lock()
    submitting_done = threading.Event()

    def reporter(focal_point, seed):
        rng = random.Random(seed)
        for _ in range(UPDATES_EACH):
            action = rng.choice(actions)
            update = progress_update_submit(
                action=action,
                country=focal_point.country,
                author=focal_point.user,
                status="on_track",
                percent_complete=rng.randint(0, 99),
                narrative="Parallel report.",
            )
            with accepted_lock:
                accepted.append(update.pk)

    def approver():
        while True:
            pending = list(ProgressUpdate.objects.pending().order_by("?").values_list("pk", flat=True)[:5])
            if not pending and submitting_done.is_set():
                return
            for pk in pending:
                try:
                    progress_update_approve(update=ProgressUpdate.objects.get(pk=pk), reviewer=secretariat_user)
                except InvalidStateError:
                    pass  # the other approver got there first: expected

    reporter_targets = [lambda fp=fp, i=i: reporter(fp, i) for i, fp in enumerate(reporters)]
    approver_threads_errors = []
    approver_threads = [
        threading.Thread(target=lambda: approver_threads_errors.extend(_run_threads([approver]))) for _ in range(2)
    ]
    for thread in approver_threads:
        thread.start()
    errors = _run_threads(reporter_targets)
    submitting_done.set()
    for thread in approver_threads:
        thread.join(timeout=120)

    assert errors == [] and approver_threads_errors == []
    assert ProgressUpdate.objects.count() == len(accepted) == REPORTERS * UPDATES_EACH
    assert sorted(ProgressUpdate.objects.values_list("pk", flat=True)) == sorted(accepted)
    assert ProgressUpdate.objects.filter(review_state=ReviewState.APPROVED).count() == len(accepted)
    for action in Action.objects.filter(pk__in=[a.pk for a in actions]):
        # Each country's state is its own latest approved update; the action's overall follows by the rule.
        states = []
        for state in CountryProgress.objects.filter(action=action):
            latest = (
                ProgressUpdate.objects.filter(action=action, country_id=state.country_id)
                .approved()
                .order_by("-reporting_date", "-reviewed_at", "-id")
                .first()
            )
            if latest is not None:
                assert (state.status, state.percent_complete, state.update_id) == (
                    latest.status,
                    latest.percent_complete,
                    latest.pk,
                )
            states.append((state.status, state.percent_complete))
        assert (action.status, action.percent_complete) == overall_progress(states)
        # Every submission and every approval bumped the version exactly once.
        assert action.version == 1 + 2 * ProgressUpdate.objects.filter(action=action).count()
