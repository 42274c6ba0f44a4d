"""The catalogue's export (practices.export.PracticeResource): titles in the user's language, and a
formula-looking text exported as text. (The export has no status column: only published practices
are in it.)"""

import csv
import io

from openpyxl import load_workbook

from practices.models import PracticeStatus

FORMULA = "=1+2"


def test_practices_export_in_spanish_keeps_a_formula_as_text(client, el_salvador, objective_2, make_practice):
    make_practice(
        countries=[el_salvador],
        objectives=[objective_2],
        status=PracticeStatus.PUBLISHED,
        title_es="Ventanilla única",
        summary_es=FORMULA,
    )

    sheet = load_workbook(io.BytesIO(client.get("/es/practices/export.xlsx").content)).active
    rows = [row for row in sheet.iter_rows() if row[0].value]
    heading, header, practice = rows[1], rows[2], rows[3]
    assert heading[0].value == "Objetivo 2. Minimizar los factores adversos"
    assert [c.value for c in header][:4] == ["Título", "Países", "Resumen", "Periodo"]
    assert [c.value for c in header][-2:] == ["Publicada", "Página"]
    assert (practice[0].value, practice[2].value, practice[2].data_type) == ("Ventanilla única", FORMULA, "s")

    english = list(csv.reader(io.StringIO(client.get("/en/practices/export.csv").content.decode())))
    assert english[0][:4] == ["Section", "Title", "Countries", "Summary"]
    spanish = list(csv.reader(io.StringIO(client.get("/es/practices/export.csv").content.decode())))
    assert spanish[1][3] == "'" + FORMULA
