"""The review report's action rows (regional.exports.ReviewRowResource), in the CSV and in the workbook's
"Actions" sheet: titles in the user's language, status labels in English or Spanish, a formula-looking
text exported as text."""

import csv
import io

from openpyxl import load_workbook

from roadmaps.models import ActionStatus
from tests.factories import ActionFactory

FORMULA = "=1+2"


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_review_action_rows_in_both_languages_with_formulas_as_text(client, region):
    ActionFactory(
        roadmap=region["roadmaps"]["R1"],
        code="Z9",
        title_en=FORMULA,
        title_es=FORMULA,
        status=ActionStatus.ON_TRACK,
        countries=[region["el_salvador"]],
    )

    spanish = _csv(client.get("/es/review/", {"format": "csv"}))
    assert spanish[0][:4] == ["Objetivo", "Título del objetivo", "Código de país", "País"]
    assert spanish[0][7] == "Estado (Estado hoy)"
    z9 = next(row for row in spanish if row[4] == "Z9")
    assert (z9[5], z9[7]) == ("'" + FORMULA, "En curso")

    english = _csv(client.get("/en/review/", {"format": "csv"}))
    assert english[0][7] == "Status (Status today)"
    assert next(row for row in english if row[4] == "Z9")[7] == "On track"

    sheet = load_workbook(io.BytesIO(client.get("/es/review/", {"format": "xlsx"}).content))["Acciones"]
    assert [c.value for c in sheet[1]][:3] == ["Objetivo", "Título del objetivo", "Código de país"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[4].value == "Z9")
    assert (row[5].value, row[5].data_type, row[7].value) == (FORMULA, "s", "En curso")
    assert isinstance(row[8].value, int)  # numbers stay numbers
