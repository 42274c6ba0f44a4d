"""What the task queue's workers do: the only place where mail is handed to the mail server.

Run by `manage.py procrastinate worker` (and by `make run`). Every task can run twice or on several
machines at once without sending anything twice: the `SentMessage` row is locked while it is sent, and
a row already sent (or replaced by a later one) is left alone.
"""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from procrastinate import JobContext
from procrastinate.contrib.django import app

from core.queue import MAIL_QUEUE, REMINDERS_QUEUE, SettingsBackoff, is_last_attempt
from notifications.models import UNDELIVERED, MessageKind, MessageStatus, SentMessage

logger = logging.getLogger(__name__)


def _send(*, email: str, subject: str, text: str, html: str, language: str) -> None:
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[email],
        # Tells mail servers and out-of-office responders this is automatic: no auto-replies.
        headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def _error(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


@app.task(name="notifications.send_message", queue=MAIL_QUEUE, retry=SettingsBackoff(), pass_context=True)
def send_message(context: JobContext, message_id: int) -> None:
    """Hand one recorded message to the mail server; a failure is recorded and retried with backoff."""
    with transaction.atomic():
        # Locked while it is sent: a second worker waits, then finds it sent; a later digest that
        # would replace it waits too, then leaves it sent.
        message = SentMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status not in UNDELIVERED:
            return
        message.attempts += 1
        try:
            _send(
                email=message.email,
                subject=message.subject,
                text=message.body_text,
                html=message.body_html,
                language=message.language,
            )
        except Exception as exc:
            logger.warning("Sending %s to %s failed: %s", message.dedupe_key, message.email, exc)
            message.error = _error(exc)
            message.status = MessageStatus.FAILED if is_last_attempt(context.job.attempts) else MessageStatus.QUEUED
            message.save(update_fields=["attempts", "error", "status"])
            failure = exc
        else:
            message.status, message.error, message.sent_at = MessageStatus.SENT, "", timezone.now()
            message.save(update_fields=["attempts", "error", "status", "sent_at"])
            return
    # Raised after the record is committed, so the queue retries (or gives up) with the error kept.
    raise failure


@app.task(name="notifications.review_notice", queue=MAIL_QUEUE)
def review_notice(update_id: int) -> None:
    """Queued by a review decision once it commits: record and queue the notice to the update's author."""
    from notifications.services import notify_review_decision

    notify_review_decision(update_id)


@app.task(name="notifications.password_reset", queue=MAIL_QUEUE, retry=SettingsBackoff(), pass_context=True)
def password_reset(
    context: JobContext,
    *,
    user_id: int,
    domain: str,
    protocol: str,
    site_name: str,
    language: str,
    subject_template: str,
    email_template: str,
    request_key: str,
) -> None:
    """Send a password-reset link. The token is made here, so no sign-in link is ever stored.

    The record keeps who, when and whether it went, but not the body: it holds a sign-in link.
    """
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return
    dedupe_key = f"password-reset:{request_key}"
    record = SentMessage.objects.filter(dedupe_key=dedupe_key).first()
    if record is not None and record.status == MessageStatus.SENT:
        return
    with translation.override(language):
        values = {
            "email": user.email,
            "domain": domain,
            "site_name": site_name,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "user": user,
            "token": default_token_generator.make_token(user),
            "protocol": protocol,
        }
        subject = " ".join(render_to_string(subject_template, values).split())[:300]
        body = render_to_string(email_template, values)
    if record is None:
        record = SentMessage(
            recipient=user,
            email=user.email,
            kind=MessageKind.PASSWORD_RESET,
            subject=subject,
            language=language,
            dedupe_key=dedupe_key,
            status=MessageStatus.QUEUED,
        )
    record.attempts += 1
    try:
        _send(email=user.email, subject=subject, text=body, html="", language=language)
    except Exception as exc:
        record.error = _error(exc)
        record.status = MessageStatus.FAILED if is_last_attempt(context.job.attempts) else MessageStatus.QUEUED
        record.save()
        raise
    record.status, record.error, record.sent_at = MessageStatus.SENT, "", timezone.now()
    record.save()


@app.periodic(cron="0 * * * *", periodic_id="hourly")
@app.task(name="notifications.reminders", queue=REMINDERS_QUEUE, queueing_lock="notifications.reminders")
def reminders(timestamp: int) -> None:
    """Every hour: each recipient's daily digest once it is DIGEST_HOUR where they are, and the
    secretariat's hourly new-submissions notice. What was already queued today is not queued again."""
    from notifications.digests import send_reminders

    summary = send_reminders(now=datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC))
    logger.info("reminders: %s queued, %s already queued or sent", summary.queued, summary.skipped)
