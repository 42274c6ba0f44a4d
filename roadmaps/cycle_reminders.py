"""Reminders of a reporting cycle's deadline: the expected countries' missing reports, listed in the
focal points' and the secretariat's digests (notifications.digests) and on the focal point's home."""

import datetime

from django.db.models import Exists, OuterRef

from roadmaps.cycles import cycle_scope, expected_country_ids
from roadmaps.models import ProgressUpdate, ReportingCycle, ReviewState

# The days around an open cycle's deadline on which the focal points of expected countries with missing
# reports are reminded (inside their digest), and the secretariat's digest lists those countries.
REMINDER_DAYS_FROM_DEADLINE = (-7, -1, 1)


def missing_reports(cycle: ReportingCycle, country_ids):
    """The cycle's (action, country) pairs of these countries with no report for it yet (submitted or
    approved; a returned one still has to be answered)."""
    answered = ProgressUpdate.objects.filter(
        cycle=cycle,
        action_id=OuterRef("action_id"),
        country_id=OuterRef("country_id"),
        review_state__in=[ReviewState.SUBMITTED, ReviewState.APPROVED],
    )
    return (
        cycle_scope(cycle)
        .filter(country_id__in=country_ids)
        .filter(~Exists(answered))
        .select_related("action", "action__roadmap", "country")
        .order_by("action__due_date", "action__code", "country__code")
    )


def cycles_to_remind(today: datetime.date) -> list[ReportingCycle]:
    """Open cycles whose deadline is 7 days or 1 day away, or was yesterday."""
    days = [today - datetime.timedelta(days=offset) for offset in REMINDER_DAYS_FROM_DEADLINE]
    return list(ReportingCycle.objects.open().filter(deadline__in=days).order_by("deadline", "key"))


def cycle_reminders(today: datetime.date, country_ids) -> list[dict]:
    """[{cycle, days_left, missing}] for the countries' digest on `today` (empty most days)."""
    reminders = []
    for cycle in cycles_to_remind(today):
        missing = list(missing_reports(cycle, country_ids))
        if missing:
            reminders.append({"cycle": cycle, "days_left": (cycle.deadline - today).days, "missing": missing})
    return reminders


def missing_countries(today: datetime.date) -> list[dict]:
    """[{cycle, days_left, countries}] for the secretariat's digest: expected countries still missing reports."""
    result = []
    for cycle in cycles_to_remind(today):
        codes = sorted({s.country.code for s in missing_reports(cycle, expected_country_ids(cycle))})
        if codes:
            result.append({"cycle": cycle, "days_left": (cycle.deadline - today).days, "countries": codes})
    return result
