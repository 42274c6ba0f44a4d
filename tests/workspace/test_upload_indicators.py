"""The spreadsheet upload takes indicator values (and their breakdowns) with the progress update; a
bad value is refused naming the row and the column, and nothing at all is stored (issue 17)."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from roadmaps.models import IndicatorValue
from tests.indicator_factories import IndicatorFactory, ReportingCycleFactory
from workspace.spreadsheet import COLUMNS

pytestmark = pytest.mark.django_db

HEADER = [*COLUMNS, "I1", "I1.sex.female", "I1.sex.male", "P1"]


@pytest.fixture
def indicators(action_sv):
    ReportingCycleFactory(
        key="annual-2026", period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31)
    )
    return (
        IndicatorFactory(action=action_sv, code="I1", dimensions=["sex"]),
        IndicatorFactory(action=action_sv, code="P1", unit="percent", baseline_value=10, target_value=90),
    )


def upload(client, rows, header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "updates"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return client.post("/en/my/upload/", {"file": SimpleUploadedFile("u.xlsx", out.getvalue())})


def report(*indicator_cells):
    return ["labour-mobility", "A1", "SV", "on_track", 50, "Two workshops.", "", "", "", *indicator_cells]


def test_indicator_values_go_in_with_the_update(new_updates, client_for, focal_sv, action_sv, indicators):
    response = upload(client_for(focal_sv), [report(120, "70", "50", "62,5")])

    assert response.status_code == 302
    update = new_updates().get()
    values = {v.indicator.code: v for v in IndicatorValue.objects.select_related("indicator")}
    assert values["I1"].update == update
    assert (values["I1"].value, values["I1"].cycle.key, values["I1"].disaggregation) == (
        Decimal(120),
        "annual-2026",
        {"sex": {"female": "70.00", "male": "50.00"}},
    )
    assert values["P1"].value == Decimal("62.5")  # "62,5": the decimal comma, as every import reads it


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (["N/A", "", "", ""], "I1", "“N/A” value must be a decimal number."),
        ([-5, "", "", ""], "I1", "A value cannot be negative."),
        (["", "", "", 150], "P1", "A percent cannot be over 100."),
        ([10, 4, 5, ""], "I1", "The values of sex add up to 9, not to the total 10."),
    ],
)
def test_a_bad_indicator_value_is_refused_by_row_and_column_and_nothing_is_stored(
    new_updates, client_for, focal_sv, action_sv, action_shared, indicators, cells, column, message
):
    good = ["labour-mobility", "A3", "SV", "on_track", 20, "Study started.", "", "", "", "", "", "", ""]
    response = upload(client_for(focal_sv), [good, report(*cells)])

    assert response.status_code == 400
    assert [(e.row, e.column, e.message) for e in response.context["errors"]] == [(3, column, message)]
    assert (new_updates().count(), IndicatorValue.objects.count()) == (0, 0)


def test_template_has_the_indicator_columns_and_lists_the_indicators(client_for, focal_sv, action_sv, indicators):
    response = client_for(focal_sv).get("/en/my/upload/template.xlsx")

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    header = next(book["updates"].iter_rows(values_only=True))
    assert list(header[-5:]) == ["I1", "I1.sex.female", "I1.sex.male", "I1.sex.other", "P1"]
    values = {col[0]: [v for v in col[1:] if v] for col in book["valid values"].iter_cols(values_only=True)}
    assert values["indicators"] == [
        f"labour-mobility A1 · I1 — {indicators[0].name_en} (People)",
        f"labour-mobility A1 · P1 — {indicators[1].name_en} (Percent)",
    ]
