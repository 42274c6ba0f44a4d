"""Reporting cycles: who must report, the decisions on a cycle (open, close, reopen), the snapshot
frozen at close, and the completeness figures and quality checks the board shows.

A cycle's scope — the (action, country) pairs it expects a report on — has one definition,
`cycle_scope`: the responsible countries (among the expected ones) of every action of an active or
completed roadmap that runs during the cycle's period.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from countries.models import Country
from roadmaps.figures import states as figures_of_states
from roadmaps.indicator_snapshots import indicators_freeze
from roadmaps.models import (
    Action,
    ActionStatus,
    CountryProgress,
    CycleState,
    ProgressUpdate,
    ReportingCycle,
    ReviewState,
    RoadmapStatus,
    SnapshotRow,
    objective_numbers_of_action,
    overall_progress,
    overdue_q,
)

STALE_AFTER_DAYS = 180


def _running_actions(cycle: ReportingCycle):
    return Action.objects.filter(
        roadmap__status__in=[RoadmapStatus.ACTIVE, RoadmapStatus.COMPLETED],
    ).filter(
        Q(start_date__isnull=True) | Q(start_date__lte=cycle.period_end),
        Q(due_date__isnull=True) | Q(due_date__gte=cycle.period_start),
    )


def expected_country_ids(cycle: ReportingCycle) -> list[int]:
    """The countries the cycle expects reports from: those chosen, else every responsible country of
    an action running in the period."""
    chosen = list(cycle.expected_countries.values_list("id", flat=True))
    if chosen:
        return chosen
    links = Action.countries.through.objects.filter(action__in=_running_actions(cycle))
    return sorted(set(links.values_list("country_id", flat=True)))


def cycle_scope(cycle: ReportingCycle):
    """CountryProgress rows of the (action, country) pairs the cycle expects a report on."""
    return CountryProgress.objects.filter(
        action__in=_running_actions(cycle), country_id__in=expected_country_ids(cycle)
    )


# --- Decisions ------------------------------------------------------------------------------------


def _check_secretariat(user) -> None:
    if not roles.is_secretariat(user):
        raise PermissionDenied(_("Only the secretariat runs reporting cycles."))


def _locked(cycle: ReportingCycle) -> ReportingCycle:
    return ReportingCycle.objects.select_for_update().get(pk=cycle.pk)


def _record(cycle: ReportingCycle, user, reason: str) -> None:
    cycle._history_user = user  # simple_history: who took the decision
    cycle._change_reason = reason[:100] if reason else None


@transaction.atomic
def cycle_open(*, cycle: ReportingCycle, user) -> ReportingCycle:
    _check_secretariat(user)
    locked = _locked(cycle)
    if locked.state != CycleState.PLANNED:
        raise ValidationError(
            _("Only a planned cycle can be opened; this one is %(state)s.") % {"state": locked.get_state_display()}
        )
    locked.state = CycleState.OPEN
    _record(locked, user, "")
    locked.save()
    return locked


@transaction.atomic
def cycle_reopen(*, cycle: ReportingCycle, user, reason: str) -> ReportingCycle:
    """Open a closed cycle again. Its snapshot stays (immutable); closing again freezes a new one."""
    _check_secretariat(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"decision_reason": _("Say why the cycle is reopened: the reason is kept in its history.")}
        )
    locked = _locked(cycle)
    if locked.state != CycleState.CLOSED:
        raise ValidationError(_("Only a closed cycle can be reopened."))
    locked.state, locked.decision_reason = CycleState.OPEN, reason
    _record(locked, user, reason)
    locked.save()
    return locked


@transaction.atomic
def cycle_close(*, cycle: ReportingCycle, user, reason: str = "") -> ReportingCycle:
    """Close an open cycle and freeze its snapshot: one immutable row per (action, country) of its scope.

    With open quality flags, closing needs a reason, kept in the history."""
    _check_secretariat(user)
    reason = (reason or "").strip()
    locked = _locked(cycle)
    if locked.state != CycleState.OPEN:
        raise ValidationError(_("Only an open cycle can be closed."))
    flags = quality_flags(locked)
    if any(flag["count"] for flag in flags) and not reason:
        raise ValidationError(
            {"decision_reason": _("The quality checks found open flags: say why the cycle is closed anyway.")}
        )
    locked.state, locked.closed_at, locked.closed_by = CycleState.CLOSED, timezone.now(), user
    locked.decision_reason = reason
    _record(locked, user, reason)
    locked.save()
    _freeze(locked)
    return locked


def _freeze(cycle: ReportingCycle) -> None:
    """INSERT … SELECT of the scope's current state, with the texts and objectives as they are now."""
    scope_sql, scope_params = cycle_scope(cycle).values("id").query.sql_with_params()
    objectives = Action.objectives.through._meta.db_table
    roadmap_objectives = Action.roadmap.field.related_model.objectives.through._meta.db_table
    sql = f"""
        INSERT INTO {SnapshotRow._meta.db_table} (
            cycle_id, frozen_at, action_id, action_code, action_title_en, action_title_es, due_date,
            roadmap_id, roadmap_slug, roadmap_title_en, roadmap_title_es, objective_numbers,
            country_id, country_code, country_name_en, country_name_es,
            status, percent_complete, update_id, reporting_date, narrative, challenges)
        SELECT %s, %s, a.id, a.code, a.title_en, a.title_es, a.due_date,
               r.id, r.slug, r.title_en, r.title_es,
               COALESCE(
                   (SELECT array_agg(o.number ORDER BY o.number) FROM {objectives} ao
                    JOIN gcm_objective o ON o.id = ao.objective_id WHERE ao.action_id = a.id),
                   (SELECT array_agg(o.number ORDER BY o.number) FROM {roadmap_objectives} ro
                    JOIN gcm_objective o ON o.id = ro.objective_id WHERE ro.roadmap_id = r.id),
                   '{{}}'),
               k.id, k.code, k.name_en, k.name_es,
               s.status, s.percent_complete, s.update_id, s.reporting_date,
               COALESCE(u.narrative, ''), COALESCE(u.challenges, '')
        FROM {CountryProgress._meta.db_table} s
        JOIN roadmaps_action a ON a.id = s.action_id
        JOIN roadmaps_roadmap r ON r.id = a.roadmap_id
        JOIN countries_country k ON k.id = s.country_id
        LEFT JOIN roadmaps_progressupdate u ON u.id = s.update_id
        WHERE s.id IN ({scope_sql})
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, (cycle.pk, cycle.closed_at, *scope_params))
    # The indicators' figures, frozen with the same time (roadmaps.indicator_snapshots).
    indicators_freeze(cycle, action_ids=cycle_scope(cycle).values("action_id"))


def frozen_rows(cycle: ReportingCycle):
    """The rows of the cycle's last close."""
    return SnapshotRow.objects.filter(cycle=cycle, frozen_at=cycle.closed_at)


# --- Completeness and quality ----------------------------------------------------------------------


def completeness(cycle: ReportingCycle, *, public: bool) -> list[dict]:
    """Per expected country: actions expected, reported, approved, pending, returned, missing, and
    whether its last report came by the deadline. `public`: approved figures only. Three queries."""
    scope = cycle_scope(cycle)
    expected = dict(scope.values("country_id").annotate(n=Count("id")).values_list("country_id", "n"))
    updates = ProgressUpdate.objects.filter(cycle=cycle, action_id__in=scope.values("action_id"))
    per_state = {}
    for row in updates.values("country_id", "review_state").annotate(
        n=Count("action_id", distinct=True), last=Max("created_at")
    ):
        per_state.setdefault(row["country_id"], {})[row["review_state"]] = row
    reported = dict(
        updates.values("country_id").annotate(n=Count("action_id", distinct=True)).values_list("country_id", "n")
    )
    deadline_end = datetime.datetime.combine(cycle.deadline, datetime.time.max, tzinfo=timezone.get_current_timezone())
    rows = []
    for country in Country.objects.filter(id__in=expected_country_ids(cycle)).order_by("code"):
        states = per_state.get(country.id, {})
        approved = states.get(ReviewState.APPROVED, {}).get("n", 0)
        done = approved if public else reported.get(country.id, 0)
        last = max((s["last"] for s in states.values()), default=None)
        rows.append(
            {
                "country": country,
                "code": country.code,
                "expected": expected.get(country.id, 0),
                "reported": None if public else reported.get(country.id, 0),
                "approved": approved,
                "pending": None if public else states.get(ReviewState.SUBMITTED, {}).get("n", 0),
                "returned": None if public else states.get(ReviewState.RETURNED, {}).get("n", 0),
                "missing": max(expected.get(country.id, 0) - done, 0),
                "on_time": None if last is None else last <= deadline_end,
            }
        )
    return rows


QUALITY_CHECKS = {
    "completed_below_100": gettext_lazy("Completed below 100 %"),
    "overdue_on_track": gettext_lazy("Overdue but on track"),
    "no_objective": gettext_lazy("No GCM objective"),
    "completed_without_evidence": gettext_lazy("Completed without evidence"),
    "stale": gettext_lazy("No update for 180 days"),
}


def quality_flags(cycle: ReportingCycle) -> list[dict]:
    """[{key, label, count}] of the checks the secretariat clears before closing. One query."""
    scope = cycle_scope(cycle)
    today = timezone.localdate()
    own = Action.objects.filter(pk=OuterRef("action_id"), objectives__isnull=False)
    by_roadmap = Action.objects.filter(pk=OuterRef("action_id"), roadmap__objectives__isnull=False)
    evidence = ProgressUpdate.objects.filter(pk=OuterRef("update_id")).filter(
        ~Q(evidence_url="") | ~Q(evidence_file="")
    )
    counts = scope.aggregate(
        completed_below_100=Count("id", filter=Q(status=ActionStatus.COMPLETED) & ~Q(percent_complete=100)),
        overdue_on_track=Count(
            "id", filter=overdue_q(today, due_date="action__due_date") & Q(status=ActionStatus.ON_TRACK)
        ),
        no_objective=Count("id", filter=~Q(Exists(own)) & ~Q(Exists(by_roadmap))),
        completed_without_evidence=Count("id", filter=Q(status=ActionStatus.COMPLETED) & ~Q(Exists(evidence))),
        stale=Count(
            "id",
            filter=Q(reporting_date__isnull=True)
            | Q(reporting_date__lt=today - datetime.timedelta(days=STALE_AFTER_DAYS)),
        ),
    )
    return [{"key": key, "label": label, "count": counts[key]} for key, label in QUALITY_CHECKS.items()]


# --- Compare two snapshots, or a snapshot and today ------------------------------------------------


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


# --- Reminders ----------------------------------------------------------------------------------

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
