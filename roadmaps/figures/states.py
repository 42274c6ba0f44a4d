"""Figures over a set of (action, country) states: by GCM objective and by country.

Used wherever the states are not today's live rows — a closed cycle's snapshot, a report as of a day —
by the review report (`regional.report`) and the API (`api.cycles`, `stats/…?cycle=`), so both give the
same numbers from the same code (today's rows: `roadmaps.figures.live`, into the same `Figures`). An
action's overall state follows from its countries' by the one rule (`overall_progress`); a country's
figures use its own state.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from roadmaps.figures.rules import counted_in_mean, mean_percent
from roadmaps.models import ActionStatus, is_overdue, overall_progress


@dataclass(frozen=True)
class State:
    action_id: int
    country_code: str
    objective_numbers: tuple
    status: str
    percent_complete: int
    due_date: datetime.date | None
    day: datetime.date | None = None  # the day the state is read on (overdue is judged then)


@dataclass
class Figures:
    actions: int = 0
    completed: int = 0
    overdue: int = 0
    percent_total: int = 0  # of the actions counted in the mean (not cancelled)
    countries: int = 0
    cancelled: int = 0

    @property
    def counted(self) -> int:
        return self.actions - self.cancelled

    @property
    def mean_percent(self) -> float | None:
        return mean_percent(self.percent_total, self.counted)

    def values(self, *names: str) -> dict:
        """{name: figure} of these figures (fields or properties), in this order."""
        return {name: getattr(self, name) for name in names}


def by_objective(states: list[State]) -> dict[int, Figures]:
    """{objective number: Figures} — each action once per objective, with its overall state."""
    per_action = defaultdict(list)
    for s in states:
        per_action[s.action_id].append(s)
    result = defaultdict(Figures)
    countries = defaultdict(set)
    for rows in per_action.values():
        first = rows[0]
        status, percent = overall_progress([(r.status, r.percent_complete) for r in rows])
        for number in first.objective_numbers:
            figures = result[number]
            figures.actions += 1
            figures.completed += status == ActionStatus.COMPLETED
            figures.overdue += is_overdue(first.due_date, status, first.day)
            if counted_in_mean(status):
                figures.percent_total += percent
            else:
                figures.cancelled += 1
            countries[number].update(r.country_code for r in rows)
    for number, codes in countries.items():
        result[number].countries = len(codes)
    return dict(result)


def by_country(states: list[State]) -> dict[str, Figures]:
    """{country code: Figures} — each of its actions with the country's own state."""
    result = defaultdict(Figures)
    for s in states:
        figures = result[s.country_code]
        figures.actions += 1
        figures.completed += s.status == ActionStatus.COMPLETED
        figures.overdue += is_overdue(s.due_date, s.status, s.day)
        if counted_in_mean(s.status):
            figures.percent_total += s.percent_complete
        else:
            figures.cancelled += 1
    return dict(result)
