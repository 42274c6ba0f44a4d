"""Reporting cycles (a round of reporting the secretariat runs) and their frozen snapshots."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.bilingual import BilingualFields
from core.models import TimeStampedModel, not_before, optional_key
from roadmaps.models.choices import ActionStatus, CycleState, status_display


class ReportingCycleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Open and closed cycles for everyone; planned ones for the secretariat only."""
        from accounts import roles

        if roles.is_secretariat(user):
            return self
        return self.exclude(state=CycleState.PLANNED)

    def open(self):
        return self.filter(state=CycleState.OPEN)

    def closed(self):
        return self.filter(state=CycleState.CLOSED)

    def covering(self, day):
        return self.filter(period_start__lte=day, period_end__gte=day)


class ReportingCycle(TimeStampedModel):
    """A round of reporting: the period it covers, its submission window, who must report."""

    key = models.SlugField(_("key"), max_length=60, unique=True, help_text=_("Short and citable, e.g. rr-2025."))
    title = BilingualFields(models.CharField, max_length=200)
    period_start = models.DateField(_("period covered: from"))
    period_end = models.DateField(_("period covered: to"))
    opens_on = models.DateField(_("submissions open on"))
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=8, choices=CycleState, default=CycleState.PLANNED, db_index=True)
    expected_countries = models.ManyToManyField(
        "countries.Country",
        blank=True,
        related_name="reporting_cycles",
        verbose_name=_("countries expected to report"),
        help_text=_("Leave empty: every country responsible for an action of an active roadmap in the period."),
    )
    note = BilingualFields(models.TextField, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = optional_key(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("closed by"))
    decision_reason = models.TextField(
        _("reason of the last decision"), blank=True, help_text=_("Why it was reopened, or closed with open flags.")
    )

    objects = ReportingCycleQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[expected_countries])

    class Meta:
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")
        ordering = ["-period_end", "key"]
        constraints = [
            not_before(
                "period_end",
                "period_start",
                name="cycle_period_end_not_before_start",
                message=_("The period cannot end before it starts."),
            ),
            not_before(
                "deadline",
                "opens_on",
                name="cycle_deadline_not_before_opening",
                message=_("The deadline cannot be before submissions open."),
            ),
            models.CheckConstraint(
                condition=~Q(state=CycleState.CLOSED) | Q(closed_at__isnull=False),
                name="cycle_closed_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.key} · {self.title}"

    def get_absolute_url(self):
        return reverse("regional:cycle_board", kwargs={"key": self.key})

    @property
    def is_closed(self) -> bool:
        return self.state == CycleState.CLOSED


class SnapshotRow(models.Model):
    """The frozen state of one (action, country) at a cycle's close. The database refuses UPDATE and
    DELETE on these rows (trigger of migration 0005): a closed cycle's figures can be quoted for ever.

    Plain columns rather than foreign keys for what is shown, so that later edits of the action or its
    roadmap never change the snapshot; the ids let the live visibility rule still apply to it."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.PROTECT, related_name="snapshot_rows")
    # A cycle reopened and closed again freezes a new set: each is cited by the key and this time.
    frozen_at = models.DateTimeField(_("frozen at"), db_index=True)
    action_id = models.BigIntegerField(_("action id"), db_index=True)
    action_code = models.CharField(_("code"), max_length=20)
    action_title = BilingualFields(models.CharField, label="title", max_length=300)
    due_date = models.DateField(_("due date"), null=True)
    roadmap_id = models.BigIntegerField(_("roadmap id"), db_index=True)
    roadmap_slug = models.CharField(_("roadmap slug"), max_length=120)
    roadmap_title = BilingualFields(models.CharField, max_length=250)
    objective_numbers = ArrayField(models.PositiveSmallIntegerField(), verbose_name=_("GCM objectives"))
    country_id = models.BigIntegerField(_("country id"))
    country_code = models.CharField(_("country"), max_length=2)
    country_name = BilingualFields(models.CharField, max_length=100)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus)
    get_status_display = status_display  # the labels translated once per language
    percent_complete = models.PositiveSmallIntegerField(_("percent complete"))
    update_id = models.BigIntegerField(_("from the approved update"), null=True)
    reporting_date = models.DateField(_("reporting date"), null=True)
    narrative = models.TextField(_("narrative"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)

    class Meta:
        verbose_name = _("snapshot row")
        verbose_name_plural = _("snapshot rows")
        ordering = ["cycle_id", "country_code", "action_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "frozen_at", "action_id", "country_id"], name="snapshot_row_unique"
            ),
        ]

    def __str__(self):
        return f"{self.cycle_id} · {self.action_code} · {self.country_code}"
