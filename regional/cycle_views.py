"""Pages of the reporting cycles: the completeness board, and compare (two snapshots, or one and today).

Thin: scope to the viewer, call `roadmaps.cycles` and `roadmaps.cycle_compare`, render. The secretariat
sees live reporting figures (reported, pending, returned) and the quality checks; everyone else sees the
approved figures.
"""

from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from accounts import roles
from regional import exports
from regional.indicators import compare_indicator_rows
from roadmaps import cycle_compare, cycles
from roadmaps.models import Action, ActionStatus, CycleState, ReportingCycle, Roadmap


def viewable_cycles(user):
    return ReportingCycle.objects.visible_to(user)


def cycle_board(request, key):
    cycle = get_object_or_404(viewable_cycles(request.user), key=key)
    secretariat = roles.is_secretariat(request.user)
    rows = cycles.completeness(cycle, public=not secretariat)
    context = {
        "cycle": cycle,
        "rows": rows,
        "live": secretariat,
        "totals": {
            name: sum(row[name] or 0 for row in rows) for name in ("expected", "reported", "approved", "missing")
        },
        "quality_flags": cycles.quality_flags(cycle) if secretariat and cycle.state == CycleState.OPEN else None,
        "closed_cycles": viewable_cycles(request.user).closed().exclude(pk=cycle.pk),
    }
    return render(request, "regional/cycle_board.html", context)


def review_compare(request):
    """`?from=<key>&to=<key|live>`: per (action, country) before → after, counts per objective and
    country; `format=xlsx` with delta columns."""
    visible = viewable_cycles(request.user).filter(closed_at__isnull=False)
    before = visible.filter(key=request.GET.get("from", "")).first()
    to_key = request.GET.get("to", "live")
    after = None if to_key == "live" else visible.filter(key=to_key).first()
    errors = []
    if before is None:
        errors.append(_("Choose a closed cycle to compare from."))
    if to_key != "live" and after is None:
        errors.append(_("Compare with another closed cycle, or with today (“live”)."))
    if errors:
        context = {"errors": errors, "cycles": visible.order_by("-closed_at")}
        return render(request, "regional/compare.html", context, status=400)
    roadmap_ids = list(Roadmap.objects.visible_to(request.user).values_list("id", flat=True))
    rows = cycle_compare.compare_cycles(before, after, roadmap_ids)
    counts = cycle_compare.compare_counts(rows)
    indicators = compare_indicator_rows(before, after, roadmap_ids)
    export = request.GET.get("format")
    if export == "xlsx":
        return exports.compare_xlsx(
            rows, before=before.key, after=after.key if after else "live", indicators=indicators
        )
    if export:
        return HttpResponseBadRequest(_("Unknown format: choose xlsx."))
    labels = dict(ActionStatus.choices)
    for row in rows:
        row["status_before"] = row["status_before"] and labels[row["status_before"]]
        row["status_after"] = row["status_after"] and labels[row["status_after"]]
    context = {
        "before": before,
        "after": after,
        "rows": [row for row in rows if row["change"] != "unchanged"],
        "unchanged": sum(row["change"] == "unchanged" for row in rows),
        "counts": counts,
        "indicators": indicators,
        "cycles": visible.order_by("-closed_at"),
        "query": request.GET.urlencode(),
    }
    return render(request, "regional/compare.html", context)


def since_last_cycle(user, live_objectives) -> dict | None:
    """The dashboard's panel: actions completed since the last closed cycle, and each objective's change
    in mean percent (today's figures `live_objectives` against the snapshot's)."""
    last = cycle_compare.last_closed()
    if last is None or (last.state == CycleState.PLANNED and not roles.is_secretariat(user)):
        return None
    roadmap_ids = list(Roadmap.objects.visible_to(user).values_list("id", flat=True))
    before = cycle_compare.states_of(last, roadmap_ids)
    frozen = cycle_compare.frozen_figures(before)
    completed_before = cycle_compare.completed_actions(before)
    changes = []
    for row in live_objectives:
        then = frozen.get(row.objective.number)
        if row.mean_percent is None and then is None:
            continue
        then_mean = then.mean_percent if then else None
        delta = None if row.mean_percent is None or then_mean is None else round(row.mean_percent - then_mean, 1)
        changes.append({"objective": row.objective, "before": then_mean, "now": row.mean_percent, "delta": delta})
    completed_now = Action.objects.visible_to(user).filter(status=ActionStatus.COMPLETED)
    completed_since = completed_now.exclude(id__in=completed_before).select_related("roadmap").order_by("code")
    return {
        "cycle": last,
        "completed_since": completed_since[:20],
        "completed_count": completed_since.count(),
        "changes": changes,
    }
