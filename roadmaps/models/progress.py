"""Progress per responsible country, and the one rule that makes an action's overall progress of it.

Each (action, responsible country) has one `CountryProgress` row — a PostgreSQL trigger on the action's
country links creates and deletes it (migration 0005), so no path that adds a country can forget it.
Its state is the country's latest approved update (by reporting date, then approval time), or, where
the country has never had one approved, the baseline the secretariat set (default: not started, 0 %).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import optional_key
from roadmaps.models.choices import ActionStatus, status_display
from roadmaps.models.rules import progress_constraints

# The overall state of an action follows from its countries' (README "Progress per country"):
# - countries whose state is *cancelled* are left out, unless every country is cancelled (→ cancelled);
# - percent = the mean of the others' percents, rounded; a country with no report counts as 0 %;
# - status = completed when every one of them is completed; otherwise the most behind of
#   delayed → at risk, if any country is; otherwise not started when none has started; else on track.
BEHIND_FIRST = (ActionStatus.DELAYED, ActionStatus.AT_RISK)


def overall_progress(states: list[tuple[str, int]], *, default: tuple[str, int] | None = None) -> tuple[str, int]:
    """(status, percent) of an action from its countries' [(status, percent)].

    An action with no responsible country keeps `default` (its own values)."""
    if not states:
        return default or (ActionStatus.NOT_STARTED, 0)
    active = [(s, p) for s, p in states if s != ActionStatus.CANCELLED]
    if not active:
        return ActionStatus.CANCELLED, round(sum(p for _s, p in states) / len(states))
    statuses = {s for s, _p in active}
    percent = round(sum(p for _s, p in active) / len(active))
    if statuses == {ActionStatus.COMPLETED}:
        return ActionStatus.COMPLETED, 100
    for status in BEHIND_FIRST:
        if status in statuses:
            return status, percent
    if statuses == {ActionStatus.NOT_STARTED}:
        return ActionStatus.NOT_STARTED, percent
    return ActionStatus.ON_TRACK, percent


class CountryProgressQuerySet(models.QuerySet):
    def visible_to(self, user):
        from roadmaps.models.core import Action

        return self.filter(action__in=Action.objects.visible_to(user))


class CountryProgress(models.Model):
    """The current status and percent of one responsible country on one action."""

    action = models.ForeignKey(
        "roadmaps.Action", on_delete=models.CASCADE, related_name="country_progress", verbose_name=_("action")
    )
    country = models.ForeignKey(
        "countries.Country", on_delete=models.CASCADE, related_name="action_progress", verbose_name=_("country")
    )
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus, default=ActionStatus.NOT_STARTED)
    get_status_display = status_display  # the labels translated once per language
    percent_complete = models.PositiveSmallIntegerField(_("percent complete"), default=0)
    update = optional_key("roadmaps.ProgressUpdate", related_name="+", verbose_name=_("from the approved update"))
    reporting_date = models.DateField(_("reporting date"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CountryProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress of a country")
        verbose_name_plural = _("progress per country")
        ordering = ["action_id", "country__code"]
        constraints = [
            models.UniqueConstraint(fields=["action", "country"], name="country_progress_unique"),
            *progress_constraints("country_progress", percent_message=None),
            models.CheckConstraint(
                condition=Q(update__isnull=True) | Q(reporting_date__isnull=False),
                name="country_progress_update_has_date",
            ),
        ]
        indexes = [models.Index(fields=["country", "action"], name="country_progress_country_idx")]

    def __str__(self):
        return f"{self.action_id} · {self.country_id}: {self.status} {self.percent_complete} %"
