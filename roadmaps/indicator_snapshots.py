"""Indicator figures frozen at a cycle's close (`IndicatorSnapshotRow`, never changed afterwards), and
their comparison between two closed cycles or with today's."""

from decimal import Decimal

from countries.models import Country
from roadmaps.indicators import IndicatorProgress, progress_of
from roadmaps.models import Indicator, IndicatorSnapshotRow, ReportingCycle


def indicators_freeze(cycle: ReportingCycle, *, action_ids) -> int:
    """One row per (indicator, reporting country) and one overall row (country ""), for the indicators of
    `action_ids` (the cycle's scope): the cycle's value and the cumulative through it. Called by
    roadmaps.cycles._freeze inside the close's transaction, with the same `frozen_at`."""
    indicators = list(Indicator.objects.filter(action_id__in=action_ids).select_related("action"))
    progress = progress_of(indicators, through_cycle=cycle)
    codes = dict(Country.objects.values_list("id", "code"))
    rows = []
    for indicator in indicators:
        result = progress[indicator.pk]
        common = {
            "cycle": cycle,
            "frozen_at": cycle.closed_at,
            "indicator_id": indicator.pk,
            "indicator_code": indicator.code,
            "indicator_name_en": indicator.name_en,
            "indicator_name_es": indicator.name_es,
            "action_id": indicator.action_id,
            "roadmap_id": indicator.action.roadmap_id,
        }
        rows.append(
            IndicatorSnapshotRow(
                **common,
                country_code="",
                cycle_value=result.cycle_value(cycle.pk),
                cumulative_value=result.overall.actual,
                target_value=result.overall.target,
                percent_of_target=result.overall.percent,
            )
        )
        for country_id, country_progress in result.countries.items():
            rows.append(
                IndicatorSnapshotRow(
                    **common,
                    country_code=codes[country_id],
                    cycle_value=result.cycle_value(cycle.pk, country_id),
                    cumulative_value=country_progress.actual,
                    target_value=country_progress.target,
                    percent_of_target=country_progress.percent,
                )
            )
    IndicatorSnapshotRow.objects.bulk_create(rows)
    return len(rows)


def frozen_indicator_rows(cycle: ReportingCycle):
    return IndicatorSnapshotRow.objects.filter(cycle=cycle, frozen_at=cycle.closed_at)


def _overall_of(cycle: ReportingCycle | None, roadmap_ids) -> dict[int, dict]:
    """{indicator id: {code, action_id, cumulative, percent}}: frozen at `cycle`'s close, or today's (None)."""
    if cycle is not None:
        return {
            row.indicator_id: {
                "indicator_code": row.indicator_code,
                "action_id": row.action_id,
                "cumulative": row.cumulative_value,
                "percent": row.percent_of_target,
            }
            for row in frozen_indicator_rows(cycle).filter(country_code="", roadmap_id__in=roadmap_ids)
        }
    indicators = list(Indicator.objects.filter(action__roadmap_id__in=roadmap_ids))
    progress: dict[int, IndicatorProgress] = progress_of(indicators)
    return {
        i.pk: {
            "indicator_code": i.code,
            "action_id": i.action_id,
            "cumulative": progress[i.pk].overall.actual,
            "percent": progress[i.pk].overall.percent,
        }
        for i in indicators
    }


def indicator_compare(before: ReportingCycle, after: ReportingCycle | None, roadmap_ids) -> list[dict]:
    """Per indicator in either: the cumulative and the percent of the way before → after, and the deltas."""
    old, new = _overall_of(before, roadmap_ids), _overall_of(after, roadmap_ids)
    rows = []
    for pk in sorted(old.keys() | new.keys()):
        a, b = old.get(pk), new.get(pk)
        row = b or a
        cumulative = [(x or {}).get("cumulative") for x in (a, b)]
        percent = [(x or {}).get("percent") for x in (a, b)]
        rows.append(
            {
                "indicator_id": pk,
                "indicator_code": row["indicator_code"],
                "action_id": row["action_id"],
                "cumulative_before": cumulative[0],
                "cumulative_after": cumulative[1],
                "cumulative_delta": (cumulative[1] or Decimal(0)) - (cumulative[0] or Decimal(0))
                if any(v is not None for v in cumulative)
                else None,
                "percent_before": percent[0],
                "percent_after": percent[1],
                "percent_delta": (percent[1] or 0) - (percent[0] or 0) if any(v is not None for v in percent) else None,
            }
        )
    return rows
