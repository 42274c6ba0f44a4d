"""The secretariat manages indicators in the admin, inline on the action, with the model's rules named at
the field; an update's review page shows the indicator values reported with it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from roadmaps import services
from roadmaps.models import Indicator
from tests.admin.conftest import change_form_data
from tests.factories import ActionFactory
from tests.indicator_factories import IndicatorFactory, ReportingCycleFactory

pytestmark = pytest.mark.django_db


def with_indicator(data, **fields):
    prefix = "indicators"
    data = {**data, f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"}
    row = {
        "code": "I1",
        "unit": "people",
        "currency": "",
        "name_en": "Consular officials trained",
        "name_es": "Funcionarios consulares capacitados",
        "baseline_value": "0",
        "target_value": "500",
        "direction": "increase",
        "cycle_combine": "sum",
        "country_combine": "sum",
        "dimensions": "sex,age",
        **fields,
    }
    return {**data, **{f"{prefix}-0-{name}": value for name, value in row.items()}}


def test_an_indicator_is_added_inline_on_the_action(client_for, secretariat_user, el_salvador):
    action = ActionFactory(code="A1", countries=[el_salvador])
    url = reverse("admin:roadmaps_action_change", args=[action.pk])
    client = client_for(secretariat_user)
    data = change_form_data(client.get(url))

    response = client.post(url, with_indicator(data))

    assert response.status_code == 302, response.context and response.context["inline_admin_formsets"]
    indicator = Indicator.objects.get(action=action)
    assert (indicator.code, indicator.target_value, indicator.dimensions) == ("I1", Decimal(500), ["sex", "age"])


def test_an_indicator_breaking_a_rule_is_refused_at_its_field(client_for, secretariat_user, el_salvador):
    action = ActionFactory(code="A1", countries=[el_salvador])
    url = reverse("admin:roadmaps_action_change", args=[action.pk])
    client = client_for(secretariat_user)
    data = change_form_data(client.get(url))

    response = client.post(url, with_indicator(data, direction="decrease", baseline_value="40", target_value="50"))

    assert response.status_code == 200
    (formset,) = [f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "indicators"]
    assert formset.errors[0] == {"target_value": ["A decreasing indicator needs a target below its baseline."]}
    assert not Indicator.objects.exists()


def test_the_review_page_shows_the_values_reported_with_the_update(client_for, secretariat_user, el_salvador, focal_sv):
    indicator = IndicatorFactory(action=ActionFactory(code="A1", countries=[el_salvador]), code="I1")
    update = services.progress_update_submit(
        action=indicator.action,
        country=el_salvador,
        author=focal_sv,
        status="on_track",
        percent_complete=40,
        narrative="Training held.",
        reporting_date=datetime.date(2025, 6, 1),
        cycle=ReportingCycleFactory(key="rr-2025"),
        indicator_values=[{"indicator": indicator, "value": Decimal(120)}],
    )

    html = client_for(secretariat_user).get(reverse("admin:roadmaps_progressupdate_change", args=[update.pk])).text

    assert "Indicator values reported with this update (they count once it is approved)" in html
    assert "120" in html and str(indicator) in html
