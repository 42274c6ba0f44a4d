"""The change feed tells partners when an indicator value becomes visible (its update approved) or hidden,
and carries the indicator with its new progress, as the lists give them (`changefeed/functions.sql`).

Committed writes only (`transaction=True`): the feed hands out committed changes."""

import datetime
from decimal import Decimal

import pytest

from roadmaps import services
from roadmaps.models import Visibility
from tests.api.test_changes import last_ops, list_rows, state, walk
from tests.factories import FocalPointFactory
from tests.indicator_factories import IndicatorFactory, ReportingCycleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def submit(indicator, country, cycle, value):
    return services.progress_update_submit(
        action=indicator.action,
        country=country,
        author=FocalPointFactory(country=country).user,
        status="on_track",
        percent_complete=50,
        narrative="Officials trained.",
        reporting_date=datetime.date(2025, 6, 1),
        cycle=cycle,
        indicator_values=[{"indicator": indicator, "value": value}],
    )


def test_an_approved_value_reaches_partners_with_its_indicators_progress(world, api, partner_user, secretariat_user):
    cycle = ReportingCycleFactory(key="rr-2025")
    indicator = IndicatorFactory(action=world.a_public_sv, code="I1", baseline_value=0, target_value=500)
    clients = {"anonymous": api(), "partner": api(user=partner_user)}
    cursors = {role: walk(client)[1] for role, client in clients.items()}

    def changes(role, **params):
        entries, cursors[role] = walk(clients[role], cursors[role], **params)
        return entries

    update = submit(indicator, world.sv, cycle, Decimal(120))
    (value,) = update.indicator_values.all()
    for role in clients:  # reported, not yet reviewed: not theirs to see
        assert last_ops(changes(role)).get(("indicator-values", value.pk), "remove") == "remove", role

    services.progress_update_approve(update=update, reviewer=secretariat_user)
    for role, client in clients.items():
        copy = state(changes(role))
        assert copy[("indicator-values", value.pk)]["review_state"] == "approved", role
        assert copy[("indicator-values", value.pk)]["value"] == 120.0, role
        # The indicator's entry is its list row, progress included (approved values only).
        assert copy[("indicators", indicator.pk)]["progress_toward_target"] == {
            "actual": 120.0,
            "target": 500.0,
            "percent": 24,
        }, role
        assert copy[("indicators", indicator.pk)] == list_rows(client, "indicators")[0], role
        assert [copy[("indicator-values", value.pk)]] == list_rows(client, "indicator-values"), role

    # Scoped like the value's action: a copy of El Salvador's or of the roadmap's rows gets them too.
    for params in ({"country": "SV"}, {"roadmap": "labour-public"}):
        kinds = {(e["kind"], e["op"]) for e in walk(api(), **params)[0]}
        assert {("indicators", "upsert"), ("indicator-values", "upsert")} <= kinds, params
    assert not {e["kind"] for e in walk(api(), country="HN")[0]} & {"indicators", "indicator-values"}

    # The roadmap turned internal: the value and the indicator leave the partners' copy.
    world.public.visibility = Visibility.INTERNAL
    world.public.save()
    for role in clients:
        ops = last_ops(changes(role))
        assert (ops[("indicators", indicator.pk)], ops[("indicator-values", value.pk)]) == ("remove", "remove"), role


def test_a_country_target_or_a_renamed_code_reaches_the_copy(world, api, secretariat_user):
    cycle = ReportingCycleFactory(key="rr-2025")
    indicator = IndicatorFactory(action=world.a_public_sv, code="I1")
    update = submit(indicator, world.sv, cycle, Decimal(120))
    services.progress_update_approve(update=update, reviewer=secretariat_user)
    (value,) = update.indicator_values.all()
    client = api()
    _entries, cursor = walk(client)

    indicator.country_targets.create(country=world.sv, target_value=Decimal(200))
    entries, cursor = walk(client, cursor)
    (sv,) = state(entries)[("indicators", indicator.pk)]["progress_by_country"]
    assert (sv["country_code"], sv["target"], sv["percent"]) == ("SV", 200.0, 60)

    indicator.code = "T1"
    indicator.save()
    cycle.key = "rr-2025b"
    cycle.save()
    copy = state(walk(client, cursor)[0])
    assert (
        copy[("indicator-values", value.pk)]["indicator_code"],
        copy[("indicator-values", value.pk)]["cycle_key"],
    ) == (
        "T1",
        "rr-2025b",
    )


def test_feed_pages_of_indicators_take_the_same_queries_whatever_their_size(world, api, secretariat_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ActionFactory

    cycle = ReportingCycleFactory(key="rr-2025")
    for n in range(12):
        indicator = IndicatorFactory(action=ActionFactory(roadmap=world.public, countries=[world.sv]), code=f"M{n}")
        services.progress_update_approve(
            update=submit(indicator, world.sv, cycle, Decimal(n)), reviewer=secretariat_user
        )
    client = api()
    client.get("/api/v1/changes/")  # the day's check of date-derived answers is done once, at the first read
    counts = {}
    for kind in ("indicators", "indicator-values"):
        for size in (2, 100):
            with CaptureQueriesContext(connection) as queries:
                body = client.get("/api/v1/changes/", {"kind": kind, "page_size": size}).json()
            # an entry per row: a row changed twice in the page comes once
            assert (1 <= len(body["results"]) <= 2) if size == 2 else len(body["results"]) > 2, (kind, size)
            counts[kind, size] = len(queries)
    assert counts[("indicators", 2)] == counts[("indicators", 100)]
    assert counts[("indicator-values", 2)] == counts[("indicator-values", 100)]
