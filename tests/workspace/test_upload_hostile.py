"""Spreadsheet upload of hostile CSV: a NUL past the first 4 KB and a cell over 128 KiB are reported
by row and column, nothing stored, never a 500 (issue 19; kept apart so it can be re-applied)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from workspace.spreadsheet import COLUMNS

pytestmark = pytest.mark.django_db


def csv_upload(text):
    return SimpleUploadedFile("updates.csv", text.encode("utf-8"), content_type="text/csv")


def errors(response):
    return [(e.row, e.column, e.message) for e in response.context["errors"]]


def test_a_nul_after_the_first_4_kb_is_a_cell_error(new_updates, client_for, focal_sv, action_sv):
    good = "labour-mobility,A1,SV,on_track,40," + "x" * 5000 + ",,,\n"
    bad = "labour-mobility,A1,SV,on_track,50,bad\x00text,,,\n"
    response = client_for(focal_sv).post("/en/my/upload/", {"file": csv_upload(",".join(COLUMNS) + "\n" + good + bad)})
    assert response.status_code == 400
    assert errors(response) == [(3, "narrative", "This cell contains a NUL character, which no spreadsheet writes.")]
    assert new_updates().count() == 0


def test_a_cell_over_128_kib_is_a_row_error(new_updates, client_for, focal_sv, action_sv):
    row = "labour-mobility,A1,SV,on_track,40," + "y" * (129 * 1024) + ",,,\n"
    response = client_for(focal_sv).post("/en/my/upload/", {"file": csv_upload(",".join(COLUMNS) + "\n" + row)})
    assert response.status_code == 400
    assert errors(response) == [
        (2, "", "This cell is longer than 32767 characters, more than a spreadsheet cell holds.")
    ]
    assert new_updates().count() == 0
