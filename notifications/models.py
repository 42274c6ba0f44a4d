"""A record of every message the tracker sends: who, what, when, and whether the mail server took it.

The record is the single truth of what was sent. It is written, rendered and *queued* in one
transaction; a worker of the task queue (`notifications/tasks.py`) then hands it to the mail server,
retrying with backoff, and marks it *sent*, or *failed* once the queue gives up.

`dedupe_key` names one message that must go out at most once (one digest per person per local day, one
notice per review decision, one submissions notice per person per hour): an existing row with that key
stops the same message from being queued again. A queued or failed digest or submissions notice that a
later one of the same kind to the same person replaces is marked *superseded*: the later one says it all.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import optional_key
from roadmaps.models import Action, ProgressUpdate


class MessageKind(models.TextChoices):
    FOCAL_DIGEST = "focal_digest", _("Focal point digest")
    SECRETARIAT_DIGEST = "secretariat_digest", _("Secretariat digest")
    SUBMISSIONS = "submissions", _("New submissions notice")
    UPDATE_APPROVED = "update_approved", _("Update approved notice")
    UPDATE_RETURNED = "update_returned", _("Update returned notice")
    PASSWORD_RESET = "password_reset", _("Password reset link")


DIGEST_KINDS = (MessageKind.FOCAL_DIGEST, MessageKind.SECRETARIAT_DIGEST)
REVIEW_KINDS = (MessageKind.UPDATE_APPROVED, MessageKind.UPDATE_RETURNED)
# Kinds whose next message lists everything an earlier undelivered one would have: it replaces it.
REPLACEABLE_KINDS = (*DIGEST_KINDS, MessageKind.SUBMISSIONS)


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SUPERSEDED = "superseded", _("Replaced by a later message")


# Not yet delivered: a worker may still send it (failed ones only when a later run re-queues them).
UNDELIVERED = (MessageStatus.QUEUED, MessageStatus.FAILED)


class SentMessageQuerySet(models.QuerySet):
    def sent(self):
        return self.filter(status=MessageStatus.SENT)

    def failed(self):
        return self.filter(status=MessageStatus.FAILED)

    def queued(self):
        return self.filter(status=MessageStatus.QUEUED)


class SentMessage(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sent_messages",
        verbose_name=_("recipient"),
    )
    email = models.EmailField(_("email address"), help_text=_("The address the message was sent to."))
    kind = models.CharField(_("kind"), max_length=20, choices=MessageKind, db_index=True)
    subject = models.CharField(_("subject"), max_length=300)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    dedupe_key = models.CharField(_("deduplication key"), max_length=120, unique=True)
    digest_date = models.DateField(_("digest date"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=MessageStatus, db_index=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    body_text = models.TextField(_("plain-text body"), blank=True)
    # Rendered when queued, so the worker sends exactly what was recorded.
    body_html = models.TextField(_("HTML body"), blank=True)
    progress_update = optional_key(
        ProgressUpdate,
        related_name="+",
        verbose_name=_("reviewed update"),
        on_delete=models.SET_NULL,
        help_text=_("For review decision notices: the update that was approved or returned."),
    )
    progress_updates = models.ManyToManyField(
        ProgressUpdate, blank=True, related_name="+", verbose_name=_("updates listed")
    )
    actions = models.ManyToManyField(Action, blank=True, related_name="+", verbose_name=_("actions listed"))

    objects = SentMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("sent message")
        verbose_name_plural = _("sent messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=MessageStatus.SENT) | Q(sent_at__isnull=False),
                name="sentmessage_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "kind", "status"], name="sentmessage_recipient_kind_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.email} ({self.get_status_display()})"
