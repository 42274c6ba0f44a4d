"""Recording and queueing one message, and the review-decision notices.

Every message goes through `deliver`: it is rendered in the recipient's language (subject, plain-text
and HTML bodies from `notifications/email/<template>_subject.txt`, `.txt`, `.html`), recorded as a
`SentMessage` and queued; a worker sends it (`notifications/tasks.py`). A message whose `dedupe_key`
was already queued or sent is skipped, so running the reminders twice sends nothing twice; the mail
server's failures are retried by the queue with backoff, one recipient at a time.
"""

import datetime
import logging
import re

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import profile_for
from core import queue
from notifications.models import REPLACEABLE_KINDS, UNDELIVERED, MessageKind, MessageStatus, SentMessage
from roadmaps.models import ProgressUpdate, ReviewState

logger = logging.getLogger(__name__)

# The worker's task that hands a recorded message to the mail server (notifications/tasks.py).
SEND_TASK = "notifications.send_message"


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


def _supersede_earlier(message: SentMessage) -> None:
    """An undelivered digest or submissions notice to the same person is replaced by `message`."""
    if message.kind not in REPLACEABLE_KINDS:
        return
    SentMessage.objects.filter(
        recipient_id=message.recipient_id, kind=message.kind, status__in=UNDELIVERED, pk__lt=message.pk
    ).update(
        status=MessageStatus.SUPERSEDED,
        error=gettext("Replaced by %(key)s before it was delivered.") % {"key": message.dedupe_key},
    )


@transaction.atomic
def deliver(
    *,
    recipient,
    kind: str,
    dedupe_key: str,
    context: dict,
    language: str | None = None,
    digest_date: datetime.date | None = None,
    progress_update: ProgressUpdate | None = None,
    updates=(),
    actions=(),
) -> SentMessage | None:
    """Record one message and queue its sending, unless it was already queued or sent. None when skipped.
    The kind names its templates (`render_message`).

        The record and the job are written in one transaction: a worker sends only what was recorded, and a
        message recorded is always queued. A message that failed for good is queued again.
    """
    if not recipient.email:
        return None
    existing = SentMessage.objects.select_for_update().filter(dedupe_key=dedupe_key).first()
    if existing is not None and existing.status != MessageStatus.FAILED:
        return None
    language = language or language_for(recipient)
    subject, text, html = render_message(kind, {**context, "recipient": recipient}, language)
    values = {
        "recipient": recipient,
        "email": recipient.email,
        "kind": kind,
        "subject": subject,
        "language": language,
        "digest_date": digest_date,
        "status": MessageStatus.QUEUED,
        "error": "",
        "sent_at": None,
        "body_text": text,
        "body_html": html,
        "progress_update": progress_update,
    }
    if existing is None:
        message = SentMessage.objects.create(dedupe_key=dedupe_key, **values)
    else:
        message = existing
        for field, value in values.items():
            setattr(message, field, value)
        message.save()
    message.progress_updates.set(updates)
    message.actions.set(actions)
    _supersede_earlier(message)
    queue.defer(SEND_TASK, message_id=message.pk)
    return message


def notify_review_decision(update_id: int) -> SentMessage | None:
    """Tell the author of an update that it was approved or returned (with the reviewer's comment).

    Run by a worker once the review commits (queued by roadmaps.services). Sent whatever the author's
    digest preference: a review decision is not a reminder. Once per decision: calling it again queues
    nothing.
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
        context={"update": update, "action": update.action},
        progress_update=update,
        updates=[update],
        actions=[update.action],
    )
