"""The secretariat's spreadsheet import of roadmaps, actions and indicators (XLSX or CSV): all rows or none.

Layout (header row first; column names are case-insensitive; lists are separated by commas or
semicolons; dates are YYYY-MM-DD, or real dates in Excel):

- sheet / CSV **roadmaps**: slug*, title_en*, title_es*, theme* (theme slug), forum (forum key),
  lead_country* (ISO alpha-2), countries, organizations (keys), objectives (1–23), principles (a–j),
  start_date*, end_date, status (draft/active/completed/archived), visibility (public/partners/internal),
  description_en, description_es
- sheet / CSV **actions**: roadmap* (slug, of an existing roadmap or one in the same file), code*,
  title_en*, title_es*, countries* (responsible), organizations, objectives (empty: the roadmap's),
  start_date, due_date, indicator, baseline, target, status (not_started/on_track/at_risk/delayed/
  completed/cancelled), percent_complete (0–100), depends_on (codes in the same roadmap),
  description_en, description_es
- sheet / CSV **indicators**: roadmap*, action* (code), code*, name_en*, name_es, definition_en,
  definition_es, unit, currency, baseline_value, baseline_date, target_value, target_date, direction,
  cycle_combine, country_combine, dimensions

(* required). The columns are django-import-export resources (roadmaps.resources); this module reads
the file and runs the resources in one transaction (the admin page and template: roadmaps.admin.import_page).
Every bad cell is reported as (sheet, row, column, reason); one bad cell and nothing is written.
"""

import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from tablib import Dataset

from core.spreadsheets import CellError, csv_rows, decode_csv, is_comment_row
from roadmaps.indicator_resource import IndicatorResource
from roadmaps.resources import ROW, ActionResource, ImportContext, Plan, RoadmapResource

ROADMAPS, ACTIONS, INDICATORS = "roadmaps", "actions", "indicators"
KINDS = (ROADMAPS, ACTIONS, INDICATORS)
RESOURCES = {ROADMAPS: RoadmapResource, ACTIONS: ActionResource, INDICATORS: IndicatorResource}
MAX_BYTES = 5 * 1024 * 1024
SESSION_KEY = "roadmaps_import_file"

ROADMAP_COLUMNS = [
    "slug",
    "title_en",
    "title_es",
    "theme",
    "forum",
    "lead_country",
    "countries",
    "organizations",
    "objectives",
    "principles",
    "start_date",
    "end_date",
    "status",
    "visibility",
    "description_en",
    "description_es",
]
ROADMAP_REQUIRED = {"slug", "title_en", "title_es", "theme", "lead_country", "start_date"}
ACTION_COLUMNS = [
    "roadmap",
    "code",
    "title_en",
    "title_es",
    "countries",
    "organizations",
    "objectives",
    "start_date",
    "due_date",
    "indicator",
    "baseline",
    "target",
    "status",
    "percent_complete",
    "depends_on",
    "description_en",
    "description_es",
]
ACTION_REQUIRED = {"roadmap", "code", "title_en", "title_es", "countries"}
INDICATOR_COLUMNS = [
    "roadmap",
    "action",
    "code",
    "name_en",
    "name_es",
    "definition_en",
    "definition_es",
    "unit",
    "currency",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "direction",
    "cycle_combine",
    "country_combine",
    "dimensions",
]
INDICATOR_REQUIRED = {"roadmap", "action", "code", "name_en"}
COLUMNS = {ROADMAPS: ROADMAP_COLUMNS, ACTIONS: ACTION_COLUMNS, INDICATORS: INDICATOR_COLUMNS}
REQUIRED = {ROADMAPS: ROADMAP_REQUIRED, ACTIONS: ACTION_REQUIRED, INDICATORS: INDICATOR_REQUIRED}
SHEET_NAMES = {
    ROADMAPS: {"roadmaps", "hojas de ruta"},
    ACTIONS: {"actions", "acciones"},
    INDICATORS: {"indicators", "indicadores"},
}


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    roadmaps: list[Plan] = field(default_factory=list)
    actions: list[Plan] = field(default_factory=list)
    indicators: list[Plan] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportError_(Exception):
    """The file cannot be read at all (not a spreadsheet, no known sheet, missing columns)."""


# Reading: the file's sheets as tablib datasets, each row carrying its spreadsheet row number ----------


def _header(value) -> str:
    return re.sub(r"\s+", "_", str(value or "").strip().lower())


def _rows_from_matrix(matrix) -> list[tuple[int, dict]]:
    """[("__headers__", headers), (row number as the spreadsheet shows it, {column: value})...],
    blank rows and example rows (first cell "#…") left out."""
    iterator = iter(matrix)
    try:
        headers = [_header(cell) for cell in next(iterator)]
    except StopIteration:
        return []
    rows = []
    for number, cells in enumerate(iterator, start=2):
        values = {}
        for name, cell in zip(headers, cells, strict=False):
            if name:
                values[name] = cell.strip() if isinstance(cell, str) else cell
        if any(value not in (None, "") for value in values.values()) and not is_comment_row(cells):
            rows.append((number, values))
    return [("__headers__", headers), *rows]


def read_tables(data: bytes, filename: str, kind: str | None) -> dict[str, list]:
    """{kind: [("__headers__", headers), (row, values), ...]} for the tables the file holds."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many types for a damaged file
            raise ImportError_(_("This file is not a readable XLSX workbook.")) from error
        tables = {}
        for sheet in workbook.worksheets:
            name = sheet.title.strip().lower()
            for known, names in SHEET_NAMES.items():
                if name in names:
                    tables[known] = _rows_from_matrix(sheet.iter_rows(values_only=True))
        if not tables and kind and workbook.worksheets:
            tables[kind] = _rows_from_matrix(workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
        if not tables:
            raise ImportError_(
                _('No sheet named "roadmaps" or "actions": name the sheets, or choose what the file holds.')
            )
        return tables
    if filename.lower().endswith(".csv"):
        if kind not in KINDS:
            raise ImportError_(_("Choose whether the CSV file holds roadmaps or actions."))
        return {kind: _rows_from_matrix(csv_rows(decode_csv(data)))}
    raise ImportError_(_("Upload an .xlsx or a .csv file."))


def _missing_columns(kind: str, headers: list[str], errors: list[RowError]) -> bool:
    missing = [name for name in COLUMNS[kind] if name in REQUIRED[kind] and name not in headers]
    for name in missing:
        errors.append(RowError(kind, 1, name, _("This column is missing from the header row.")))
    unknown = [name for name in headers if name and name not in COLUMNS[kind]]
    for name in unknown:
        errors.append(RowError(kind, 1, name, _("Unknown column (see the template for the column names).")))
    return bool(missing or unknown)


def _dataset(rows) -> Dataset:
    names = [name for name in rows[0][1] if name]
    dataset = Dataset(headers=[ROW, *names])
    for number, values in rows[1:]:
        dataset.append([number, *(values.get(name) for name in names)])
    return dataset


# Running the resources --------------------------------------------------------------------------------


def _row_errors(kind: str, resource, result, dataset) -> list[RowError]:
    """django-import-export's invalid rows and row errors as (sheet, row, column, reason)."""
    for error in result.base_errors:  # before_import / after_import failed: a bug, not a bad cell
        raise error.error
    numbers = dataset[ROW] if dataset.height else []
    found = []
    for invalid in result.invalid_rows:
        number = numbers[invalid.number - 1]
        for attribute, reasons in invalid.error.message_dict.items():
            column = "" if attribute == NON_FIELD_ERRORS else resource.column_of(attribute)
            found.extend(RowError(kind, number, column, str(reason)) for reason in reasons)
    for index, row_errors in result.row_errors():
        for error in row_errors:
            if not isinstance(error.error, IntegrityError):
                raise error.error  # a bug, not a bad cell: let it be seen
            message = _("The database refused the file; nothing was imported.")
            found.append(RowError(kind, numbers[index - 1], "", message))
    return found


def run_import(data: bytes, filename: str, kind: str | None, *, user, commit: bool) -> ImportResult:
    """Check the whole file; write it (commit=True) or only try it inside a rolled-back transaction."""
    result = ImportResult()
    try:
        tables = read_tables(data, filename, kind)
    except ImportError_ as error:
        result.errors.append(RowError(kind or "", 0, "", str(error)))
        return result
    except CellError as error:  # a NUL byte, an over-long cell, a broken CSV line: where it is
        result.errors.append(RowError(kind or "", error.row, _header(error.column), error.message))
        return result
    datasets = {}
    for table_kind, rows in tables.items():
        if rows and not _missing_columns(table_kind, rows[0][1], result.errors):
            datasets[table_kind] = _dataset(rows)
    with transaction.atomic():
        context = ImportContext(user)
        context.failed = bool(result.errors)
        # Roadmaps first, then actions, then indicators: a row may name one from an earlier sheet.
        for table_kind in KINDS:
            resource = RESOURCES[table_kind](context)
            dataset = datasets.get(table_kind) or Dataset(headers=[ROW])
            outcome = resource.import_data(dataset, dry_run=False, use_transactions=False, raise_errors=False)
            result.errors.extend(_row_errors(table_kind, resource, outcome, dataset))
            getattr(result, table_kind).extend(resource.plans)
        if not result.errors and not (result.roadmaps or result.actions or result.indicators):
            result.errors.append(RowError(kind or "", 0, "", _("The file holds no rows to import.")))
        if result.errors or not commit:
            transaction.set_rollback(True)
    if result.errors:
        result.errors.sort(key=lambda e: (KINDS.index(e.sheet) if e.sheet in KINDS else 9, e.row, e.column))
        return result
    result.written = commit
    return result
