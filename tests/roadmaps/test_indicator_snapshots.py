"""Closing a cycle freezes its indicator figures (the database refuses to change them); compare gives deltas."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from roadmaps.cycles import cycle_close
from roadmaps.indicator_snapshots import frozen_indicator_rows
from roadmaps.models import IndicatorSnapshotRow
from tests.factories import ActionFactory
from tests.indicator_factories import IndicatorFactory, ReportingCycleFactory
from tests.roadmaps.test_indicators import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(el_salvador, guatemala, secretariat_user):
    first = ReportingCycleFactory(key="rr-2025")
    second = ReportingCycleFactory(
        key="annual-2026", period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31)
    )
    indicator = IndicatorFactory(action=ActionFactory(countries=[el_salvador, guatemala]), code="I1")
    report(indicator, el_salvador, first, "120", approve_by=secretariat_user)
    cycle_close(cycle=first, user=secretariat_user, reason="Closing for the test.")
    first.refresh_from_db()
    return indicator, first, second


def test_closing_freezes_the_cycle_value_and_the_cumulative(closed, guatemala, secretariat_user):
    indicator, first, second = closed
    report(indicator, guatemala, second, "200", approve_by=secretariat_user)

    rows = {
        row.country_code: (row.cycle_value, row.cumulative_value, row.percent_of_target)
        for row in frozen_indicator_rows(first)
    }

    assert rows == {"": (Decimal(120), Decimal(120), 24), "SV": (Decimal(120), Decimal(120), None)}
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorSnapshotRow.objects.filter(cycle=first).update(cumulative_value=0)


def test_compare_gives_the_deltas_with_today(closed, guatemala, secretariat_user, client):
    indicator, first, second = closed
    report(indicator, guatemala, second, "200", approve_by=secretariat_user)

    body = client.get("/api/v1/cycles/rr-2025/compare/?with=live").json()

    assert body["indicators"] == [
        {
            "indicator_id": indicator.pk,
            "indicator_code": "I1",
            "action_id": indicator.action_id,
            "cumulative_before": 120.0,
            "cumulative_after": 320.0,
            "cumulative_delta": 200.0,
            "percent_before": 24,
            "percent_after": 64,
            "percent_delta": 40,
        }
    ]
