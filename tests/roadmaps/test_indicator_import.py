"""The spreadsheet hook: a row's indicator cells refused by the same rules, by column."""

from decimal import Decimal

import pytest
from django.utils import translation

from roadmaps.indicator_import import indicator_values_from_cells
from tests.factories import ActionFactory
from tests.indicator_factories import IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(el_salvador):
    action = ActionFactory(countries=[el_salvador])
    IndicatorFactory(action=action, code="I1", dimensions=["sex"])
    IndicatorFactory(action=action, code="P1", unit="percent", baseline_value=10, target_value=90)
    return action


def test_cells_become_indicator_values(action):
    items, errors = indicator_values_from_cells(action, {"I1": "10", "I1.sex.female": "6", "I1.sex.male": "4"})
    assert errors == {}
    assert [(i["indicator"].code, i["value"], i["disaggregation"]) for i in items] == [
        ("I1", Decimal(10), {"sex": {"female": Decimal(6), "male": Decimal(4)}})
    ]


@pytest.mark.parametrize(
    ("cells", "errors"),
    [
        ({"I1": "N/A"}, {"I1": ["“N/A” value must be a decimal number."]}),
        ({"I1": "-5"}, {"I1": ["A value cannot be negative."]}),
        ({"P1": "150"}, {"P1": ["A percent cannot be over 100."]}),
        ({"I1": "10", "I1.sex.female": "4"}, {"I1": ["The values of sex add up to 4, not to the total 10."]}),
    ],
)
def test_bad_cells_are_refused_by_column(action, cells, errors):
    with translation.override("en"):
        items, found = indicator_values_from_cells(action, cells)
    assert (items, found) == ([], errors)
