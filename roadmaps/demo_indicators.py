"""Demo indicators: one on every other demo action (and on each with a numeric target in its text), with
values in both demo cycles for each responsible country that has a demo focal point (El Salvador,
Guatemala), some disaggregated by sex and age. Values are reported through the services, each with an
approved update that repeats the country's current status and percent, so no country's state moves."""

import datetime
from decimal import Decimal

from roadmaps import services
from roadmaps.models import CountryProgress, Indicator, IndicatorUnit, ReportingCycle

REPORTERS = ("SV", "GT")
RR_2025_DAY = datetime.date(2024, 12, 20)  # after rr-2025's early reports, inside its period


def seed_indicators(actions: dict) -> list[Indicator]:
    """Create the demo indicators once (code I1 on the chosen actions)."""
    made = []
    for n, (_key, action) in enumerate(sorted(actions.items())):
        if n % 2 and not action.target:
            continue
        people = n % 3 != 1
        target = Decimal(100 * max(action.countries.count(), 1)) if people else Decimal(90)
        indicator, _created = Indicator.objects.get_or_create(
            action=action,
            code="I1",
            defaults={
                "name_en": (action.indicator or f"People reached by action {action.code}")[:300],
                "name_es": f"Personas alcanzadas por la acción {action.code}"
                if people
                else "Porcentaje de casos atendidos",
                "definition_en": "\n".join(t for t in (action.baseline, action.target) if t),
                "unit": IndicatorUnit.PEOPLE if people else IndicatorUnit.PERCENT,
                "baseline_value": Decimal(0) if people else Decimal(30),
                "target_value": target,
                "cycle_combine": "sum" if people else "latest",
                "country_combine": "sum" if people else "mean",
                "dimensions": ["sex", "age"] if people and n % 4 == 0 else [],
            },
        )
        made.append(indicator)
    return made


def _value(indicator: Indicator, step: int) -> dict:
    if indicator.unit == IndicatorUnit.PERCENT:
        return {"indicator": indicator, "value": Decimal(40 + 10 * step)}
    value = Decimal(20 + 15 * step)
    item = {"indicator": indicator, "value": value}
    if indicator.dimensions:
        female = (value * Decimal("0.6")).quantize(Decimal(1))
        young = (value * Decimal("0.2")).quantize(Decimal(1))
        item["disaggregation"] = {
            "sex": {"female": female, "male": value - female},
            "age": {"0_17": young, "18_59": value - young},
        }
    return item


def report_indicator_values(cycle: ReportingCycle, indicators, users: dict, *, day: datetime.date, step: int) -> None:
    focal = {"SV": users["focal-sv"], "GT": users["focal-gt"]}
    reviewer = users["secretariat"]
    for indicator in indicators:
        if indicator.values.filter(cycle=cycle).exists():
            continue
        states = CountryProgress.objects.filter(action=indicator.action, country__code__in=REPORTERS).select_related(
            "country"
        )
        for state in states:
            update = services.progress_update_submit(
                action=indicator.action,
                country=state.country,
                author=focal[state.country.code],
                status=state.status,
                percent_complete=state.percent_complete,
                narrative="Cifras de los indicadores del ciclo.",
                reporting_date=day,
                cycle=cycle,
                indicator_values=[_value(indicator, step)],
            )
            services.progress_update_approve(update=update, reviewer=reviewer)
