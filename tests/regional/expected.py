"""Figures computed in plain Python from the rows a test created, independently of regional.selectors."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.utils import timezone

CLOSED = ("completed", "cancelled")


def effective_objectives(action):
    own = [o.number for o in action.objectives.all()]
    return own or [o.number for o in action.roadmap.objectives.all()]


def codes(action):
    return sorted(c.code for c in action.countries.all())


def totals(actions, roadmaps):
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=settings.DUE_SOON_DAYS)
    percents = [a.percent_complete for a in actions if a.status != "cancelled"]  # left out of the mean
    return {
        "roadmaps": len(roadmaps),
        "actions": len(actions),
        "countries": len({c for a in actions for c in codes(a)}),
        "completed": sum(1 for a in actions if a.status == "completed"),
        "overdue": sum(1 for a in actions if a.due_date and a.due_date < today and a.status not in CLOSED),
        "due_soon": sum(1 for a in actions if a.due_date and today <= a.due_date <= soon and a.status not in CLOSED),
        "cancelled": sum(1 for a in actions if a.status == "cancelled"),
        "mean_percent": round(sum(percents) / len(percents), 1) if percents else None,
    }


def mean(percents):
    return round(sum(percents) / len(percents), 1) if percents else None


def per_objective(actions):
    """{number: (actions, countries, mean percent)} for objectives with at least one action."""
    found = defaultdict(list)
    for action in actions:
        for number in effective_objectives(action):
            found[number].append(action)
    return {
        number: (
            len(items),
            len({c for a in items for c in codes(a)}),
            mean([a.percent_complete for a in items if a.status != "cancelled"]),
        )
        for number, items in found.items()
    }


def matrix(actions):
    """{(country code, objective number): (actions, mean percent)}."""
    found = defaultdict(list)
    for action in actions:
        for number in effective_objectives(action):
            for code in codes(action):
                found[(code, number)].append(action)
    return {
        key: (len(items), mean([a.percent_complete for a in items if a.status != "cancelled"]))
        for key, items in found.items()
    }
