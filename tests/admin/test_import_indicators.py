"""Indicators from the secretariat's import template (issue 17): an "indicators" sheet next to the
roadmaps and actions, checked by the model's rules, by row and column, all or nothing."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from roadmaps.imports import INDICATOR_COLUMNS, run_import
from roadmaps.models import Action, Indicator, Roadmap
from tests.admin.test_import import GOOD_ACTIONS, IMPORT, reference, roadmap_row  # noqa: F401
from tests.admin.test_import import workbook as base_workbook

pytestmark = pytest.mark.django_db


def indicator_row(**overrides):
    row = {
        "roadmap": "labour-pathways",
        "action": "A1",
        "code": "I1",
        "name_en": "Officials trained",
        "name_es": "Funcionarios capacitados",
        "unit": "People",
        "baseline_value": 0,
        "target_value": "500,0",
        "direction": "increase",
        "cycle_combine": "sum",
        "country_combine": "Suma de los países",
        "dimensions": "sex; age",
    }
    row.update(overrides)
    return row


def workbook(indicators) -> bytes:
    book = load_workbook(io.BytesIO(base_workbook([roadmap_row()], GOOD_ACTIONS)))
    sheet = book.create_sheet("indicators")
    sheet.append(INDICATOR_COLUMNS)
    for row in indicators:
        sheet.append([row.get(column) for column in INDICATOR_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_indicators_are_imported_with_their_actions(client_for, secretariat_user, reference):  # noqa: F811
    client = client_for(secretariat_user)
    data = workbook(
        [indicator_row(), indicator_row(action="A2", code="P1", unit="percent", target_value="90", dimensions="")]
    )
    preview = client.post(reverse(IMPORT), {"file": SimpleUploadedFile("plan.xlsx", data), "kind": "roadmaps"})
    assert preview.context["result"].errors == []
    assert preview.status_code == 200
    assert [p.row for p in preview.context["result"].indicators] == [2, 3]
    assert Indicator.objects.count() == 0  # the preview writes nothing

    assert client.post(reverse(IMPORT), {"confirm": "1"}).status_code == 302
    i1 = Indicator.objects.get(code="I1")
    assert (i1.action.code, i1.unit, i1.baseline_value, i1.target_value, i1.country_combine, i1.dimensions) == (
        "A1",
        "people",
        Decimal(0),
        Decimal(500),
        "sum",
        ["sex", "age"],
    )
    assert Indicator.objects.get(code="P1").action.code == "A2"


@pytest.mark.parametrize(
    ("bad", "column", "message"),
    [
        ({"unit": "kg"}, "unit", "“kg” is not one of: people, percent, number, currency, yes_no."),
        ({"target_value": "N/A"}, "target_value", "“N/A” is not a number."),
        ({"target_value": "-1"}, "target_value", "An increasing indicator needs a target above its baseline."),
        ({"action": "Z9"}, "action", "No action Z9 in roadmap labour-pathways."),
        ({"dimensions": "colour"}, "dimensions", "“colour” is not one of: sex, age, migrant_status."),
        ({"code": "I1", "name_en": "Again"}, "code", "Duplicate indicator code: row 2 has I1 for the same action."),
    ],
)
def test_a_bad_indicator_row_is_named_and_nothing_is_imported(secretariat_user, reference, bad, column, message):  # noqa: F811
    rows = [indicator_row(), indicator_row(**{"code": "I2", **bad})]
    result = run_import(workbook(rows), "plan.xlsx", None, user=secretariat_user, commit=True)

    assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [("indicators", 3, column, message)]
    assert (Roadmap.objects.count(), Action.objects.count(), Indicator.objects.count()) == (0, 0, 0)


def test_template_has_an_indicators_sheet_and_its_valid_values(client_for, secretariat_user):
    response = client_for(secretariat_user).get(reverse("admin:roadmaps_roadmap_import_template", args=["xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book["indicators"][1]] == INDICATOR_COLUMNS
    assert book["indicators"]["A2"].value == "#labour-pathways"  # the example row, skipped on import
    values = {col[0]: [v for v in col[1:] if v] for col in book["valid values"].iter_cols(values_only=True)}
    assert "people — People — Personas" in values["unit"]
    assert values["dimensions"][0] == "sex (female, male, other)"
