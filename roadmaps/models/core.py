"""Themes, roadmaps and actions: who sees them, which countries and objectives they involve."""

import datetime

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts import roles
from core.bilingual import BilingualFields
from core.models import TimeStampedModel, not_before
from countries.models import Country
from gcm.models import Forum, GuidingPrinciple, Objective, Organization
from roadmaps.models.choices import ActionStatus, RoadmapStatus, Visibility
from roadmaps.models.rules import due_soon_q, is_due_soon, is_overdue, overdue_q, progress_constraints


class Theme(TimeStampedModel):
    """An RCM priority issue, identified at a forum."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = BilingualFields(models.CharField, max_length=200)
    description = BilingualFields(models.TextField, blank=True)
    forum = models.ForeignKey(
        Forum,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="themes",
        verbose_name=_("identified at"),
    )

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
    title = BilingualFields(models.CharField, max_length=250)
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
