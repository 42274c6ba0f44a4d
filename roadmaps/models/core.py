"""Themes, roadmaps, actions and progress updates, and who sees them (`visible_to`). The rules they
share (overdue, a roadmap's countries and objectives, completed means 100 %…) live in rules.py."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts import roles
from core.bilingual import BilingualFields
from core.models import TimeStampedModel, not_before, optional_key
from countries.models import Country
from gcm.models import Forum, GuidingPrinciple, Objective, Organization
from roadmaps.models.choices import ActionStatus, ReviewState, RoadmapStatus, Visibility, status_display
from roadmaps.models.rules import (
    GCM_ADOPTION,
    due_soon_q,
    involving_q,
    is_due_soon,
    is_overdue,
    overdue_q,
    progress_constraints,
    reporter_today,
    serving_q,
)
from roadmaps.uploads import file_type, name_for_type, private_storage, validate_evidence_file


class Theme(TimeStampedModel):
    """An RCM priority issue, identified at a forum."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = BilingualFields(models.CharField, max_length=200)
    description = BilingualFields(models.TextField, blank=True)
    forum = optional_key(Forum, related_name="themes", verbose_name=_("identified at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["title_en"]

    def __str__(self):
        return self.title


class RoadmapQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The roadmaps `user` may see. Every read of roadmaps, actions and updates starts here.

        The public sees published (non-draft) public roadmaps; partners add *partners* roadmaps;
        a focal point also sees every roadmap their country takes part in; the secretariat sees all.
        """
        if roles.is_secretariat(user):
            return self
        levels = [Visibility.PUBLIC]
        if roles.is_partner(user) or roles.is_focal_point(user):
            levels.append(Visibility.PARTNERS)
        published = Q(visibility__in=levels) & ~Q(status=RoadmapStatus.DRAFT)
        country_ids = roles.focal_country_ids(user)
        if country_ids:
            return self.filter(published | involving_q(country_ids))
        return self.filter(published)

    def involving(self, country_ids):
        return self.filter(involving_q(country_ids))

    def serving(self, objective_ids):
        return self.filter(serving_q(objective_ids))


class Roadmap(TimeStampedModel):
    title = BilingualFields(models.CharField, max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="roadmaps", verbose_name=_("theme"))
    forum = optional_key(Forum, related_name="roadmaps", verbose_name=_("adopted at"))
    lead_country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="led_roadmaps", verbose_name=_("lead country")
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="roadmaps", verbose_name=_("participating countries")
    )
    organizations = models.ManyToManyField(
        Organization, blank=True, related_name="roadmaps", verbose_name=_("supporting organisations")
    )
    objectives = models.ManyToManyField(
        Objective, blank=True, related_name="roadmaps", verbose_name=_("GCM objectives")
    )
    principles = models.ManyToManyField(
        GuidingPrinciple, blank=True, related_name="roadmaps", verbose_name=_("guiding principles")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RoadmapStatus, default=RoadmapStatus.DRAFT, db_index=True
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility, default=Visibility.PUBLIC, db_index=True
    )
    description = BilingualFields(models.TextField, blank=True)

    objects = RoadmapQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[countries, organizations, objectives, principles])

    class Meta:
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")
        ordering = ["title_en"]
        constraints = [
            not_before(
                "end_date",
                "start_date",
                optional=("end_date",),
                name="roadmap_end_not_before_start",
                message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("regional:roadmap_detail", kwargs={"slug": self.slug})


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(roadmap__in=Roadmap.objects.visible_to(user))

    def overdue(self, today: datetime.date | None = None):
        return self.filter(overdue_q(today))

    def due_soon(self, today: datetime.date | None = None, days: int | None = None):
        return self.filter(due_soon_q(today, days=days))

    def for_countries(self, country_ids):
        """The actions any of these countries is responsible for (each once)."""
        return self.filter(
            id__in=Action.countries.through.objects.filter(country_id__in=country_ids).values("action_id")
        )

    def reported_by(self, user):
        """A focal point's own actions: those their countries are responsible for, on which they
        report (`/my/`, the spreadsheet template and upload). Whether they may see others is
        `visible_to`'s rule, not this one."""
        return self.for_countries(roles.focal_country_ids(user))

    def serving_objective(self, objective_id: int):
        """The actions that work on the objective: their own objectives, or their roadmap's when they
        have none (the one definition; `objective_numbers_of_action` is its array twin)."""
        links = Action.objectives.through.objects
        own = links.filter(objective_id=objective_id).values("action_id")
        by_roadmap = Roadmap.objectives.through.objects.filter(objective_id=objective_id).values("roadmap_id")
        return self.filter(
            Q(id__in=own) | (~Exists(links.filter(action_id=OuterRef("pk"))) & Q(roadmap_id__in=by_roadmap))
        )


class Action(TimeStampedModel):
    """One concrete step of a roadmap. `version` grows with every change (optimistic locking)."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="actions", verbose_name=_("roadmap"))
    code = models.CharField(_("code"), max_length=20, help_text=_("Short code, unique within its roadmap, e.g. A1."))
    title = BilingualFields(models.CharField, max_length=300)
    description = BilingualFields(models.TextField, blank=True)
    countries = models.ManyToManyField(Country, related_name="actions", verbose_name=_("responsible countries"))
    organizations = models.ManyToManyField(
        Organization, blank=True, related_name="actions", verbose_name=_("supporting organisations")
    )
    objectives = models.ManyToManyField(
        Objective,
        blank=True,
        related_name="actions",
        verbose_name=_("GCM objectives"),
        help_text=_("Leave empty to use the roadmap's objectives."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    indicator = models.TextField(_("indicator"), blank=True)
    baseline = models.CharField(_("baseline"), max_length=250, blank=True)
    target = models.CharField(_("target"), max_length=250, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus, default=ActionStatus.NOT_STARTED, db_index=True
    )
    get_status_display = status_display  # the labels translated once per language
    percent_complete = models.PositiveSmallIntegerField(_("percent complete"), default=0)
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependents", verbose_name=_("depends on")
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[countries, organizations, objectives])

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["roadmap_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["roadmap", "code"],
                name="action_code_unique_in_roadmap",
                violation_error_message=_("This roadmap already has an action with this code."),
            ),
            *progress_constraints("action"),
            not_before(
                "due_date",
                "start_date",
                optional=("due_date", "start_date"),
                name="action_due_not_before_start",
                message=_("The due date cannot be before the start date."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="action_status_due_idx"),
            # A partner's sync (`updated_since`, by keyset in this order: api.keyset).
            models.Index(fields=["updated_at", "id"], name="action_updated_idx"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("regional:action_detail", kwargs={"pk": self.pk})

    @property
    def is_overdue(self) -> bool:
        return is_overdue(self.due_date, self.status)

    @property
    def is_due_soon(self) -> bool:
        return is_due_soon(self.due_date, self.status)


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
    get_status_display = status_display  # the labels translated once per language
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
    reviewer = optional_key(settings.AUTH_USER_MODEL, related_name="reviewed_updates", verbose_name=_("reviewer"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    on_behalf = models.BooleanField(
        _("entered by the secretariat on the country's behalf"),
        default=False,
        db_default=False,  # rows written by SQL (COPY in bench/seed.py, triggers) need no value
        help_text=_("The secretariat entered this report for the country (for example from a letter or an e-mail)."),
    )
    cycle = optional_key(
        "roadmaps.ReportingCycle",
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
            # The latest approved updates of a page, newest first (regional.selectors.latest_approved_updates):
            # PostgreSQL walks this in order and stops after the page's few rows.
            models.Index(
                F("reporting_date").desc(),
                F("created_at").desc(),
                F("id").desc(),
                name="update_approved_latest_idx",
                condition=Q(review_state=ReviewState.APPROVED),
            ),
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
