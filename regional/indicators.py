"""Indicators on the public pages: each indicator's progress (roadmaps.indicators, the one computation),
its countries' and a chart of its values per cycle. Approved values only: the pages are public."""

from django.utils.translation import gettext as _

from core.figures_cache import cached_figures
from countries.models import Country
from regional.charts import bar_chart
from roadmaps.indicator_snapshots import frozen_indicator_rows, indicator_compare
from roadmaps.indicators import chosen_target, combine_countries, percent_of_way, progress_of, responsible_countries
from roadmaps.models import Action, Indicator, ReportingCycle


def indicator_panels(indicators) -> list[dict]:
    """For the action page: per indicator, the overall progress, one row per reporting country and a bar
    chart (with its table) of the values per cycle, combined across countries. Four queries."""
    indicators = list(indicators)
    progress = progress_of(indicators)
    country_ids = {cid for p in progress.values() for cid in p.countries}
    countries = {c.pk: c for c in Country.objects.filter(pk__in=country_ids)}
    panels = []
    for indicator in indicators:
        result = progress[indicator.pk]
        series = [(cycle.key, float(value), "", "") for cycle, value in result.overall_series]
        panels.append(
            {
                "indicator": indicator,
                "overall": result.overall,
                "countries": [
                    {"country": countries[cid], "progress": p}
                    for cid, p in sorted(result.countries.items(), key=lambda item: countries[item[0]].code)
                ],
                "cycles": [{"cycle": cycle, "value": value} for cycle, value in result.overall_series],
                "chart": bar_chart(series, label_width=110) if series else None,
            }
        )
    return panels


def indicator_summary(actions_queryset, *, country_id=None) -> list[dict]:
    """For the objective and country pages: each indicator of the given actions with its progress —
    overall, or (country page) that country's own (`progress_of` for that country). Three queries."""
    indicators = list(
        Indicator.objects.filter(action__in=actions_queryset).select_related("action").order_by("action__code", "code")
    )
    progress = progress_of(indicators, countries=None if country_id is None else [country_id])
    return [{"indicator": i, "progress": progress[i.pk].overall} for i in indicators]


def review_indicator_rows(actions_queryset, cycle=None, *, as_of=None, countries=None) -> list[dict]:
    """For the review report: each indicator of the report's actions with the cumulative and the way to
    the target; with a cycle, also that cycle's value. A closed cycle's figures are its frozen rows
    (roadmaps.indicator_snapshots), so the report stays as published; otherwise computed (three queries),
    as of a day when the report is (`as_of`: the values reported by then, as the statuses). A report
    for chosen countries (`countries`: ids) gives those countries' figures combined (progress_of)."""
    if cycle is not None and cycle.closed_at is not None:
        if countries:
            return _frozen_chosen_rows(actions_queryset, cycle, set(countries))
        frozen = frozen_indicator_rows(cycle).filter(country_code="", action_id__in=actions_queryset.values("pk"))
        codes = dict(Action.objects.filter(pk__in=frozen.values("action_id")).values_list("pk", "code"))
        return [
            {
                "action_id": row.action_id,
                "action_code": codes.get(row.action_id, ""),
                "code": row.indicator_code,
                "name": row.indicator_name,
                "cycle_value": row.cycle_value,
                "actual": row.cumulative_value,
                "target": row.target_value,
                "percent": row.percent_of_target,
            }
            for row in frozen.order_by("indicator_code", "indicator_id")
        ]
    return _live_review_indicator_rows(actions_queryset, cycle.pk if cycle else None, as_of, sorted(countries or []))


@cached_figures
def _live_review_indicator_rows(actions_queryset, cycle_id, as_of, countries) -> list[dict]:
    """`review_indicator_rows` computed from today's values, kept until the data changes: the five pages
    of a country's report and its downloads share it (issue 22: 8–11 ms of each page's first rendering)."""
    cycle = ReportingCycle.objects.get(pk=cycle_id) if cycle_id is not None else None
    indicators = list(
        Indicator.objects.filter(action__in=actions_queryset).select_related("action").order_by("action__code", "code")
    )
    progress = progress_of(indicators, through_cycle=cycle, as_of=as_of, countries=countries or None)
    return [
        {
            "action_id": i.action_id,
            "action_code": i.action.code,
            "code": i.code,
            "name": i.name,
            "cycle_value": progress[i.pk].cycle_value(cycle.pk) if cycle else None,
            "actual": progress[i.pk].overall.actual,
            "target": progress[i.pk].overall.target,
            "percent": progress[i.pk].overall.percent,
        }
        for i in indicators
    ]


def _frozen_chosen_rows(actions_queryset, cycle, chosen: set) -> list[dict]:
    """A closed cycle's report for chosen countries: their frozen rows (one country: its own figures as
    frozen), several combined by the indicator's rules (roadmaps.indicators). Five queries."""
    codes = dict(Country.objects.filter(pk__in=chosen).values_list("code", "pk"))
    frozen = list(
        frozen_indicator_rows(cycle)
        .filter(country_code__in=[*codes, ""], action_id__in=actions_queryset.values("pk"))
        .order_by("indicator_code", "indicator_id")
    )
    indicators = {
        i.pk: i for i in Indicator.objects.filter(pk__in={r.indicator_id for r in frozen}).select_related("action")
    }
    responsible = responsible_countries(list(indicators.values()))
    by_indicator: dict[int, list] = {}
    for row in frozen:  # the overall row first lists the indicator, whether or not the countries reported
        by_indicator.setdefault(row.indicator_id, [])
        if row.country_code:
            by_indicator[row.indicator_id].append(row)
    overall = {row.indicator_id: row for row in frozen if not row.country_code}
    result = []
    for indicator_id, rows in by_indicator.items():
        first, indicator = overall.get(indicator_id) or rows[0], indicators.get(indicator_id)
        if not rows:
            figures = (None, None, None, None)
        elif len(chosen) == 1 or indicator is None:
            first = rows[0]
            figures = (first.cycle_value, first.cumulative_value, first.target_value, first.percent_of_target)
        else:
            rule = indicator.country_combine
            actual = combine_countries([r.cumulative_value for r in rows if r.cumulative_value is not None], rule)
            own = {codes[r.country_code]: r.target_value for r in rows if r.target_value is not None}
            mine = responsible.get(indicator.action_id, set())
            target = chosen_target(indicator, chosen & mine, mine, own)
            figures = (
                combine_countries([r.cycle_value for r in rows if r.cycle_value is not None], rule),
                actual,
                target,
                percent_of_way(actual, indicator.baseline_value, target, indicator.direction),
            )
        result.append(
            {
                "action_id": first.action_id,
                "action_code": indicator.action.code if indicator else "",
                "code": first.indicator_code,
                "name": first.indicator_name,
                **dict(zip(("cycle_value", "actual", "target", "percent"), figures, strict=True)),
            }
        )
    return result


def chosen_label(countries) -> str:
    """The words saying a report's indicator figures are those of its chosen countries only."""
    if not countries:
        return ""
    names = ", ".join(str(c.name) for c in countries)
    return _("Figures of %(countries)s only: their values combined, against their target.") % {"countries": names}


def compare_indicator_rows(before, after, roadmap_ids) -> list[dict]:
    """For the compare page: each indicator's cumulative and percent of the way before → after, with the
    deltas (roadmaps.indicator_snapshots.indicator_compare, the API's too), and its action's code and its
    name where they still exist. Three queries and the snapshot's or today's figures."""
    rows = indicator_compare(before, after, roadmap_ids)
    names = {i.pk: i.name for i in Indicator.objects.filter(pk__in=[row["indicator_id"] for row in rows])}
    codes = dict(Action.objects.filter(pk__in=[row["action_id"] for row in rows]).values_list("pk", "code"))
    return [
        {**row, "action_code": codes.get(row["action_id"], ""), "name": names.get(row["indicator_id"], "")}
        for row in rows
    ]
