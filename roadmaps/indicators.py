"""Progress toward an indicator's target: the one place it is computed (README "Indicators").

- The values that count are those of approved updates (`IndicatorValue.objects.counted()`); in each
  cycle, a country's value is the one of its latest approved update (by reporting date, then approval).
- Each country's actual combines its cycles' values by the indicator's `cycle_combine` (sum, latest
  cycle, maximum); the overall actual combines the countries that reported by `country_combine` (sum,
  mean).
- Percent of the way = (actual − baseline) / (target − baseline) × 100, rounded half up, never below 0
  (it may pass 100). The same formula respects the direction: a decreasing indicator from 40 toward 10
  at 25 is (25 − 40) / (10 − 40) = 50 %. A *maintain* indicator is 100 % while the actual is at least
  the target, else actual / target. No baseline counts as 0; no target or no value gives no percent.
- A country's own target (optional) measures that country; without one, a country is measured against
  the indicator's target only when countries combine by mean (with a sum, the target is the region's).

Every page, the API, the review report and the frozen snapshot call `progress_of`; two queries for any
number of indicators. A report for chosen countries (`countries=`) combines only theirs, by the same
rules, against their target (`chosen_target`).
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from roadmaps.models import (
    Action,
    CountryCombine,
    CycleCombine,
    Direction,
    Indicator,
    IndicatorCountryTarget,
    IndicatorValue,
    ReportingCycle,
)


@dataclass
class Progress:
    actual: Decimal | None
    target: Decimal | None
    percent: int | None


@dataclass
class IndicatorProgress:
    indicator: Indicator
    overall: Progress
    #: country_id → Progress
    countries: dict = field(default_factory=dict)
    #: country_id → [(cycle, value)] in cycle order
    series: dict = field(default_factory=dict)
    #: [(cycle, value combined across countries)] in cycle order
    overall_series: list = field(default_factory=list)

    def cycle_value(self, cycle_id, country_id=None) -> Decimal | None:
        """The value of one cycle, one country's or (country_id None) combined across countries."""
        series = self.overall_series if country_id is None else self.series.get(country_id, [])
        return next((value for cycle, value in series if cycle.pk == cycle_id), None)


def percent_of_way(actual, baseline, target, direction) -> int | None:
    if actual is None or target is None:
        return None
    baseline = baseline or Decimal(0)
    if direction == Direction.MAINTAIN:
        if actual >= target:
            ratio = Decimal(1)
        elif target == 0:
            return None
        else:
            ratio = actual / target
    else:
        if target == baseline:
            return None
        ratio = (actual - baseline) / (target - baseline)
    percent = (ratio * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(int(percent), 0)


def combine_cycles(values: list[Decimal], rule: str) -> Decimal | None:
    """`values` in cycle order."""
    if not values:
        return None
    if rule == CycleCombine.LATEST:
        return values[-1]
    if rule == CycleCombine.MAXIMUM:
        return max(values)
    return sum(values, Decimal(0))


def combine_countries(values: list[Decimal], rule: str) -> Decimal | None:
    if not values:
        return None
    total = sum(values, Decimal(0))
    if rule == CountryCombine.MEAN:
        return (total / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return total


def _cycle_order(cycle: ReportingCycle):
    return (cycle.period_end, cycle.period_start, cycle.key)


def progress_of(
    indicators,
    *,
    through_cycle: ReportingCycle | None = None,
    as_of: datetime.date | None = None,
    countries=None,
) -> dict[int, IndicatorProgress]:
    """Progress of each of `indicators` (Indicator objects), from the approved values of every cycle, or
    of the cycles up to and including `through_cycle` (by the period's end), or as of a day (`as_of`:
    the values of approved updates reported on or before it — the review report's rule for a country's
    status as of a day, `regional.review_rows.review_rows`). Two queries.

    With `countries` (country ids: a report for chosen countries), only their values count: `overall`
    and `overall_series` are those countries' combined, against their target (`chosen_target`). One more
    query (the actions' responsible countries)."""
    indicators = list(indicators)
    by_id = {i.pk: i for i in indicators}
    values = (
        IndicatorValue.objects.counted()
        .filter(indicator_id__in=by_id)
        .select_related("cycle")
        .order_by("indicator_id", "country_id", "cycle_id", "update__reporting_date", "update__reviewed_at", "id")
    )
    chosen = None if countries is None else set(countries)
    if chosen is not None:
        values = values.filter(country_id__in=chosen)
        responsible = responsible_countries(indicators)
    if through_cycle is not None:
        values = values.filter(cycle__period_end__lte=through_cycle.period_end)
    if as_of is not None:
        values = values.filter(update__reporting_date__lte=as_of)
    # The last row of each (indicator, country, cycle) is its latest approved value.
    latest: dict[tuple, IndicatorValue] = {}
    for value in values:
        latest[(value.indicator_id, value.country_id, value.cycle_id)] = value
    country_targets = {
        (t.indicator_id, t.country_id): t.target_value
        for t in IndicatorCountryTarget.objects.filter(indicator_id__in=by_id)
    }
    series: dict[int, dict[int, list]] = {pk: {} for pk in by_id}
    for (indicator_id, country_id, _cycle_id), value in latest.items():
        series[indicator_id].setdefault(country_id, []).append((value.cycle, value.value))
    result = {}
    for pk, indicator in by_id.items():
        per_country = {}
        for country_id, points in series[pk].items():
            points.sort(key=lambda point: _cycle_order(point[0]))
            actual = combine_cycles([v for _c, v in points], indicator.cycle_combine)
            target = country_targets.get((pk, country_id))
            if target is None and indicator.country_combine == CountryCombine.MEAN:
                target = indicator.target_value
            per_country[country_id] = Progress(
                actual, target, percent_of_way(actual, indicator.baseline_value, target, indicator.direction)
            )
        overall_actual = combine_countries([p.actual for p in per_country.values()], indicator.country_combine)
        overall_target = indicator.target_value
        if chosen is not None:
            overall_target = chosen_target(
                indicator,
                chosen & responsible.get(indicator.action_id, set()),
                responsible.get(indicator.action_id, set()),
                {cid: target for (iid, cid), target in country_targets.items() if iid == pk},
            )
        cycles = {}
        for points in series[pk].values():
            for cycle, value in points:
                cycles.setdefault(cycle.pk, (cycle, []))[1].append(value)
        overall_series = [
            (cycle, combine_countries(vals, indicator.country_combine))
            for cycle, vals in sorted(cycles.values(), key=lambda item: _cycle_order(item[0]))
        ]
        result[pk] = IndicatorProgress(
            indicator=indicator,
            overall=Progress(
                overall_actual,
                overall_target,
                percent_of_way(overall_actual, indicator.baseline_value, overall_target, indicator.direction),
            ),
            countries=per_country,
            series=series[pk],
            overall_series=overall_series,
        )
    return result


def responsible_countries(indicators) -> dict[int, set]:
    """{action id: its responsible countries' ids} for the indicators' actions. One query."""
    result: dict[int, set] = {}
    rows = Action.countries.through.objects.filter(action_id__in={i.action_id for i in indicators})
    for action_id, country_id in rows.values_list("action_id", "country_id"):
        result.setdefault(action_id, set()).add(country_id)
    return result


def chosen_target(indicator: Indicator, chosen: set, responsible: set, own_targets: dict) -> Decimal | None:
    """The target of some of an indicator's responsible countries (`chosen`, already within
    `responsible`), by its across-countries rule: all of them → the indicator's target; by mean → the
    mean of their targets (a country's own, else the indicator's); by sum → the sum of their own targets,
    none when one of them has none (the indicator's target is the region's, not theirs)."""
    if not chosen:
        return None
    if chosen >= responsible:
        return indicator.target_value
    if indicator.country_combine == CountryCombine.MEAN:
        targets = [own_targets.get(cid, indicator.target_value) for cid in chosen]
        return None if None in targets else combine_countries(targets, CountryCombine.MEAN)
    targets = [own_targets.get(cid) for cid in chosen]
    return None if None in targets else sum(targets, Decimal(0))


def progress_dict(progress: Progress) -> dict:
    """The JSON form (API, CSV): decimals as strings, exact."""
    return {
        "actual": None if progress.actual is None else str(progress.actual),
        "target": None if progress.target is None else str(progress.target),
        "percent": progress.percent,
    }
