"""A mail server that refuses or is down: the others still get theirs, the queue retries with the error
recorded, and what is finally sent is sent once."""

import datetime

import pytest
from django.core import mail

from notifications.models import MessageKind, MessageStatus, SentMessage
from roadmaps.models import ActionStatus
from roadmaps.services import progress_update_approve, progress_update_submit
from tests.factories import ActionFactory
from tests.notifications.backends import FlakyEmailBackend
from tests.notifications.conftest import NOW, days, prefer, remind, run_queue

pytestmark = pytest.mark.django_db(transaction=True)

REFUSED = "SMTPRecipientsRefused: {'focal-sv-test@example.org': (550, b'mailbox unavailable')}"


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakyEmailBackend"
    yield FlakyEmailBackend
    FlakyEmailBackend.failures = 0


def test_failing_recipient_does_not_stop_the_others_and_is_recorded(
    clock, refusing_mail, focal_sv, focal_gt, el_salvador, guatemala
):
    prefer(focal_sv, "en")
    prefer(focal_gt, "en")
    ActionFactory(countries=[el_salvador, guatemala], due_date=days(2))
    refusing_mail.add("focal-sv-test@example.org")

    summary = remind()

    assert summary.queued == 2
    assert [m.to for m in mail.outbox] == [["focal-gt-test@example.org"]]
    failed = SentMessage.objects.get(recipient=focal_sv)
    # Tried MAIL_MAX_ATTEMPTS times (3 in the tests) by the queue, then given up.
    assert (failed.status, failed.sent_at, failed.attempts, failed.error) == (MessageStatus.FAILED, None, 3, REFUSED)
    assert SentMessage.objects.get(recipient=focal_gt).status == MessageStatus.SENT


def test_failed_digest_is_queued_again_by_the_next_run_and_sent_once(
    clock, refusing_mail, focal_sv, focal_gt, el_salvador, guatemala
):
    prefer(focal_sv, "en")
    prefer(focal_gt, "en")
    ActionFactory(countries=[el_salvador, guatemala], due_date=days(2))
    refusing_mail.add("focal-sv-test@example.org")
    remind()

    refusing_mail.clear()  # the mail server is back
    clock.shift(datetime.timedelta(hours=1))
    summary = remind()

    assert (summary.queued, summary.skipped) == (1, 1)
    assert [m.to for m in mail.outbox] == [["focal-gt-test@example.org"], ["focal-sv-test@example.org"]]
    retried = SentMessage.objects.get(recipient=focal_sv)
    assert (retried.status, retried.attempts, retried.error) == (MessageStatus.SENT, 4, "")
    assert retried.sent_at == NOW + datetime.timedelta(hours=1)
    assert SentMessage.objects.count() == 2


def test_review_notice_is_retried_after_a_failure_and_sent_once(
    clock, flaky_mail, focal_sv, el_salvador, secretariat_user
):
    prefer(focal_sv, "en")
    update = progress_update_submit(
        action=ActionFactory(countries=[el_salvador]),
        country=el_salvador,
        author=focal_sv,
        status=ActionStatus.ON_TRACK,
        percent_complete=40,
        narrative="Two workshops held.",
    )
    flaky_mail.failures = 1  # down for the first attempt, back for the second

    progress_update_approve(update=update, reviewer=secretariat_user)
    run_queue()

    [notice] = SentMessage.objects.filter(kind=MessageKind.UPDATE_APPROVED)
    assert (notice.status, notice.attempts, notice.error) == (MessageStatus.SENT, 2, "")
    code = update.action.code
    assert [m.subject for m in mail.outbox] == [f"Your progress update on {code} (El Salvador) was approved"]

    run_queue()  # nothing left: a second worker run sends nothing again
    assert len(mail.outbox) == 1


def test_undelivered_digest_is_marked_replaced_by_the_next_days(clock, refusing_mail, focal_sv, el_salvador):
    prefer(focal_sv, "en")
    ActionFactory(countries=[el_salvador], due_date=days(3))
    refusing_mail.add("focal-sv-test@example.org")
    remind()
    refusing_mail.clear()

    clock.move_to(NOW + datetime.timedelta(days=1))
    remind()

    records = SentMessage.objects.order_by("digest_date")
    assert [(m.digest_date, m.status) for m in records] == [
        (datetime.date(2026, 3, 2), MessageStatus.SUPERSEDED),
        (datetime.date(2026, 3, 3), MessageStatus.SENT),
    ]
    key = records[1].dedupe_key
    assert records[0].error == f"Replaced by {key} before it was delivered."
    assert [m.subject for m in mail.outbox] == ["GCM roadmaps: your reporting reminder for 3 Mar 2026"]
