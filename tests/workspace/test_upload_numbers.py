"""One reading of numbers for both spreadsheets (issue 15): a percent written "50,0" (a decimal comma,
as Spanish spreadsheets write it) or "50.0" is 50 in the secretariat's import and in the focal points'
upload, and "50,5" is refused by both with the same reason."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from roadmaps.imports import run_import
from roadmaps.models import Action
from workspace.spreadsheet import COLUMNS

pytestmark = pytest.mark.django_db


def admin_import(user, percent):
    text = f"roadmap;code;title_en;title_es;countries;percent_complete\nlabour-mobility;B1;One;Uno;SV;{percent}\n"
    with translation.override("en"):
        return run_import(text.encode(), "a.csv", "actions", user=user, commit=True)


def focal_upload(client, percent):
    text = ";".join(COLUMNS) + f"\nlabour-mobility;A1;SV;on_track;{percent};Avance;;;\n"
    return client.post("/en/my/upload/", {"file": SimpleUploadedFile("u.csv", text.encode())})


@pytest.mark.parametrize("percent", ["50,0", "50.0", "50"])
def test_fifty_is_fifty_in_both_spreadsheets(new_updates, client_for, secretariat_user, focal_sv, action_sv, percent):
    assert admin_import(secretariat_user, percent).errors == []
    assert focal_upload(client_for(focal_sv), percent).status_code == 302

    assert Action.objects.get(roadmap__slug="labour-mobility", code="B1").percent_complete == 50
    assert new_updates().get().percent_complete == 50


def test_a_fraction_is_refused_by_both_with_the_same_reason(
    world, new_updates, client_for, secretariat_user, focal_sv, action_sv
):
    imported = admin_import(secretariat_user, "50,5")
    uploaded = focal_upload(client_for(focal_sv), "50,5")

    reason = "“50,5” is not a whole number from 0 to 100."
    assert [(e.row, e.column, e.message) for e in imported.errors] == [(2, "percent_complete", reason)]
    assert [(e.row, e.column, e.message) for e in uploaded.context["errors"]] == [(2, "percent", reason)]
    assert list(Action.objects.filter(code="B1")) == [world.a_partners_sv]  # the world's only
    assert new_updates().count() == 0
