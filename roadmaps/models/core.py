import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, When
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts import roles
from core.bilingual import Bilingual
from core.models import TimeStampedModel
from countries.models import Country
from gcm.models import Forum, GuidingPrinciple, Objective, Organization
from roadmaps.uploads import file_type, name_for_type, private_storage, validate_evidence_file

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
            return self.filter(published | involving_q(country_ids))
        return self.filter(published)

    def involving(self, country_ids):
        return self.filter(involving_q(country_ids))

    def serving(self, objective_ids):
        return self.filter(serving_q(objective_ids))


def involving_q(country_ids) -> Q:
    """A roadmap involves a country that leads it, takes part in it or is responsible for one of its
    actions (the one definition). `country_ids`: ids, or a queryset of them."""
    return (
        Q(lead_country_id__in=country_ids)
        | Q(id__in=Roadmap.countries.through.objects.filter(country_id__in=country_ids).values("roadmap_id"))
        | Q(id__in=Action.countries.through.objects.filter(country_id__in=country_ids).values("action__roadmap_id"))
    )


def serving_q(objective_ids) -> Q:
    """A roadmap serves an objective it names, or one an action of it names (an action without its own
    objectives serves its roadmap's, so this is the union of both). `objective_ids`: ids or a queryset."""
    return Q(id__in=Roadmap.objectives.through.objects.filter(objective_id__in=objective_ids).values("roadmap_id")) | Q(
        id__in=Action.objectives.through.objects.filter(objective_id__in=objective_ids).values("action__roadmap_id")
    )


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
COMPLETED_MEANS_100_MESSAGE = _("Status “completed” means 100 %%: set the percent to 100 or choose another status.")

# The GCM was adopted on 10 December 2018 (A/RES/73/195): no report on it can be dated earlier.
GCM_ADOPTION = datetime.date(2018, 12, 10)


# --- Overdue and due soon: the one definition ---------------------------------------------------
#
# *Overdue* = the due date has passed and the status is neither completed nor cancelled. The status is
# the action's overall one, or one responsible country's (`CountryProgress`), so the Q factory takes
# the paths of both fields. Python (`is_overdue`) and SQL (`overdue_sql`) twins sit here, next to it,
# and tests/roadmaps/test_rules.py checks that the three agree.


def overdue_q(today: datetime.date | None = None, *, due_date: str = "due_date", status: str = "status") -> Q:
    today = today or timezone.localdate()
    return Q(**{f"{due_date}__isnull": False, f"{due_date}__lt": today}) & ~Q(**{f"{status}__in": CLOSED_STATUSES})


def due_soon_q(
    today: datetime.date | None = None, *, days: int | None = None, due_date: str = "due_date", status: str = "status"
) -> Q:
    today = today or timezone.localdate()
    days = settings.DUE_SOON_DAYS if days is None else days
    window = {f"{due_date}__gte": today, f"{due_date}__lte": today + datetime.timedelta(days=days)}
    return Q(**window) & ~Q(**{f"{status}__in": CLOSED_STATUSES})


def is_overdue(due_date: datetime.date | None, status: str, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return bool(due_date and due_date < today and status not in CLOSED_STATUSES)


def is_due_soon(due_date: datetime.date | None, status: str, today: datetime.date | None = None) -> bool:
    if not due_date or status in CLOSED_STATUSES:
        return False
    today = today or timezone.localdate()
    return today <= due_date <= today + datetime.timedelta(days=settings.DUE_SOON_DAYS)


def overdue_sql(due_date: str, status: str) -> tuple[str, tuple]:
    """The SQL twin of `overdue_q` over two column expressions, with its parameters."""
    closed = tuple(str(s) for s in CLOSED_STATUSES)
    return f"({due_date} IS NOT NULL AND {due_date} < %s AND {status} NOT IN (%s, %s))", (
        timezone.localdate(),
        *closed,
    )


def due_soon_sql(due_date: str, status: str) -> tuple[str, tuple]:
    """The SQL twin of `due_soon_q` over two column expressions, with its parameters."""
    today = timezone.localdate()
    closed = tuple(str(s) for s in CLOSED_STATUSES)
    return f"({due_date} >= %s AND {due_date} <= %s AND {status} NOT IN (%s, %s))", (
        today,
        today + datetime.timedelta(days=settings.DUE_SOON_DAYS),
        *closed,
    )


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

    def serving_objective(self, objective_id: int):
        """The actions that work on the objective: their own objectives, or their roadmap's when they
        have none (the one definition; `objective_numbers_of_action` is its array twin)."""
        links = Action.objectives.through.objects
        own = links.filter(objective_id=objective_id).values("action_id")
        by_roadmap = Roadmap.objectives.through.objects.filter(objective_id=objective_id).values("roadmap_id")
        return self.filter(
            Q(id__in=own) | (~Exists(links.filter(action_id=OuterRef("pk"))) & Q(roadmap_id__in=by_roadmap))
        )


def objective_numbers_of_action(action_ref: str = "pk", roadmap_ref: str = "roadmap_id"):
    """The one definition of an action's GCM objectives, as a sorted array of numbers: its own, or its
    roadmap's when it has none (PRODUCT.md). `action_ref`/`roadmap_ref` name the outer columns."""
    from django.contrib.postgres.expressions import ArraySubquery

    own = Action.objectives.through.objects.filter(action_id=OuterRef(action_ref))
    by_roadmap = Roadmap.objectives.through.objects.filter(roadmap_id=OuterRef(roadmap_ref))
    return Case(
        When(Exists(own), then=ArraySubquery(own.order_by("objective__number").values("objective__number"))),
        default=ArraySubquery(by_roadmap.order_by("objective__number").values("objective__number")),
    )


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
                violation_error_message=COMPLETED_MEANS_100_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(start_date__isnull=True) | Q(due_date__gte=F("start_date")),
                name="action_due_not_before_start",
                violation_error_message=_("The due date cannot be before the start date."),
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
            models.CheckConstraint(
                condition=PERCENT_RANGE,
                name="update_percent_0_100",
                violation_error_message=_("Percent complete must be between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=COMPLETED_MEANS_100,
                name="update_completed_is_100",
                violation_error_message=COMPLETED_MEANS_100_MESSAGE,
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


def reporter_today() -> datetime.date:
    """The latest "today" a reporter can have: the date at UTC−2, the easternmost offset of the
    Americas (a country's own time zone is not recorded), or the server's date if later."""
    return max(timezone.localdate(), (timezone.now() - datetime.timedelta(hours=2)).date())
