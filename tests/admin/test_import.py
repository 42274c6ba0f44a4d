"""Spreadsheet import of roadmaps and actions: preview, all or nothing, row-by-row errors."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from countries.models import Country
from roadmaps.imports import ACTION_COLUMNS, ROADMAP_COLUMNS, SESSION_KEY, run_import
from roadmaps.models import Action, ActionStatus, Roadmap, RoadmapStatus
from tests.factories import (
    ActionFactory,
    CountryFactory,
    ForumFactory,
    ObjectiveFactory,
    OrganizationFactory,
    RoadmapFactory,
    ThemeFactory,
)

IMPORT = "admin:roadmaps_roadmap_import"


@pytest.fixture
def reference(db):
    CountryFactory(code="SV")
    CountryFactory(code="GT")
    CountryFactory(code="HN")
    for number in (1, 2, 23):
        ObjectiveFactory(number=number)
    return ThemeFactory(slug="labour-migration")


def roadmap_row(**overrides):
    row = {
        "slug": "labour-pathways",
        "title_en": "Labour pathways",
        "title_es": "Vías laborales",
        "theme": "labour-migration",
        "lead_country": "SV",
        "countries": "SV, GT",
        "objectives": "2; 23",
        "start_date": datetime.date(2025, 1, 1),
        "end_date": "2026-12-31",
        "status": "Activa",
        "visibility": "public",
    }
    row.update(overrides)
    return row


def action_row(**overrides):
    row = {
        "roadmap": "labour-pathways",
        "code": "A1",
        "title_en": "Map recruitment agencies",
        "title_es": "Mapear agencias de reclutamiento",
        "countries": "SV",
        "objectives": "",
        "start_date": "2025-02-01",
        "due_date": "2025-12-31",
        "status": "on_track",
        "percent_complete": 25,
    }
    row.update(overrides)
    return row


def workbook(roadmaps=(), actions=()) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, columns, rows in (("roadmaps", ROADMAP_COLUMNS, roadmaps), ("actions", ACTION_COLUMNS, actions)):
        sheet = book.create_sheet(name)
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(column) for column in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(columns, rows) -> bytes:
    lines = [",".join(columns)]
    for row in rows:
        lines.append(",".join(f'"{row.get(c, "")}"' for c in columns))
    return ("\n".join(lines) + "\n").encode()


GOOD_ACTIONS = [
    action_row(),
    action_row(
        code="A2",
        title_en="Train labour inspectors",
        countries="SV;GT",
        due_date="2026-06-30",
        objectives="1",
        depends_on="A1",
        status="Completada",
        percent_complete="100",
    ),
]


def test_good_import_creates_exactly_the_rows(client_for, secretariat_user, reference):
    client = client_for(secretariat_user)
    data = workbook([roadmap_row()], GOOD_ACTIONS)
    preview = client.post(reverse(IMPORT), {"file": SimpleUploadedFile("plan.xlsx", data), "kind": "roadmaps"})
    assert preview.status_code == 200
    assert [p.row for p in preview.context["result"].actions] == [2, 3]
    assert "Import these rows" in preview.text
    # A dry run: nothing is saved yet.
    assert Roadmap.objects.count() == 0
    assert Action.objects.count() == 0

    response = client.post(reverse(IMPORT), {"confirm": "1"})
    assert response.status_code == 302
    roadmap = Roadmap.objects.get()
    assert (roadmap.slug, roadmap.title_es, roadmap.status) == (
        "labour-pathways",
        "Vías laborales",
        RoadmapStatus.ACTIVE,
    )
    assert (roadmap.start_date, roadmap.end_date) == (datetime.date(2025, 1, 1), datetime.date(2026, 12, 31))
    assert sorted(roadmap.countries.values_list("code", flat=True)) == ["GT", "SV"]
    assert sorted(roadmap.objectives.values_list("number", flat=True)) == [2, 23]
    a1, a2 = Action.objects.order_by("code")
    assert (a1.code, a1.status, a1.percent_complete, a1.due_date) == (
        "A1",
        ActionStatus.ON_TRACK,
        25,
        datetime.date(2025, 12, 31),
    )
    # No objectives of its own: the roadmap's.
    assert list(a1.objectives.all()) == []  # never copied: it serves the roadmap's
    assert set(Action.objects.serving_objective(roadmap.objectives.get(number=23).pk)) >= {a1}
    assert (a2.status, a2.percent_complete) == (ActionStatus.COMPLETED, 100)
    assert sorted(a2.countries.values_list("code", flat=True)) == ["GT", "SV"]
    assert list(a2.objectives.values_list("number", flat=True)) == [1]
    assert list(a2.depends_on.all()) == [a1]
    assert Action.objects.count() == 2


def test_csv_actions_into_existing_roadmap(client_for, secretariat_user, reference):
    RoadmapFactory(slug="labour-pathways")
    data = csv_bytes(ACTION_COLUMNS, GOOD_ACTIONS)
    client = client_for(secretariat_user)
    preview = client.post(reverse(IMPORT), {"file": SimpleUploadedFile("actions.csv", data), "kind": "actions"})
    assert preview.status_code == 200
    assert preview.context["result"].errors == []
    client.post(reverse(IMPORT), {"confirm": "1"})
    assert sorted(Action.objects.values_list("code", flat=True)) == ["A1", "A2"]


def test_semicolon_csv_is_read(secretariat_user, reference):
    RoadmapFactory(slug="labour-pathways")
    text = "roadmap;code;title_en;title_es;countries;percent_complete\nlabour-pathways;B1;One;Uno;SV,GT;10\n"
    result = run_import(text.encode(), "a.csv", "actions", user=secretariat_user, commit=True)
    assert result.errors == []
    assert Action.objects.get().percent_complete == 10


@pytest.mark.parametrize(
    ("bad", "column", "message"),
    [
        ({"countries": "SV, XX"}, "countries", "Unknown country code “XX” (use the ISO alpha-2 code, e.g. SV)."),
        ({"objectives": "24"}, "objectives", "GCM objective 24 does not exist: the objectives are numbered 1 to 23."),
        ({"percent_complete": "150"}, "percent_complete", "Write a number from 0 to 100 (it is 150)."),
        ({"due_date": "2025-01-15"}, "due_date", "The due date is before the start date."),
        ({"code": "A1"}, "code", "Duplicate action code: row 2 has A1 in the same roadmap."),
        ({"due_date": "31.12.2025"}, "due_date", "“31.12.2025” is not a date: write it as YYYY-MM-DD."),
        (
            {"status": "finished"},
            "status",
            "“finished” is not one of: not_started, on_track, at_risk, delayed, completed, cancelled.",
        ),
        ({"title_es": ""}, "title_es", "This column is required."),
    ],
)
def test_one_bad_row_among_good_rows_changes_nothing(client_for, secretariat_user, reference, bad, column, message):
    actions = [action_row(), action_row(**{"code": "A3", **bad}), action_row(code="A4")]
    data = workbook([roadmap_row()], actions)
    response = client_for(secretariat_user).post(
        reverse(IMPORT), {"file": SimpleUploadedFile("plan.xlsx", data), "kind": "roadmaps"}
    )
    assert response.status_code == 400
    errors = [(e.sheet, e.row, e.column, e.message) for e in response.context["result"].errors]
    assert errors == [("actions", 3, column, message)]
    assert message in response.text
    assert "Import these rows" not in response.text
    assert Roadmap.objects.count() == 0
    assert Action.objects.count() == 0


def test_duplicate_of_existing_action_code(secretariat_user, reference):
    ActionFactory(roadmap=RoadmapFactory(slug="labour-pathways"), code="A1")
    result = run_import(workbook([], [action_row()]), "a.xlsx", None, user=secretariat_user, commit=True)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "code", "Duplicate action code: A1 already exists in labour-pathways.")
    ]
    assert Action.objects.count() == 1


def test_every_bad_row_is_reported(secretariat_user, reference):
    roadmaps = [roadmap_row(lead_country="ZZ", start_date="2025-05-01", end_date="2025-01-01")]
    actions = [action_row(), action_row(code="A2", countries="", percent_complete="lots")]
    result = run_import(workbook(roadmaps, actions), "a.xlsx", None, user=secretariat_user, commit=True)
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [
        ("roadmaps", 2, "end_date"),
        ("roadmaps", 2, "lead_country"),
        ("actions", 3, "countries"),
        ("actions", 3, "percent_complete"),
    ]
    assert Roadmap.objects.count() == 0
    assert Action.objects.count() == 0


def test_missing_column_reported_on_header_row(secretariat_user, reference):
    data = b"roadmap,code,title_en,title_es\nlabour-pathways,A1,x,y\n"
    result = run_import(data, "a.csv", "actions", user=secretariat_user, commit=True)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (1, "countries", "This column is missing from the header row.")
    ]


def test_not_a_spreadsheet(client_for, secretariat_user, reference):
    response = client_for(secretariat_user).post(
        reverse(IMPORT), {"file": SimpleUploadedFile("plan.xlsx", b"not a zip"), "kind": "roadmaps"}
    )
    assert response.status_code == 400
    assert "This file is not a readable XLSX workbook." in response.text
    response = client_for(secretariat_user).post(
        reverse(IMPORT), {"file": SimpleUploadedFile("plan.pdf", b"%PDF"), "kind": "roadmaps"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"file": ["Upload an .xlsx or a .csv file."]}


def test_confirm_without_preview_goes_back(client_for, secretariat_user, reference):
    response = client_for(secretariat_user).post(reverse(IMPORT), {"confirm": "1"})
    assert response.status_code == 302
    assert Roadmap.objects.count() == 0


def test_templates_download(client_for, secretariat_user):
    client = client_for(secretariat_user)
    response = client.get(reverse("admin:roadmaps_roadmap_import_template", args=["xlsx"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["roadmaps", "actions", "indicators", "valid values"]
    assert [c.value for c in book["actions"][1]] == ACTION_COLUMNS
    assert book["actions"]["A2"].value == "#labour-pathways"  # the example row
    response = client.get(reverse("admin:roadmaps_roadmap_import_template", args=["csv"]) + "?kind=roadmaps")
    header, example = response.content.decode("utf-8-sig").strip().splitlines()
    assert header == ",".join(ROADMAP_COLUMNS)
    assert example.startswith("#labour-pathways,Regular labour pathways,")


def test_template_valid_values_sheet_lists_what_the_columns_accept(client_for, secretariat_user, reference):
    OrganizationFactory(key="iom")
    ForumFactory(key="ii-forum-2024")
    response = client_for(secretariat_user).get(reverse("admin:roadmaps_roadmap_import_template", args=["xlsx"]))

    sheet = load_workbook(io.BytesIO(response.content))["valid values"]
    columns = {col[0]: [v for v in col[1:] if v is not None] for col in sheet.iter_cols(values_only=True)}
    assert columns["countries"] == [f"{c.code} — {c.name_en}" for c in Country.objects.order_by("code")]
    assert [c.split(" — ")[0] for c in columns["countries"]] == ["GT", "HN", "SV"]
    assert columns["theme"] == ["labour-migration"]
    assert columns["forum"] == ["ii-forum-2024"]
    assert columns["organizations"] == ["iom"]
    assert columns["objectives"] == ["1", "2", "23"]
    assert "on_track — On track — En curso" in columns["status (actions)"]
    assert columns["visibility"] == [
        "public — Public — Pública",
        "partners — Partners — Socios",
        "internal — Internal — Interna",
    ]


def test_filled_template_with_its_example_rows_left_in_imports_only_the_real_rows(
    client_for, secretariat_user, reference
):
    client = client_for(secretariat_user)
    book = load_workbook(
        io.BytesIO(client.get(reverse("admin:roadmaps_roadmap_import_template", args=["xlsx"])).content)
    )
    book["roadmaps"].append([roadmap_row().get(c) for c in ROADMAP_COLUMNS])
    book["actions"].append([action_row().get(c) for c in ACTION_COLUMNS])
    out = io.BytesIO()
    book.save(out)

    result = run_import(out.getvalue(), "filled.xlsx", None, user=secretariat_user, commit=True)

    assert result.errors == []
    assert list(Roadmap.objects.values_list("slug", flat=True)) == ["labour-pathways"]
    assert list(Action.objects.values_list("code", flat=True)) == ["A1"]


def test_import_page_lists_columns(client_for, secretariat_user):
    response = client_for(secretariat_user).get(reverse(IMPORT))
    assert response.status_code == 200
    assert "<code>percent_complete</code>" in response.text
    assert "<code>slug*</code>" in response.text


def test_staff_outside_group_cannot_import(client_for, staff_outsider, reference):
    data = workbook([roadmap_row()], [])
    response = client_for(staff_outsider).post(reverse(IMPORT), {"file": SimpleUploadedFile("p.xlsx", data)})
    assert response.status_code == 403
    assert (
        client_for(staff_outsider).get(reverse("admin:roadmaps_roadmap_import_template", args=["xlsx"])).status_code
        == 403
    )
    assert Roadmap.objects.count() == 0


def test_unnamed_sheet_read_as_chosen_kind(secretariat_user, reference):
    RoadmapFactory(slug="labour-pathways")
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["Roadmap", "Code", "Title EN", "Title ES", "Countries", "Due date"])
    sheet.append(["labour-pathways", "C1", "One", "Uno", "GT", datetime.datetime(2026, 3, 31)])
    out = io.BytesIO()
    book.save(out)
    result = run_import(out.getvalue(), "book.xlsx", "actions", user=secretariat_user, commit=True)
    # Headers are matched case-insensitively, spaces read as underscores ("Title EN" is title_en).
    assert result.errors == []
    action = Action.objects.get()
    assert (action.code, action.title_es, action.due_date) == ("C1", "Uno", datetime.date(2026, 3, 31))
    assert list(action.countries.values_list("code", flat=True)) == ["GT"]


def test_errors_reported_in_spanish(client_for, secretariat_user, reference):
    data = workbook([roadmap_row()], [action_row(objectives="24")])
    response = client_for(secretariat_user).post(
        reverse(IMPORT), {"file": SimpleUploadedFile("plan.xlsx", data), "kind": "roadmaps"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 400
    assert "El objetivo 24 del PMM no existe: los objetivos van del 1 al 23." in response.text
    assert "no se importó" in response.text


def test_percent_with_a_decimal_comma_is_read_as_the_upload_reads_it(secretariat_user, reference):
    """ "50,0" (how a Spanish spreadsheet writes 50) means 50 here and in the focal points' upload."""
    RoadmapFactory(slug="labour-pathways")
    text = "roadmap;code;title_en;title_es;countries;percent_complete\nlabour-pathways;B1;One;Uno;SV;50,0\n"
    result = run_import(text.encode(), "a.csv", "actions", user=secretariat_user, commit=True)
    assert result.errors == []
    assert Action.objects.get().percent_complete == 50


def test_csv_with_a_nul_byte_is_refused_with_row_and_column(secretariat_user, reference):
    RoadmapFactory(slug="labour-pathways")
    text = "roadmap,code,title_en,title_es,countries\nlabour-pathways,B1,One,Un\x00o,SV\n"
    with translation.override("en"):
        result = run_import(text.encode(), "a.csv", "actions", user=secretariat_user, commit=True)
    assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [
        ("actions", 2, "title_es", "This cell contains a NUL character, which no spreadsheet writes.")
    ]
    assert Action.objects.count() == 0


def test_previewed_file_waits_in_temporary_storage_not_in_the_session(client_for, secretariat_user, reference):
    client = client_for(secretariat_user)
    data = workbook([roadmap_row()], GOOD_ACTIONS)
    client.post(reverse(IMPORT), {"file": SimpleUploadedFile("plan.xlsx", data), "kind": "roadmaps"})

    stored = client.session[SESSION_KEY]
    assert sorted(stored) == ["kind", "name", "tmp"]
    assert Path(stored["tmp"]).read_bytes() == data  # django-import-export's TempFolderStorage

    assert client.post(reverse(IMPORT), {"confirm": "1"}).status_code == 302
    assert not Path(stored["tmp"]).exists()
    assert SESSION_KEY not in client.session
    assert Roadmap.objects.count() == 1


def test_confirm_after_the_temporary_file_is_gone_asks_for_the_file_again(client_for, secretariat_user, reference):
    client = client_for(secretariat_user)
    client.post(
        reverse(IMPORT), {"file": SimpleUploadedFile("plan.xlsx", workbook([roadmap_row()])), "kind": "roadmaps"}
    )
    Path(client.session[SESSION_KEY]["tmp"]).unlink()

    response = client.post(reverse(IMPORT), {"confirm": "1"})

    assert response["Location"] == reverse(IMPORT)
    assert Roadmap.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("es", "Se importó 1 hoja de ruta y 2 acciones desde plan.xlsx."),
        ("en", "Imported 1 roadmap and 2 actions from plan.xlsx."),
    ],
)
def test_import_message_counts_in_the_right_plural(client_for, secretariat_user, reference, language, message):
    client = client_for(secretariat_user)
    client.cookies["django_language"] = language
    data = workbook([roadmap_row()], GOOD_ACTIONS)
    client.post(reverse(IMPORT), {"file": SimpleUploadedFile("plan.xlsx", data), "kind": "roadmaps"})
    response = client.post(reverse(IMPORT), {"confirm": "1"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [message]
