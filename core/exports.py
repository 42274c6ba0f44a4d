"""Exports on django-import-export: a Resource says the columns (titles in the active language, values as
a person reads them), `Resource.export()` gives the rows as a tablib Dataset, and this module writes
the Dataset as CSV or XLSX (no domain rule here).

The writing stays ours, not import-export's formats: its formula escape (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT)
strips the "=" and so changes the value. We keep the value and make the cell text instead
(core.spreadsheets: a text cell in XLSX, a leading apostrophe in CSV, which has no cell types).
"""

import csv
import datetime
import io

from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import fields, widgets

from core.spreadsheets import XLSX_CONTENT_TYPE, csv_safe, workbook_bytes

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def cell_value(value, field=None) -> str | int | float:
    """One value as a spreadsheet cell: choices by their label, dates ISO, objects by their name, numbers
    kept as numbers (an XLSX sums them)."""
    if value is None:
        return ""
    if field is not None and getattr(field, "flatchoices", None):
        value = dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    if isinstance(value, models.Model):
        return str(value)
    return force_str(value)


class CellWidget(widgets.Widget):
    """Renders through `cell_value` (import-export's default Widget would turn every number into text)."""

    def __init__(self, model_field=None, **kwargs):
        super().__init__(**kwargs)
        self.model_field = model_field

    def render(self, value, obj=None, **kwargs):
        return cell_value(value, self.model_field)


class NativeWidget(widgets.Widget):
    """Renders the value as it is: rows already prepared for reading (numbers, dates and None kept)."""

    def render(self, value, obj=None, **kwargs):
        return value


def column(title, attribute=None, **kwargs) -> fields.Field:
    """An export column read from `attribute` (or a `dehydrate_<name>` method), rendered by cell_value."""
    return fields.Field(attribute=attribute, column_name=title, widget=CellWidget(), **kwargs)


def csv_text(dataset) -> str:
    """The Dataset as CSV text, header first; a formula-looking cell gets its apostrophe, None is empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(dataset.headers or [])
    for row in dataset:
        writer.writerow(["" if value is None else csv_safe(value) for value in row])
    return buffer.getvalue()


def dataset_response(dataset, fmt: str, *, filename: str, sheet_title: str = "data", bom: bool = True):
    """A download of the Dataset: CSV (with a byte-order mark, so that spreadsheet programs read the
    accents right) or a one-sheet XLSX whose header is bold, frozen and filterable and whose cells are
    never formulas."""
    if fmt == "csv":
        response = HttpResponse(("\ufeff" if bom else "") + csv_text(dataset), content_type=CSV_CONTENT_TYPE)
    else:
        rows = [list(dataset.headers or []), *(list(row) for row in dataset)]
        response = HttpResponse(workbook_bytes(sheet_title, rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
