"""Two states of the reporting compared: a closed cycle's snapshot against an earlier one, or
against today (the cycle compare page, the API's cycle compare, the board's "since the last close")."""

from django.db.models import F

from roadmaps.cycles import frozen_rows
from roadmaps.figures import states as figures_of_states
from roadmaps.models import (
    ActionStatus,
    CountryProgress,
    ReportingCycle,
    RoadmapStatus,
    objective_numbers_of_action,
    overall_progress,
)


def states_of(cycle: ReportingCycle | None, roadmap_ids) -> dict[tuple[int, str], dict]:
    """{(action id, country code): state} of a closed cycle's snapshot, or today's (None) over every
    action of an active or completed roadmap; only roadmaps in `roadmap_ids` (the viewer's). One query."""
    if cycle is not None:
        rows = (
            frozen_rows(cycle)
            .filter(roadmap_id__in=roadmap_ids)
            .values(
                "action_id",
                "action_code",
                "roadmap_slug",
                "country_code",
                "objective_numbers",
                "status",
                "percent_complete",
                "due_date",
            )
        )
    else:
        rows = CountryProgress.objects.filter(
            action__roadmap_id__in=roadmap_ids,
            action__roadmap__status__in=[RoadmapStatus.ACTIVE, RoadmapStatus.COMPLETED],
        ).values(
            "action_id",
            "status",
            "percent_complete",
            action_code=F("action__code"),
            roadmap_slug=F("action__roadmap__slug"),
            country_code=F("country__code"),
            objective_numbers=objective_numbers_of_action("action_id", "action__roadmap_id"),
            due_date=F("action__due_date"),
        )
    return {(row["action_id"], row["country_code"]): row for row in rows}


def compare(before: dict, after: dict) -> list[dict]:
    """Per (action, country) in either: the change (added, removed, changed, unchanged), the status
    and percent before → after and the difference, ordered by country, roadmap and action code."""
    result = []
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        row = new or old
        if old is None:
            change = "added"
        elif new is None:
            change = "removed"
        elif (old["status"], old["percent_complete"]) != (new["status"], new["percent_complete"]):
            change = "changed"
        else:
            change = "unchanged"
        result.append(
            {
                "action_id": row["action_id"],
                "action_code": row["action_code"],
                "roadmap_slug": row["roadmap_slug"],
                "country_code": row["country_code"],
                "objective_numbers": list(row["objective_numbers"] or []),
                "change": change,
                "status_before": old and old["status"],
                "status_after": new and new["status"],
                "percent_before": old and old["percent_complete"],
                "percent_after": new and new["percent_complete"],
                "percent_delta": None
                if old is None or new is None
                else new["percent_complete"] - old["percent_complete"],
            }
        )
    result.sort(key=lambda r: (r["country_code"], r["roadmap_slug"], r["action_code"], r["action_id"]))
    return result


def compare_cycles(before: ReportingCycle | None, after: ReportingCycle | None, roadmap_ids) -> list[dict]:
    """`compare` of two closed cycles' snapshots, or of one and today (None)."""
    return compare(states_of(before, roadmap_ids), states_of(after, roadmap_ids))


CHANGES = ("added", "removed", "changed", "unchanged")


def compare_counts(rows: list[dict]) -> dict:
    """{"by_objective": {n: {change: count}}, "by_country": {code: {change: count}}} of `compare` rows."""
    by_objective, by_country = {}, {}
    for row in rows:
        for number in row["objective_numbers"]:
            by_objective.setdefault(number, dict.fromkeys(CHANGES, 0))[row["change"]] += 1
        by_country.setdefault(row["country_code"], dict.fromkeys(CHANGES, 0))[row["change"]] += 1
    return {"by_objective": dict(sorted(by_objective.items())), "by_country": dict(sorted(by_country.items()))}


def last_closed(before=None) -> ReportingCycle | None:
    cycles = ReportingCycle.objects.closed().order_by("-closed_at")
    if before is not None:
        cycles = cycles.filter(closed_at__lt=before)
    return cycles.first()


def frozen_figures(states: dict) -> dict:
    """{objective number: Figures} of `states_of(cycle, …)`, by the report's rule (roadmaps.figures.states)."""
    return figures_of_states.by_objective(
        [
            figures_of_states.State(
                action_id=s["action_id"],
                country_code=s["country_code"],
                objective_numbers=tuple(s["objective_numbers"] or ()),
                status=s["status"],
                percent_complete=s["percent_complete"],
                due_date=s["due_date"],
            )
            for s in states.values()
        ]
    )


def completed_actions(states: dict) -> set[int]:
    """Ids of the actions whose overall state in `states` is completed."""
    per_action = {}
    for s in states.values():
        per_action.setdefault(s["action_id"], []).append((s["status"], s["percent_complete"]))
    return {a for a, values in per_action.items() if overall_progress(values)[0] == ActionStatus.COMPLETED}
