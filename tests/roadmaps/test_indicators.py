"""Indicators: values refused with the field named, only approved values count, progress toward target."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from roadmaps import services
from roadmaps.indicators import progress_of
from roadmaps.models import Indicator, IndicatorValue, ProgressUpdate
from tests.factories import ActionFactory, FocalPointFactory
from tests.indicator_factories import IndicatorFactory, ReportingCycleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """The messages are read in English whatever an earlier test's request left active in the thread."""
    with translation.override("en"):
        yield


@pytest.fixture
def two_cycles():
    first = ReportingCycleFactory(
        key="rr-2025", period_start=datetime.date(2025, 1, 1), period_end=datetime.date(2025, 12, 31)
    )
    second = ReportingCycleFactory(
        key="annual-2026", period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31)
    )
    return first, second


@pytest.fixture
def trained(el_salvador, guatemala):
    action = ActionFactory(countries=[el_salvador, guatemala])
    return IndicatorFactory(action=action, code="I1", baseline_value=Decimal(0), target_value=Decimal(500))


def report(indicator, country, cycle, value, *, approve_by=None, disaggregation=None, day=datetime.date(2026, 6, 1)):
    focal = FocalPointFactory(country=country).user
    update = services.progress_update_submit(
        action=indicator.action,
        country=country,
        author=focal,
        status="on_track",
        percent_complete=40,
        narrative="Training sessions held.",
        reporting_date=day,
        cycle=cycle,
        indicator_values=[{"indicator": indicator, "value": value, "disaggregation": disaggregation or {}}],
    )
    if approve_by is not None:
        services.progress_update_approve(update=update, reviewer=approve_by)
    return update


def test_progress_sums_cycles_and_countries_against_the_target(
    trained, two_cycles, el_salvador, guatemala, secretariat_user
):
    first, second = two_cycles
    report(trained, el_salvador, first, "120", approve_by=secretariat_user)
    report(trained, guatemala, second, "200", approve_by=secretariat_user)

    progress = progress_of([trained])[trained.pk]

    assert (progress.overall.actual, progress.overall.percent) == (Decimal(320), 64)
    assert {c: p.actual for c, p in progress.countries.items()} == {
        el_salvador.pk: Decimal(120),
        guatemala.pk: Decimal(200),
    }
    assert [(cycle.key, value) for cycle, value in progress.overall_series] == [
        ("rr-2025", Decimal(120)),
        ("annual-2026", Decimal(200)),
    ]
    assert progress_of([trained], through_cycle=first)[trained.pk].overall.percent == 24


def test_decreasing_indicator_from_40_toward_10_at_25_is_half_way(el_salvador, two_cycles, secretariat_user):
    indicator = IndicatorFactory(
        action=ActionFactory(countries=[el_salvador]),
        unit="percent",
        direction="decrease",
        cycle_combine="latest",
        baseline_value=Decimal(40),
        target_value=Decimal(10),
    )
    report(indicator, el_salvador, two_cycles[0], "35", approve_by=secretariat_user)
    report(indicator, el_salvador, two_cycles[1], "25", approve_by=secretariat_user)

    assert progress_of([indicator])[indicator.pk].overall.percent == 50


def test_only_values_of_approved_updates_count(trained, two_cycles, el_salvador, guatemala, secretariat_user):
    report(trained, el_salvador, two_cycles[0], "120", approve_by=secretariat_user)
    pending = report(trained, guatemala, two_cycles[0], "200")
    returned = report(trained, guatemala, two_cycles[1], "300")
    services.progress_update_return(update=returned, reviewer=secretariat_user, comment="Check the figure.")

    progress = progress_of([trained])[trained.pk]

    assert (progress.overall.actual, progress.overall.percent) == (Decimal(120), 24)
    assert IndicatorValue.objects.filter(update=pending).count() == 1


def test_a_corrected_report_in_the_same_cycle_replaces_the_earlier_value(
    trained, two_cycles, el_salvador, secretariat_user
):
    report(trained, el_salvador, two_cycles[0], "100", approve_by=secretariat_user, day=datetime.date(2026, 5, 1))
    report(trained, el_salvador, two_cycles[0], "150", approve_by=secretariat_user, day=datetime.date(2026, 6, 1))

    assert progress_of([trained])[trained.pk].overall.actual == Decimal(150)


def test_mean_of_countries_and_maximum_of_cycles(el_salvador, guatemala, two_cycles, secretariat_user):
    indicator = IndicatorFactory(
        action=ActionFactory(countries=[el_salvador, guatemala]),
        unit="percent",
        cycle_combine="maximum",
        country_combine="mean",
        baseline_value=Decimal(20),
        target_value=Decimal(80),
    )
    report(indicator, el_salvador, two_cycles[0], "60", approve_by=secretariat_user)
    report(indicator, el_salvador, two_cycles[1], "50", approve_by=secretariat_user)
    report(indicator, guatemala, two_cycles[1], "40", approve_by=secretariat_user)

    progress = progress_of([indicator])[indicator.pk]

    assert (progress.overall.actual, progress.overall.percent) == (Decimal(50), 50)
    assert (progress.countries[el_salvador.pk].actual, progress.countries[el_salvador.pk].percent) == (Decimal(60), 67)


@pytest.mark.parametrize(
    ("unit", "value", "disaggregation", "message"),
    [
        ("people", "N/A", {}, "indicator_values"),
        ("people", "-5", {}, "indicator_values"),
        ("percent", "150", {}, "indicator_values"),
        ("people", "10", {"sex": {"female": 4, "male": 5}}, "indicator_values"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_stored(el_salvador, two_cycles, unit, value, disaggregation, message):
    indicator = IndicatorFactory(
        action=ActionFactory(countries=[el_salvador]), unit=unit, target_value=Decimal(100), dimensions=["sex"]
    )
    updates_before = ProgressUpdate.objects.count()

    with pytest.raises(ValidationError) as refused:
        report(indicator, el_salvador, two_cycles[0], value, disaggregation=disaggregation)

    assert list(refused.value.message_dict) == [message]
    assert ProgressUpdate.objects.count() == updates_before
    assert IndicatorValue.objects.count() == 0


def test_refusal_messages_name_the_indicator_and_field(el_salvador, two_cycles):
    indicator = IndicatorFactory(action=ActionFactory(countries=[el_salvador]), code="K9", dimensions=["sex"])

    with pytest.raises(ValidationError) as refused:
        report(indicator, el_salvador, two_cycles[0], "10", disaggregation={"sex": {"female": 4, "male": 5}})

    assert refused.value.message_dict == {
        "indicator_values": ["K9 · disaggregation: The values of sex add up to 9, not to the total 10."]
    }


def test_the_database_refuses_a_negative_value(trained, two_cycles, el_salvador, secretariat_user):
    update = report(trained, el_salvador, two_cycles[0], "10")
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValue.objects.filter(update=update).update(value=Decimal(-5))


def test_indicator_rules_are_checked_with_the_field_named(trained):
    trained.direction, trained.baseline_value, trained.target_value = "increase", Decimal(50), Decimal(10)
    with pytest.raises(ValidationError) as refused:
        trained.full_clean()
    assert refused.value.message_dict == {
        "target_value": ["An increasing indicator needs a target above its baseline."]
    }
    currency = Indicator(action=trained.action, code="C1", name_en="Budget", unit="currency", currency="")
    with pytest.raises(ValidationError) as refused:
        currency.full_clean()
    assert list(refused.value.message_dict) == ["__all__"]
