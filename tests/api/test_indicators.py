"""Indicators in the API: the POST takes indicator values (refused with the field named, nothing stored),
the lists show approved values only to the public and partners, progress toward target, constant queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roadmaps import services
from roadmaps.models import IndicatorValue, ProgressUpdate
from tests.factories import ActionFactory
from tests.indicator_factories import IndicatorFactory, ReportingCycleFactory

pytestmark = pytest.mark.django_db

GOOD = {"status": "on_track", "percent_complete": 70, "narrative": "Officials trained.", "reporting_date": "2026-06-01"}


@pytest.fixture
def cycles():
    return (
        ReportingCycleFactory(key="rr-2025"),
        ReportingCycleFactory(
            key="annual-2026", period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31)
        ),
    )


@pytest.fixture
def trained(world):
    return IndicatorFactory(
        action=world.a_public_sv, code="I1", dimensions=["sex", "age"], baseline_value=0, target_value=500
    )


def post(api, user, action, **extra):
    return api(user).post(f"/api/v1/actions/{action.pk}/progress-updates/", {**GOOD, **extra}, format="json")


def test_post_stores_the_indicator_values_with_the_update(world, api, focal_sv, trained, cycles):
    response = post(
        api,
        focal_sv,
        world.a_public_sv,
        cycle="rr-2025",
        country="SV",
        indicator_values=[{"indicator": "I1", "value": "120", "disaggregation": {"sex": {"female": 70, "male": 50}}}],
    )

    assert response.status_code == 201, response.content
    value = IndicatorValue.objects.get()
    assert (value.update_id, value.country, value.cycle.key, value.value, value.disaggregation) == (
        response.json()["id"],
        world.sv,
        "rr-2025",
        Decimal(120),
        {"sex": {"female": "70.00", "male": "50.00"}},
    )


@pytest.mark.parametrize(
    ("item", "errors"),
    [
        ({"indicator": "I1", "value": "N/A"}, {"0": {"value": ["A valid number is required."]}}),
        ({"indicator": "I1", "value": -5}, {"0": {"value": ["A value cannot be negative."]}}),
        (
            {"indicator": "I1", "value": 10, "disaggregation": {"sex": {"female": 4, "male": 5}}},
            {"0": {"disaggregation": ["The values of sex add up to 9, not to the total 10."]}},
        ),
        ({"indicator": "Z9", "value": 1}, {"0": {"indicator": ["Action A1 has no indicator “Z9”."]}}),
    ],
)
def test_post_refuses_bad_values_with_the_field_named_and_stores_nothing(
    world, api, focal_sv, trained, cycles, item, errors
):
    before = ProgressUpdate.objects.count()

    response = post(api, focal_sv, world.a_public_sv, cycle="rr-2025", country="SV", indicator_values=[item])

    assert response.status_code == 400
    assert response.json()["errors"] == {"indicator_values": errors}
    assert (ProgressUpdate.objects.count(), IndicatorValue.objects.count()) == (before, 0)


def test_post_refuses_a_percent_over_100(world, api, focal_sv, cycles):
    IndicatorFactory(action=world.a_public_sv, code="P1", unit="percent", baseline_value=10, target_value=90)

    response = post(
        api, focal_sv, world.a_public_sv, cycle="rr-2025", indicator_values=[{"indicator": "P1", "value": 150}]
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"indicator_values": {"0": {"value": ["A percent cannot be over 100."]}}}
    assert IndicatorValue.objects.count() == 0


def approve_value(indicator, country, cycle, value, reviewer):
    from tests.factories import FocalPointFactory

    update = services.progress_update_submit(
        action=indicator.action,
        country=country,
        author=FocalPointFactory(country=country).user,
        status="on_track",
        percent_complete=50,
        narrative="Reported.",
        reporting_date=datetime.date(2026, 6, 1),
        cycle=cycle,
        indicator_values=[{"indicator": indicator, "value": value}],
    )
    if reviewer:
        services.progress_update_approve(update=update, reviewer=reviewer)
    return update


def test_indicator_reads_320_and_64_percent(world, api, trained, cycles, secretariat_user):
    approve_value(trained, world.sv, cycles[0], Decimal(120), secretariat_user)
    approve_value(trained, world.gt, cycles[1], Decimal(200), secretariat_user)

    body = api(language="es").get(f"/api/v1/indicators/?action={world.a_public_sv.pk}").json()

    (row,) = body["results"]
    assert (row["code"], row["name_es"], row["name"]) == ("I1", trained.name_es, trained.name_es)
    assert row["progress_toward_target"] == {"actual": 320.0, "target": 500.0, "percent": 64}
    assert row["progress_by_country"] == [
        {"country_code": "GT", "actual": 200.0, "target": None, "percent": None},
        {"country_code": "SV", "actual": 120.0, "target": None, "percent": None},
    ]
    detail = api().get(f"/api/v1/indicators/{trained.pk}/").json()
    assert detail["progress_toward_target"]["percent"] == 64


def test_values_of_pending_updates_are_hidden_from_the_public_and_partners(
    world, api, trained, cycles, secretariat_user, partner_token, focal_sv
):
    approved = approve_value(trained, world.sv, cycles[0], Decimal(120), secretariat_user)
    approve_value(trained, world.sv, cycles[1], Decimal(30), None)

    def update_ids(client):
        return [row["update_id"] for row in client.get("/api/v1/indicator-values/").json()["results"]]

    assert update_ids(api()) == [approved.pk]
    assert update_ids(api(token=partner_token)) == [approved.pk]
    assert len(update_ids(api(focal_sv))) == 2
    assert len(update_ids(api(secretariat_user))) == 2
    assert api().get(f"/api/v1/indicators/{trained.pk}/").json()["progress_toward_target"]["actual"] == 120.0


def test_indicator_filters_and_csv(world, api, trained, cycles, secretariat_user):
    IndicatorFactory(action=world.a_partners_sv, code="V1")
    approve_value(trained, world.sv, cycles[0], Decimal(120), secretariat_user)
    client = api(secretariat_user)

    def codes(url):
        return [row["code"] for row in client.get(url).json()["results"]]

    assert codes("/api/v1/indicators/?roadmap=labour-public") == ["I1"]
    assert codes("/api/v1/indicators/?objective=2") == ["I1", "V1"]
    assert codes("/api/v1/indicators/?objective=1") == ["I1"]
    assert codes("/api/v1/indicators/?country=GT") == ["I1"]
    assert api().get("/api/v1/indicators/").json()["count"] == 1  # the partners' roadmap is not public
    values = client.get("/api/v1/indicator-values/?cycle=rr-2025&country=SV&objective=1").json()["results"]
    assert [(v["indicator_code"], v["value"]) for v in values] == [("I1", 120.0)]
    assert client.get("/api/v1/indicator-values/?cycle=annual-2026").json()["count"] == 0
    csv = b"".join(client.get("/api/v1/indicators/?format=csv").streaming_content).decode()
    assert csv.splitlines()[0].endswith(",progress_actual,progress_target,progress_percent")
    assert csv.splitlines()[1].endswith(",120.00,500.00,24")


@pytest.mark.parametrize("name", ["indicators", "indicator-values"])
def test_query_count_is_the_same_for_one_row_and_a_full_page(world, api, cycles, secretariat_user, name):
    for n in range(12):
        indicator = IndicatorFactory(action=ActionFactory(roadmap=world.public, countries=[world.sv]), code=f"M{n}")
        approve_value(indicator, world.sv, cycles[0], Decimal(n), secretariat_user)
    for client in (api(), api(secretariat_user)):
        counts = []
        for size in (1, 50):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/api/v1/{name}/?page_size={size}").status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1]


def test_indicator_lists_conform_to_the_schema(world, api, trained, cycles, secretariat_user):
    from tests.api.test_schema import _properties, _validator, openapi

    schema = openapi.__wrapped__()
    approve_value(trained, world.sv, cycles[0], Decimal(120), secretariat_user)
    for path in ("/api/v1/indicators/", "/api/v1/indicator-values/"):
        body = api(secretariat_user, language="es").get(path).json()
        _validator(schema, path).validate(body)
        properties, required = _properties(schema, path)
        assert body["results"]
        for row in body["results"]:
            assert set(row) == properties == required


def test_cursor_pages_of_indicators_carry_the_progress(world, api, trained, cycles, secretariat_user):
    approve_value(trained, world.sv, cycles[0], Decimal(120), secretariat_user)
    client = api()

    (walked,) = client.get("/api/v1/indicators/?cursor=&page_size=1").json()["results"]

    assert walked == client.get("/api/v1/indicators/").json()["results"][0]
    assert walked["progress_toward_target"]["percent"] == 24


@pytest.mark.parametrize(("female", "male", "message"), [("4", "5", "9"), ("4", "5.5", "9.5"), ("4.25", "5", "9.25")])
def test_disaggregation_message_is_the_same_from_the_form_and_the_api(
    world, api, client_for, focal_sv, trained, cycles, female, male, message
):
    from tests.workspace.conftest import valid_report

    before = ProgressUpdate.objects.count()
    api_response = post(
        api,
        focal_sv,
        world.a_public_sv,
        cycle="rr-2025",
        country="SV",
        indicator_values=[
            {"indicator": "I1", "value": 10, "disaggregation": {"sex": {"female": female, "male": male}}}
        ],
    )
    name = f"indicator_{trained.pk}"
    form_data = {**valid_report(world.a_public_sv), name: "10", f"{name}_sex_female": female, f"{name}_sex_male": male}
    form_response = client_for(focal_sv).post(f"/en/actions/{world.a_public_sv.pk}/report/", form_data)

    expected = f"The values of sex add up to {message}, not to the total 10."
    assert api_response.json()["errors"]["indicator_values"] == {"0": {"disaggregation": [expected]}}
    assert form_response.context["form"].errors == {name: [expected]}
    assert (ProgressUpdate.objects.count(), IndicatorValue.objects.count()) == (before, 0)
