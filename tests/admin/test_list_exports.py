"""Admin list exports (core.admin_tools.ExportMixin on django-import-export Resources): titles in the
user's language, status labels in English or Spanish, formula-looking text kept as text."""

import csv
import io

import pytest
from django.contrib import admin
from django.urls import reverse
from openpyxl import load_workbook

from core.admin_tools import ExportMixin
from roadmaps.models import ActionStatus
from tests.factories import ActionFactory

FORMULA = '=HYPERLINK("http://evil")'
EXPORTING_ADMINS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, ExportMixin)
)


def _xlsx(response):
    return load_workbook(io.BytesIO(response.content)).active


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_action_export_in_spanish_and_english(client_for, secretariat_user, el_salvador):
    ActionFactory(code="X1", title_en=FORMULA, status=ActionStatus.ON_TRACK, countries=[el_salvador])
    client = client_for(secretariat_user)
    url = reverse("admin:roadmaps_action_export", args=["xlsx"])

    sheet = _xlsx(client.get(url, HTTP_ACCEPT_LANGUAGE="es"))
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Hoja de ruta", "Código", "Título (inglés)", "Título (español)"]
    assert header[8:10] == ["Estado", "Porcentaje de avance"]
    title, status = sheet.cell(row=2, column=3), sheet.cell(row=2, column=9)
    assert status.value == "En curso"
    # The value as written, in a text cell: no apostrophe, and never run as a formula.
    assert (title.value, title.data_type) == (FORMULA, "s")
    assert [c for row in sheet.iter_rows() for c in row if c.data_type == "f"] == []

    english = _csv(client.get(reverse("admin:roadmaps_action_export", args=["csv"]), HTTP_ACCEPT_LANGUAGE="en"))
    record = dict(zip(english[0], english[1], strict=True))
    assert (record["Status"], record["Title (English)"]) == ("On track", "'" + FORMULA)


@pytest.mark.parametrize(("app_label", "model_name"), EXPORTING_ADMINS)
def test_every_admin_list_exports_both_formats_with_the_same_titled_columns(
    client_for, secretariat_user, app_label, model_name
):
    client = client_for(secretariat_user)
    name = f"admin:{app_label}_{model_name}_export"

    as_csv = client.get(reverse(name, args=["csv"]), HTTP_ACCEPT_LANGUAGE="es")
    as_xlsx = client.get(reverse(name, args=["xlsx"]), HTTP_ACCEPT_LANGUAGE="es")
    in_english = client.get(reverse(name, args=["csv"]), HTTP_ACCEPT_LANGUAGE="en")

    assert (as_csv.status_code, as_xlsx.status_code) == (200, 200)
    spanish = _csv(as_csv)[0]
    assert spanish == [cell.value for cell in _xlsx(as_xlsx)[1]]
    assert len(spanish) == len(_csv(in_english)[0])
    assert spanish != _csv(in_english)[0]  # titled in the user's language


def test_progress_update_export_labels_its_review_state_in_spanish(client_for, secretariat_user, pending_update):
    response = client_for(secretariat_user).get(
        reverse("admin:roadmaps_progressupdate_export", args=["csv"]), HTTP_ACCEPT_LANGUAGE="es"
    )
    record = dict(zip(*_csv(response)[:2], strict=True))
    assert record["Relato"] == "Work is under way."
    assert record["Estado de revisión"] == "Enviado"


def test_action_export_queries_do_not_grow_with_rows(
    client_for, secretariat_user, el_salvador, django_assert_max_num_queries
):
    client = client_for(secretariat_user)
    url = reverse("admin:roadmaps_action_export", args=["xlsx"])
    ActionFactory(countries=[el_salvador])
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    for _ in range(12):
        ActionFactory(countries=[el_salvador])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert _xlsx(response).max_row == 14
