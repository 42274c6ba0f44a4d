"""Reporting cycles: who must report, the decisions on a cycle (open, close, reopen), the snapshot
frozen at close, and the completeness figures and quality checks the board shows (comparing two
snapshots: roadmaps.cycle_compare; the deadline's reminders: roadmaps.cycle_reminders).

A cycle's scope — the (action, country) pairs it expects a report on — has one definition,
`cycle_scope`: the responsible countries (among the expected ones) of every action of an active or
completed roadmap that runs during the cycle's period.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from countries.models import Country
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
