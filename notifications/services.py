"""Sending one message, recording it, and the review-decision notices.

Every message goes through `deliver`: it is rendered in the recipient's language (subject, plain-text
and HTML bodies from `notifications/email/<template>_subject.txt`, `.txt`, `.html`), sent with the
email backend from settings, and recorded as a `SentMessage`. A message whose `dedupe_key` was
already sent is skipped, so running the reminders twice sends nothing twice; a failure of the mail
server is recorded (never raised) so one bad recipient does not stop the others, and the next run
tries again.
"""

import datetime
import logging
import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from accounts.models import profile_for
from notifications.models import REVIEW_KINDS, MessageKind, MessageStatus, SentMessage
from roadmaps.models import ProgressUpdate, ReviewState

logger = logging.getLogger(__name__)

# How long a failed review-decision notice is retried by `send_reminders` before we give up on it.
REVIEW_NOTICE_RETRY_DAYS = 7


def absolute_url(name: str, *, kwargs: dict | None = None, fallback: str, query: str = "") -> str:
    """SITE_URL + the path of the named route in the active language.

    `fallback` (a path without the language prefix) is used while the route does not exist yet.
    """
    try:
        path = reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        path = fallback if fallback.startswith("/admin/") else f"/{translation.get_language()}{fallback}"
    return f"{settings.SITE_URL}{path}{query}"


def report_url(action_id: int) -> str:
    """The progress form of one action: where every reminder sends a focal point."""
    return absolute_url("workspace:report", kwargs={"pk": action_id}, fallback=f"/actions/{action_id}/report/")


def language_for(user) -> str:
    language = profile_for(user).preferred_language
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def render_message(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """(subject, text, html) of `template`, rendered in `language`."""
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL, "language": language}
        subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    # A subject is one line, whatever the template's layout; template tags leave runs of blank lines.
    subject = " ".join(subject.split())[:300]
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return subject, text, html


def _send(*, email: str, subject: str, text: str, html: str, language: str) -> None:
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[email],
        # Tells mail servers and out-of-office responders this is automatic: no auto-replies.
        headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    message.send()


def deliver(
    *,
    recipient,
    kind: str,
    dedupe_key: str,
    template: str,
    context: dict,
    language: str | None = None,
    digest_date: datetime.date | None = None,
    progress_update: ProgressUpdate | None = None,
    updates=(),
    actions=(),
) -> SentMessage | None:
    """Send one message unless it was already sent; record the outcome. None when skipped."""
    if not recipient.email:
        return None
    existing = SentMessage.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None and existing.status == MessageStatus.SENT:
        return None
    language = language or language_for(recipient)
    subject, text, html = render_message(template, {**context, "recipient": recipient}, language)
    try:
        _send(email=recipient.email, subject=subject, text=text, html=html, language=language)
    except Exception as exc:  # noqa: BLE001 - any failure of the mail server is recorded, never fatal
        logger.warning("Sending %s to %s failed: %s", dedupe_key, recipient.email, exc)
        status, error, sent_at = MessageStatus.FAILED, f"{type(exc).__name__}: {exc}"[:2000], None
    else:
        status, error, sent_at = MessageStatus.SENT, "", timezone.now()

    values = {
        "recipient": recipient,
        "email": recipient.email,
        "kind": kind,
        "subject": subject,
        "language": language,
        "digest_date": digest_date,
        "status": status,
        "error": error,
        "sent_at": sent_at,
        "body_text": text,
        "progress_update": progress_update,
    }
    if existing is None:
        message = SentMessage.objects.create(dedupe_key=dedupe_key, attempts=1, **values)
    else:
        message = existing
        for field, value in values.items():
            setattr(message, field, value)
        message.attempts += 1
        message.save()
    message.progress_updates.set(updates)
    message.actions.set(actions)
    return message


def notify_review_decision(update_id: int) -> SentMessage | None:
    """Tell the author of an update that it was approved or returned (with the reviewer's comment).

    Called after the review commits. Sent whatever the author's digest preference: a review decision
    is not a reminder. Once per decision: calling it again sends nothing.
    """
    update = (
        ProgressUpdate.objects.select_related("action__roadmap", "country", "author", "reviewer")
        .filter(pk=update_id)
        .first()
    )
    if update is None or update.review_state not in (ReviewState.APPROVED, ReviewState.RETURNED):
        return None
    author = update.author
    if not author.is_active:
        return None
    approved = update.review_state == ReviewState.APPROVED
    kind = MessageKind.UPDATE_APPROVED if approved else MessageKind.UPDATE_RETURNED
    return deliver(
        recipient=author,
        kind=kind,
        dedupe_key=f"review:{update.pk}:{update.review_state}",
        template=kind,
        context={"update": update, "action": update.action},
        progress_update=update,
        updates=[update],
        actions=[update.action],
    )


def retry_failed_review_notices(*, now: datetime.datetime | None = None) -> list[SentMessage | None]:
    """Try again the review-decision notices the mail server refused in the last few days."""
    now = now or timezone.now()
    update_ids = (
        SentMessage.objects.failed()
        .filter(
            kind__in=REVIEW_KINDS,
            progress_update__isnull=False,
            created_at__gte=now - datetime.timedelta(days=REVIEW_NOTICE_RETRY_DAYS),
        )
        .order_by("created_at")
        .values_list("progress_update_id", flat=True)
    )
    return [notify_review_decision(update_id) for update_id in update_ids]
