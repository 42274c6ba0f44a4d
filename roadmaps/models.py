import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts import roles
from config.bilingual import Bilingual
from config.models import TimeStampedModel
from countries.models import Country
from gcm.models import Forum, GuidingPrinciple, Objective, Organization
from roadmaps.uploads import private_storage, validate_evidence_file

PERCENT_RANGE = Q(percent_complete__gte=0, percent_complete__lte=100)


class Theme(TimeStampedModel):
    """An RCM priority issue, identified at a forum."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    forum = models.ForeignKey(
        Forum,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="themes",
        verbose_name=_("identified at"),
    )

    title = Bilingual("title")
    description = Bilingual("description")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["title_en"]

    def __str__(self):
        return self.title


class RoadmapStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ARCHIVED = "archived", _("Archived")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    PARTNERS = "partners", _("Partners")
    INTERNAL = "internal", _("Internal")


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
            own = (
                Q(lead_country_id__in=country_ids)
                | Q(id__in=Roadmap.countries.through.objects.filter(country_id__in=country_ids).values("roadmap_id"))
                | Q(id__in=Action.objects.filter(countries__in=country_ids).values("roadmap_id"))
            )
            return self.filter(published | own)
        return self.filter(published)


class Roadmap(TimeStampedModel):
    title_en = models.CharField(_("title (English)"), max_length=250)
    title_es = models.CharField(_("title (Spanish)"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="roadmaps", verbose_name=_("theme"))
    forum = models.ForeignKey(
        Forum,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roadmaps",
        verbose_name=_("adopted at"),
    )
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
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)

    title = Bilingual("title")
    description = Bilingual("description")
    objects = RoadmapQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[countries, organizations, objectives, principles])

    class Meta:
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")
        ordering = ["title_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="roadmap_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("regional:roadmap_detail", kwargs={"slug": self.slug})


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


CLOSED_STATUSES = (ActionStatus.COMPLETED, ActionStatus.CANCELLED)
COMPLETED_MEANS_100 = ~Q(status=ActionStatus.COMPLETED) | Q(percent_complete=100)


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(roadmap__in=Roadmap.objects.visible_to(user))

    def overdue(self, today: datetime.date | None = None):
        """Due date passed and neither completed nor cancelled."""
        today = today or timezone.localdate()
        return self.filter(due_date__lt=today).exclude(status__in=CLOSED_STATUSES)

    def due_soon(self, today: datetime.date | None = None, days: int | None = None):
        today = today or timezone.localdate()
        days = settings.DUE_SOON_DAYS if days is None else days
        return self.filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=days)).exclude(
            status__in=CLOSED_STATUSES
        )

    def for_countries(self, country_ids):
        return self.filter(countries__in=country_ids).distinct()


class Action(TimeStampedModel):
    """One concrete step of a roadmap. `version` grows with every change (optimistic locking)."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="actions", verbose_name=_("roadmap"))
    code = models.CharField(_("code"), max_length=20, help_text=_("Short code, unique within its roadmap, e.g. A1."))
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_es = models.CharField(_("title (Spanish)"), max_length=300)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
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
    percent_complete = models.PositiveSmallIntegerField(_("percent complete"), default=0)
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependents", verbose_name=_("depends on")
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    title = Bilingual("title")
    description = Bilingual("description")
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
            models.CheckConstraint(
                condition=PERCENT_RANGE,
                name="action_percent_0_100",
                violation_error_message=_("Percent complete must be between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=COMPLETED_MEANS_100,
                name="action_completed_is_100",
                violation_error_message=_("A completed action must be at 100 %%."),
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(start_date__isnull=True) | Q(due_date__gte=F("start_date")),
                name="action_due_not_before_start",
                violation_error_message=_("The due date cannot be before the start date."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="action_status_due_idx"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("regional:action_detail", kwargs={"pk": self.pk})

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_date and self.due_date < timezone.localdate() and self.status not in CLOSED_STATUSES)

    @property
    def is_due_soon(self) -> bool:
        if not self.due_date or self.status in CLOSED_STATUSES:
            return False
        today = timezone.localdate()
        return today <= self.due_date <= today + datetime.timedelta(days=settings.DUE_SOON_DAYS)


class ReviewState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


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

    objects = ProgressUpdateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-reporting_date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=PERCENT_RANGE,
                name="update_percent_0_100",
                violation_error_message=_("Percent complete must be between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=COMPLETED_MEANS_100,
                name="update_completed_is_100",
                violation_error_message=_("An update with status completed must report 100 %%."),
            ),
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
        ]
        indexes = [
            models.Index(fields=["action", "review_state", "reporting_date"], name="update_action_state_idx"),
        ]

    def __str__(self):
        return f"{self.action.code} · {self.country.code} · {self.reporting_date} ({self.get_review_state_display()})"

    @property
    def is_locked(self) -> bool:
        return self.review_state == ReviewState.APPROVED


class DataGeneration(models.Model):
    """How many transactions have changed roadmap data: the key of cached figures (roadmaps.figures_cache).

    Written only by a PostgreSQL trigger (migration 0004), once per writing transaction, in a row of
    the connection's own (`backend_pid`), so writers never wait for each other. The sum of `counter`
    grows exactly when such a transaction commits, as every reader sees it. The rows of closed
    connections are folded into row 0 from time to time (`figures_cache.compact`).
    """

    backend_pid = models.IntegerField(primary_key=True)
    counter = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data generation")
        verbose_name_plural = _("data generations")

    def __str__(self):
        return f"{self.backend_pid}: {self.counter}"
