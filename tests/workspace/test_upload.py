"""Spreadsheet upload: all rows or none, each bad row reported by row, column and reason."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from roadmaps.models import ActionStatus
from workspace.spreadsheet import COLUMNS, INFO_COLUMNS

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(rows, header=COLUMNS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "updates"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("updates.xlsx", buffer.getvalue(), content_type=XLSX)


def csv_file(text, name="updates.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def errors(response):
    return [(e.row, e.column, e.message) for e in response.context["errors"]]


def test_upload_anonymous_is_sent_to_sign_in(client):
    assert client.get("/en/my/upload/")["Location"] == "/en/accounts/login/?next=/en/my/upload/"
    assert client.get("/en/my/upload/template.xlsx").status_code == 302


def test_upload_secretariat_gets_403(new_updates, client_for, secretariat_user, action_sv):
    client = client_for(secretariat_user)
    assert client.get("/en/my/upload/").status_code == 403
    row = ["labour-mobility", "A1", "SV", "on_track", 50, "n", "", "", ""]
    assert client.post("/en/my/upload/", {"file": xlsx([row])}).status_code == 403
    assert client.get("/en/my/upload/template.xlsx").status_code == 403
    assert new_updates().count() == 0


def test_upload_template_lists_the_users_actions_only(client_for, focal_sv, action_sv, action_gt, action_shared):
    response = client_for(focal_sv).get("/en/my/upload/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(workbook["updates"].iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS + INFO_COLUMNS
    # By roadmap slug and code: the world's draft D1, partners B1 and public A1 (El Salvador's row only)
    # around this roadmap's A1 and A3.
    assert [row[:3] for row in rows[1:]] == [
        ("draft-sv", "D1", "SV"),
        ("health-partners", "B1", "SV"),
        ("labour-mobility", "A1", "SV"),
        ("labour-mobility", "A3", "SV"),
        ("labour-public", "A1", "SV"),
    ]
    assert "instructions" in workbook.sheetnames


def test_upload_template_keeps_formula_like_titles_as_text(client_for, focal_sv, action_sv):
    action_sv.title_en = '=HYPERLINK("http://evil")'
    action_sv.save()
    response = client_for(focal_sv).get("/en/my/upload/template.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["updates"]
    assert sheet["J4"].value == '=HYPERLINK("http://evil")'  # row 4: this roadmap's A1 (after the world's D1, B1)
    assert sheet["J4"].data_type == "s"


def test_upload_filled_template_goes_in(new_updates, client_for, focal_sv, el_salvador, action_sv, action_shared):
    client = client_for(focal_sv)
    template = openpyxl.load_workbook(io.BytesIO(client.get("/en/my/upload/template.xlsx").content))
    sheet = template["updates"]
    # Rows 4 and 5 are this roadmap's A1 and A3 (the world's D1 and B1 come first); rows left blank are skipped.
    sheet["D4"], sheet["E4"], sheet["F4"] = "on_track", 40, "Premises rented."
    sheet["D5"], sheet["E5"], sheet["F5"], sheet["I5"] = "Completed", 100, "Study published.", "https://example.org/s"
    buffer = io.BytesIO()
    template.save(buffer)
    response = client.post("/en/my/upload/", {"file": SimpleUploadedFile("t.xlsx", buffer.getvalue())})
    assert response.status_code == 302
    assert response["Location"] == "/en/my/"
    saved = (
        new_updates()
        .order_by("action__code")
        .values_list(
            "action__code", "country__code", "status", "percent_complete", "narrative", "evidence_url", "review_state"
        )
    )
    assert list(saved) == [
        ("A1", "SV", "on_track", 40, "Premises rented.", "", "submitted"),
        ("A3", "SV", "completed", 100, "Study published.", "https://example.org/s", "submitted"),
    ]


def test_upload_csv_with_semicolons_and_spanish_status(new_updates, client_for, focal_sv, action_sv):
    with translation.override("es"):
        spanish_label = str(ActionStatus.ON_TRACK.label)
    text = ";".join(COLUMNS) + f"\nlabour-mobility;a1;sv;{spanish_label};35%;Avance;;;\n"
    response = client_for(focal_sv).post("/es/my/upload/", {"file": csv_file(text)})
    assert response.status_code == 302
    assert list(new_updates().values_list("status", "percent_complete", "narrative")) == [("on_track", 35, "Avance")]


def test_upload_one_bad_row_keeps_every_row_out(new_updates, client_for, focal_sv, action_sv, action_gt, action_shared):
    rows = [
        ["labour-mobility", "A1", "SV", "on_track", 50, "Good row.", "", "", ""],
        ["labour-mobility", "A2", "SV", "on_track", 50, "Guatemala's action.", "", "", ""],
        ["labour-mobility", "A3", "GT", "completed", 80, "", "", "", "not a link"],
        ["labour-mobility", "A1", "SV", "finished", 150, "x" * 10_001, "", "", ""],
        ["", "", "", "", "", "", "", "", ""],
    ]
    response = client_for(focal_sv).post("/en/my/upload/", {"file": xlsx(rows)})
    assert response.status_code == 400
    assert errors(response) == [
        (3, "action_code", "No action A2 in roadmap labour-mobility that one of your countries is responsible for."),
        (4, "country_code", "You are not a focal point for GT."),
        (4, "percent", "Status “completed” means 100 %: set the percent to 100 or choose another status."),
        (4, "narrative", "Required."),
        (4, "evidence_link", "Enter a complete web address (https://…), at most 500 characters."),
        (
            5,
            "status",
            "Unknown status “finished”; use one of: not_started, on_track, at_risk, delayed, completed, cancelled.",
        ),
        (5, "percent", "Write a number from 0 to 100 (it is 150)."),
        (5, "narrative", "At most 10000 characters (it has 10001)."),
    ]
    html = response.content.decode()
    assert "8 problems: nothing was saved" in html
    assert (
        '<td data-label="Row">4</td><td data-label="Column">country_code</td>'
        '<td data-label="Problem">You are not a focal point for GT.</td>'
    ) in html
    assert new_updates().count() == 0


def test_upload_errors_in_spanish(client_for, focal_sv, action_sv):
    rows = [["labour-mobility", "A1", "SV", "on_track", 150, "n", "", "", ""]]
    response = client_for(focal_sv).post("/es/my/upload/", {"file": xlsx(rows)})
    # The column as the Spanish template names it.
    assert errors(response) == [(2, "porcentaje", "Escriba un número de 0 a 100 (es 150).")]
    assert "1 problema: no se guardó nada" in response.content.decode()


def test_upload_missing_column_is_reported(client_for, focal_sv, action_sv):
    header = [c for c in COLUMNS if c != "narrative"]
    response = client_for(focal_sv).post("/en/my/upload/", {"file": xlsx([], header=header)})
    assert errors(response) == [(1, "narrative", "This column is missing from the first row.")]


def test_upload_not_a_spreadsheet_is_refused(client_for, focal_sv, action_sv):
    exe = SimpleUploadedFile("updates.xlsx", b"MZ\x90\x00" + b"\x00" * 100)
    response = client_for(focal_sv).post("/en/my/upload/", {"file": exe})
    assert response.status_code == 400
    assert errors(response) == [(0, "", "This file is neither an XLSX spreadsheet nor a CSV text file.")]


def test_upload_broken_zip_is_refused(client_for, focal_sv, action_sv):
    broken = SimpleUploadedFile("updates.xlsx", b"PK\x03\x04" + b"garbage" * 10)
    response = client_for(focal_sv).post("/en/my/upload/", {"file": broken})
    assert errors(response) == [(0, "", "This file is not a readable XLSX spreadsheet.")]


def test_upload_empty_template_reports_nothing_to_import(client_for, focal_sv, action_sv):
    rows = [["labour-mobility", "A1", "SV", "", "", "", "", "", ""]]
    response = client_for(focal_sv).post("/en/my/upload/", {"file": xlsx(rows)})
    assert errors(response) == [(0, "", "No row has anything to report: fill in at least one row.")]


def test_upload_rolls_back_rows_already_written_when_the_service_refuses_a_later_one(
    new_updates, focal_sv, el_salvador, action_sv
):
    # Rows that passed the sheet's checks still go through the service, which checks again: here the
    # second row is refused by the model's rules and the first, already written, is rolled back.
    from workspace.spreadsheet import ParsedRow, SpreadsheetError, submit_rows

    rows = [
        ParsedRow(2, action_sv, el_salvador, "on_track", 10, "one", "", "", ""),
        ParsedRow(3, action_sv, el_salvador, "completed", 20, "two", "", "", ""),
    ]
    with pytest.raises(SpreadsheetError) as raised:
        submit_rows(user=focal_sv, rows=rows)
    # The model's constraint speaks for itself (non-field error: no column).
    assert [(e.row, e.column) for e in raised.value.errors] == [(3, "")]
    assert new_updates().count() == 0
    action_sv.refresh_from_db()
    assert action_sv.version == 1


def test_upload_too_many_rows_is_refused(new_updates, client_for, focal_sv, action_sv):
    rows = [["labour-mobility", "A1", "SV", "on_track", 50, "n", "", "", ""]] * 2001
    response = client_for(focal_sv).post("/en/my/upload/", {"file": xlsx(rows)})
    assert response.status_code == 400
    assert errors(response) == [(0, "", "At most 2000 rows at once.")]
    assert new_updates().count() == 0


def test_upload_percent_with_a_decimal_comma_is_read_as_the_admin_import_reads_it(
    new_updates, client_for, focal_sv, action_sv
):
    text = ";".join(COLUMNS) + "\nlabour-mobility;A1;SV;on_track;50,0;Avance;;;\n"
    response = client_for(focal_sv).post("/en/my/upload/", {"file": csv_file(text)})
    assert response.status_code == 302
    assert list(new_updates().values_list("percent_complete", flat=True)) == [50]


def test_upload_csv_with_a_nul_byte_is_refused_with_row_and_column(new_updates, client_for, focal_sv, action_sv):
    padding = "x" * 5000  # past the first 4 KB, where a binary file would be caught as a whole
    text = (
        ",".join(COLUMNS)
        + f"\nlabour-mobility,A1,SV,on_track,50,{padding},,,\nlabour-mobility,A1,SV,on_track,50,a\x00b,,,\n"
    )
    response = client_for(focal_sv).post("/en/my/upload/", {"file": csv_file(text)})
    assert errors(response) == [(3, "narrative", "This cell contains a NUL character, which no spreadsheet writes.")]
    assert new_updates().count() == 0


def test_upload_csv_with_a_huge_cell_is_refused_with_row_and_column(new_updates, client_for, focal_sv, action_sv):
    text = ",".join(COLUMNS) + "\nlabour-mobility,A1,SV,on_track,50," + "x" * 40_000 + ",,,\n"
    response = client_for(focal_sv).post("/en/my/upload/", {"file": csv_file(text)})
    assert errors(response) == [
        (2, "narrative", "This cell is longer than 32767 characters, more than a spreadsheet cell holds.")
    ]
    assert new_updates().count() == 0


SPANISH_HEADERS = [
    "hoja_de_ruta",
    "codigo_accion",
    "codigo_pais",
    "estado",
    "porcentaje",
    "narrativa",
    "dificultades",
    "proximos_pasos",
    "enlace_evidencia",
]


def test_upload_template_in_spanish_has_spanish_headers_and_a_valid_values_sheet(client_for, focal_sv, action_sv):
    response = client_for(focal_sv).get("/es/my/upload/template.xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["updates", "instructions", "valid values"]
    header = next(workbook["updates"].iter_rows(values_only=True))
    assert list(header) == [*SPANISH_HEADERS, "titulo_accion", "estado_actual", "porcentaje_actual", "fecha_limite"]
    values = {col[0]: [v for v in col[1:] if v] for col in workbook["valid values"].iter_cols(values_only=True)}
    assert values["codigo_pais"] == ["SV — El Salvador"]
    assert "on_track — On track — En curso" in values["estado"]
    example = [row for row in workbook["instructions"].iter_rows(values_only=True) if row[0] == "#labour-pathways"]
    assert len(example) == 1


def test_upload_with_spanish_headers_and_an_example_row_goes_in(new_updates, client_for, focal_sv, action_sv):
    rows = [
        ["#labour-pathways", "A1", "SV", "on_track", "60", "An example, never imported.", "", "", ""],
        ["labour-mobility", "A1", "SV", "En curso", "45", "Avance real.", "", "", ""],
    ]
    response = client_for(focal_sv).post("/es/my/upload/", {"file": xlsx(rows, header=SPANISH_HEADERS)})
    assert response.status_code == 302
    assert list(new_updates().values_list("percent_complete", "narrative")) == [(45, "Avance real.")]
