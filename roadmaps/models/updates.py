"""Progress updates: a responsible country's report on an action, and its review."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts import roles
from core.models import TimeStampedModel
from countries.models import Country
from roadmaps.models.choices import ActionStatus, ReviewState
from roadmaps.models.core import Action
from roadmaps.models.rules import GCM_ADOPTION, progress_constraints, reporter_today
from roadmaps.uploads import file_type, name_for_type, private_storage, validate_evidence_file


class ProgressUpdateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Approved updates of visible actions; a focal point adds all of their countries' updates."""
        if roles.is_secretariat(user):
            return self
        visible = Q(review_state=ReviewState.APPROVED) & Q(action__in=Action.objects.visible_to(user))
        country_ids = roles.focal_country_ids(user)
        if country_ids:
            visible |= Q(country_id__in=country_ids)
        return self.filter(visible)

    def approved(self):
        return self.filter(review_state=ReviewState.APPROVED)

    def pending(self):
        return self.filter(review_state=ReviewState.SUBMITTED)

    def latest_first(self):
        return self.order_by("-reporting_date", "-created_at", "-id")


class ProgressUpdate(TimeStampedModel):
    """An append-only report on one action by one responsible country.

    Never edited or deleted once approved: a correction is a new update.
    """

    action = models.ForeignKey(
        Action, on_delete=models.PROTECT, related_name="progress_updates", verbose_name=_("action")
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="progress_updates",
        verbose_name=_("reporting country"),
    )
    reporting_date = models.DateField(_("reporting date"), default=timezone.localdate, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus)
    percent_complete = models.PositiveSmallIntegerField(_("percent complete"))
    narrative = models.TextField(_("narrative"), max_length=10000)
    challenges = models.TextField(_("challenges"), max_length=5000, blank=True)
    next_steps = models.TextField(_("next steps"), max_length=5000, blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    evidence_file = models.FileField(
        _("evidence file"),
        upload_to="evidence/%Y/%m/",
        storage=private_storage,
        blank=True,
        validators=[validate_evidence_file],
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="progress_updates",
        verbose_name=_("author"),
    )
    review_state = models.CharField(
        _("review state"), max_length=10, choices=ReviewState, default=ReviewState.SUBMITTED, db_index=True
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_updates",
        verbose_name=_("reviewer"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    on_behalf = models.BooleanField(
        _("entered by the secretariat on the country's behalf"),
        default=False,
        db_default=False,  # rows written by SQL (COPY in bench/seed.py, triggers) need no value
        help_text=_("The secretariat entered this report for the country (for example from a letter or an e-mail)."),
    )
    cycle = models.ForeignKey(
        "roadmaps.ReportingCycle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_updates",
        verbose_name=_("reporting cycle"),
        help_text=_("The round of reporting this update answers. Default: the open cycle covering its date."),
    )

    objects = ProgressUpdateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-reporting_date", "-created_at"]
        constraints = [
            *progress_constraints("update"),
            models.CheckConstraint(
                condition=~Q(review_state=ReviewState.RETURNED) | ~Q(review_comment=""),
                name="update_returned_needs_comment",
                violation_error_message=_("A returned update needs a comment saying why."),
            ),
            models.CheckConstraint(
                condition=Q(review_state=ReviewState.SUBMITTED)
                | (Q(reviewer__isnull=False) & Q(reviewed_at__isnull=False)),
                name="update_reviewed_has_reviewer",
            ),
            models.CheckConstraint(
                condition=Q(reporting_date__gte=GCM_ADOPTION),
                name="update_reported_after_gcm_adoption",
                violation_error_message=_("The reporting date cannot be before the GCM's adoption (10 December 2018)."),
            ),
            # The database's backstop against dates in the future: today anywhere on Earth is at most
            # a day ahead of the server's date. The exact rule (the reporter's own today) is `clean()`.
            models.CheckConstraint(
                condition=Q(reporting_date__lte=Now() + datetime.timedelta(days=1)),
                name="update_reported_not_in_future",
                violation_error_message=_("The reporting date cannot be in the future."),
            ),
        ]
        indexes = [
            models.Index(fields=["action", "review_state", "reporting_date"], name="update_action_state_idx"),
            # A partner's sync (`updated_since`, by keyset in this order: api.keyset).
            models.Index(fields=["updated_at", "id"], name="update_updated_idx"),
        ]

    def __str__(self):
        return f"{self.action.code} · {self.country.code} · {self.reporting_date} ({self.get_review_state_display()})"

    @property
    def is_locked(self) -> bool:
        return self.review_state == ReviewState.APPROVED

    def save(self, *args, **kwargs):
        # A new evidence file is stored under an extension of the type its bytes are (checked on
        # upload), never the one its sender chose: a PDF sent as `x.html` is stored as `x.pdf`.
        if self.evidence_file and not self.evidence_file._committed:
            self.evidence_file.name = name_for_type(self.evidence_file.name, file_type(self.evidence_file))
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.reporting_date and self.reporting_date > reporter_today():
            raise ValidationError({"reporting_date": _("The reporting date cannot be in the future.")})
