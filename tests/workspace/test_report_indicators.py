"""The progress form takes the action's indicator values; bad ones are refused under their field."""

import datetime
from decimal import Decimal

import pytest

from roadmaps.models import IndicatorValue
from tests.indicator_factories import IndicatorFactory, ReportingCycleFactory
from tests.workspace.conftest import valid_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(action_sv):
    ReportingCycleFactory(
        key="annual-2026", period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31)
    )
    return IndicatorFactory(action=action_sv, code="I1", dimensions=["sex"])


def url(action):
    return f"/en/actions/{action.pk}/report/"


def test_report_form_stores_the_indicator_value_and_its_parts(client_for, focal_sv, action_sv, indicator):
    name = f"indicator_{indicator.pk}"
    data = {**valid_report(action_sv), name: "120", f"{name}_sex_female": "70", f"{name}_sex_male": "50"}

    response = client_for(focal_sv).post(url(action_sv), data)

    assert response.status_code == 302
    value = IndicatorValue.objects.get()
    assert (value.value, value.cycle.key, value.disaggregation) == (
        Decimal(120),
        "annual-2026",
        {"sex": {"female": "70.00", "male": "50.00"}},
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"": "N/A"}, "Enter a number."),
        ({"": "-5"}, "A value cannot be negative."),
        ({"": "10", "_sex_female": "4", "_sex_male": "5"}, "The values of sex add up to 9, not to the total 10."),
    ],
)
def test_report_form_refuses_bad_indicator_values_under_the_field(
    new_updates, client_for, focal_sv, action_sv, indicator, typed, message
):
    name = f"indicator_{indicator.pk}"
    data = {**valid_report(action_sv), **{name + suffix: value for suffix, value in typed.items()}}

    response = client_for(focal_sv).post(url(action_sv), data)

    assert response.status_code == 400
    assert response.context["form"].errors == {name: [message]}
    assert (new_updates().count(), IndicatorValue.objects.count()) == (0, 0)


def test_report_form_refuses_a_percent_over_100(client_for, focal_sv, action_sv, indicator):
    percent = IndicatorFactory(action=action_sv, code="P1", unit="percent", baseline_value=10, target_value=90)
    response = client_for(focal_sv).post(url(action_sv), {**valid_report(action_sv), f"indicator_{percent.pk}": "150"})
    assert response.status_code == 400
    assert response.context["form"].errors == {f"indicator_{percent.pk}": ["A percent cannot be over 100."]}
    assert IndicatorValue.objects.count() == 0
