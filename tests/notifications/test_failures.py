"""A mail server that refuses one recipient: the others still get theirs, the failure is recorded and
retried by the next run."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from notifications.digests import send_reminders
from notifications.models import MessageKind, MessageStatus, SentMessage
from notifications.services import notify_review_decision
from roadmaps.models import ReviewState
from tests.factories import ActionFactory, ProgressUpdateFactory
from tests.notifications.conftest import NOW, days, prefer

pytestmark = pytest.mark.django_db


def test_failing_recipient_does_not_stop_the_others_and_is_recorded(
    clock, refusing_mail, focal_sv, focal_gt, el_salvador, guatemala
):
    prefer(focal_sv, "en")
    prefer(focal_gt, "en")
    ActionFactory(countries=[el_salvador, guatemala], due_date=days(2))
    refusing_mail.add("focal-sv-test@example.org")

    summary = send_reminders()

    assert (summary.sent, summary.failed) == (1, 1)
    assert [m.to for m in mail.outbox] == [["focal-gt-test@example.org"]]
    failed = SentMessage.objects.get(recipient=focal_sv)
    assert failed.status == MessageStatus.FAILED
    assert failed.sent_at is None
    assert failed.attempts == 1
    assert failed.error == ("SMTPRecipientsRefused: {'focal-sv-test@example.org': (550, b'mailbox unavailable')}")
    assert SentMessage.objects.get(recipient=focal_gt).status == MessageStatus.SENT


def test_failed_digest_is_retried_by_the_next_run_and_sent_once(
    clock, refusing_mail, focal_sv, focal_gt, el_salvador, guatemala
):
    prefer(focal_sv, "en")
    prefer(focal_gt, "en")
    ActionFactory(countries=[el_salvador, guatemala], due_date=days(2))
    refusing_mail.add("focal-sv-test@example.org")
    send_reminders()

    refusing_mail.clear()  # the mail server is back
    clock.shift(datetime.timedelta(hours=1))
    summary = send_reminders()

    assert (summary.sent, summary.failed, summary.skipped) == (1, 0, 1)
    assert [m.to for m in mail.outbox] == [["focal-gt-test@example.org"], ["focal-sv-test@example.org"]]
    retried = SentMessage.objects.get(recipient=focal_sv)
    assert (retried.status, retried.attempts, retried.error) == (MessageStatus.SENT, 2, "")
    assert retried.sent_at == NOW + datetime.timedelta(hours=1)
    assert SentMessage.objects.count() == 2


def test_failed_review_notice_is_retried_by_send_reminders(
    clock, refusing_mail, focal_sv, el_salvador, secretariat_user
):
    prefer(focal_sv, "en", digests=False)
    update = ProgressUpdateFactory(
        action=ActionFactory(countries=[el_salvador]),
        country=el_salvador,
        author=focal_sv,
        review_state=ReviewState.RETURNED,
        reviewer=secretariat_user,
        reviewed_at=timezone.now(),
        review_comment="Add the figures.",
    )
    refusing_mail.add("focal-sv-test@example.org")
    assert notify_review_decision(update.pk).status == MessageStatus.FAILED

    refusing_mail.clear()
    send_reminders()

    [notice] = SentMessage.objects.filter(kind=MessageKind.UPDATE_RETURNED)
    assert (notice.status, notice.attempts) == (MessageStatus.SENT, 2)
    code = update.action.code
    assert [m.subject for m in mail.outbox] == [f"Your progress update on {code} (El Salvador) was returned"]
