"""Indicators on the public pages: each indicator's progress (roadmaps.indicators, the one computation),
its countries' and a chart of its values per cycle. Approved values only: the pages are public."""

from countries.models import Country
from regional.charts import bar_chart
from roadmaps.indicators import progress_of
from roadmaps.models import Indicator


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


def indicator_summary(actions_queryset) -> list[dict]:
    """For the objective and country pages: each indicator of the given actions with its overall
    progress (name, actual, target, percent). Three queries."""
    indicators = list(Indicator.objects.filter(action__in=actions_queryset).select_related("action"))
    progress = progress_of(indicators)
    return [{"indicator": i, "progress": progress[i.pk].overall} for i in indicators]


def review_indicator_rows(actions_queryset, cycle=None) -> list[dict]:
    """For the review report: each indicator of the report's actions with, when a cycle is chosen, the
    value of that cycle (combined across countries) and the cumulative through it; otherwise the
    cumulative of every cycle. Three queries."""
    indicators = list(
        Indicator.objects.filter(action__in=actions_queryset).select_related("action").order_by("action__code", "code")
    )
    progress = progress_of(indicators, through_cycle=cycle)
    return [
        {
            "indicator": i,
            "cycle_value": progress[i.pk].cycle_value(cycle.pk) if cycle else None,
            "progress": progress[i.pk].overall,
        }
        for i in indicators
    ]
