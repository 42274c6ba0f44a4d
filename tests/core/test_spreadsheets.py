"""The shared spreadsheet machinery: one formula guard, one number parser, one CSV reader."""

import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from core.spreadsheets import (
    MAX_CELL_CHARS,
    CellError,
    csv_rows,
    csv_safe,
    parse_whole_number,
    workbook_bytes,
    write_sheet,
)


@pytest.mark.parametrize("value", ["50", "50.0", "50,0", " 50 % ", 50, 50.0])
def test_whole_number_accepts_the_ways_people_write_fifty(value):
    assert parse_whole_number(value, minimum=0, maximum=100) == 50


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("50,5", "“50,5” is not a whole number from 0 to 100."),
        ("fifty", "“fifty” is not a whole number from 0 to 100."),
        ("1.000,0", "“1.000,0” is not a whole number from 0 to 100."),
        ("150", "Write a number from 0 to 100 (it is 150)."),
        (-1, "Write a number from 0 to 100 (it is -1)."),
    ],
)
def test_whole_number_refuses_with_the_reason(value, message):
    with pytest.raises(ValueError) as refused:
        parse_whole_number(value, minimum=0, maximum=100)
    assert str(refused.value) == message


def test_whole_number_reason_in_spanish():
    with translation.override("es"), pytest.raises(ValueError) as refused:
        parse_whole_number("150", minimum=0, maximum=100)
    assert str(refused.value) == "Escriba un número de 0 a 100 (es 150)."


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cell_that_would_run_as_formula_is_quoted(value):
    assert csv_safe(value) == "'" + value


def test_csv_cell_that_is_plain_text_is_unchanged():
    assert [csv_safe(v) for v in ["Plan", "a=b", 5, None]] == ["Plan", "a=b", 5, None]


def test_xlsx_sheet_has_frozen_filterable_header_and_text_cells_without_apostrophe():
    data = workbook_bytes("actions", [["code", "title"], ["A1", '=HYPERLINK("http://evil")'], ["A2", "-3"]])

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:B3"
    assert (sheet["B2"].value, sheet["B2"].data_type) == ('=HYPERLINK("http://evil")', "s")
    assert (sheet["B3"].value, sheet["B3"].data_type) == ("-3", "s")


def test_write_sheet_below_a_title_freezes_under_its_header():
    sheet = Workbook().active
    sheet.append(["Report"])
    write_sheet(sheet, ["a", "b"], [[1, 2]])
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A3", "A2:B3")


def test_csv_rows_sniffs_semicolons_and_strips_cells():
    assert csv_rows("a;b\n 1 ; x \n") == [["a", "b"], ["1", "x"]]


def test_csv_nul_byte_is_refused_with_row_and_column():
    with pytest.raises(CellError) as refused:
        csv_rows("code,title\nA1,ok\nA2,bad\x00name\n")
    assert (refused.value.row, refused.value.column, refused.value.message) == (
        3,
        "title",
        "This cell contains a NUL character, which no spreadsheet writes.",
    )


def test_csv_cell_longer_than_a_spreadsheet_cell_is_refused_with_row_and_column():
    with pytest.raises(CellError) as refused:
        csv_rows("code,narrative\nA1," + "x" * (MAX_CELL_CHARS + 1) + "\n")
    assert (refused.value.row, refused.value.column) == (2, "narrative")
    assert refused.value.message == "This cell is longer than 32767 characters, more than a spreadsheet cell holds."


def test_csv_huge_field_beyond_the_csv_limit_is_refused_with_its_row():
    with pytest.raises(CellError) as refused:
        csv_rows('code,narrative\nA1,ok\nA2,"' + "x" * 200_000 + '"\n')
    assert refused.value.row == 3
    assert refused.value.message == "This cell is longer than 32767 characters, more than a spreadsheet cell holds."
