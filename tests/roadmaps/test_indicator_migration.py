"""Migration 0008: today's text targets become indicators; numbers where the target reads as one."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from roadmaps.models import Indicator
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("roadmaps.migrations.0008_indicators_from_action_targets")


def test_numeric_targets_become_numbers_and_the_text_stays_as_the_definition():
    numeric = ActionFactory(indicator="Workers placed per season", baseline="2,100 (2024)", target="3,500 (2026)")
    percent = ActionFactory(indicator="Returned children enrolled", baseline="38 %", target="90 %")
    falling = ActionFactory(indicator="Days to process", baseline="40", target="10")
    text = ActionFactory(indicator="Regional study published", baseline="No shared study", target="1 study, updated")
    ActionFactory()  # no text: no indicator

    migration.forwards(apps, None)

    got = {
        i.action_id: (i.name_en, i.unit, i.baseline_value, i.target_value, i.target_date, i.direction)
        for i in Indicator.objects.all()
    }
    assert got == {
        numeric.pk: (
            "Workers placed per season",
            "number",
            Decimal(2100),
            Decimal(3500),
            datetime.date(2026, 12, 31),
            "increase",
        ),
        percent.pk: ("Returned children enrolled", "percent", Decimal(38), Decimal(90), None, "increase"),
        falling.pk: ("Days to process", "number", Decimal(40), Decimal(10), None, "decrease"),
        text.pk: ("Regional study published", "number", None, None, None, "increase"),
    }
    assert Indicator.objects.get(action=text).definition_en == (
        "Indicator: Regional study published\nBaseline: No shared study\nTarget: 1 study, updated"
    )
    assert list(Indicator.objects.definition_only().values_list("action_id", flat=True)) == [text.pk]
