"""Many progress updates at once, from a spreadsheet (XLSX or CSV) filled in from our template.

All rows go in or none: every row is checked first, then every row is submitted through
`progress_update_submit` inside one transaction, which is rolled back if any row fails. Each problem
is reported with its spreadsheet row number, its column and the reason.
"""

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from tablib import Dataset

from accounts import roles
from core.spreadsheets import (
    VALID_VALUES_SHEET,
    CellError,
    cell_text,
    choice_values,
    csv_rows,
    decode_csv,
    is_comment_row,
    make_text_cell,
    write_value_lists,
)
from core.spreadsheets import normalise_label as _normalise_header
from countries.models import Country
from roadmaps.models import CATEGORIES, Action, ActionStatus
from roadmaps.services import progress_update_submit
from workspace.resources import COLUMNS, ROW, ParsedRow, ProgressRowResource

__all__ = ["COLUMNS", "INFO_COLUMNS", "ParsedRow", "SpreadsheetError", "build_template", "import_updates"]

# Columns the template adds to help the reader; ignored on upload.
INFO_COLUMNS = ["action_title", "current_status", "current_percent", "due_date"]
# The template's headers in the user's language; an upload may use either language's, or the keys.
HEADERS = {
    "roadmap_slug": pgettext_lazy("spreadsheet column", "roadmap_slug"),
    "action_code": pgettext_lazy("spreadsheet column", "action_code"),
    "country_code": pgettext_lazy("spreadsheet column", "country_code"),
    "status": pgettext_lazy("spreadsheet column", "status"),
    "percent": pgettext_lazy("spreadsheet column", "percent"),
    "narrative": pgettext_lazy("spreadsheet column", "narrative"),
    "challenges": pgettext_lazy("spreadsheet column", "challenges"),
    "next_steps": pgettext_lazy("spreadsheet column", "next_steps"),
    "evidence_link": pgettext_lazy("spreadsheet column", "evidence_link"),
    "action_title": pgettext_lazy("spreadsheet column", "action_title"),
    "current_status": pgettext_lazy("spreadsheet column", "current_status"),
    "current_percent": pgettext_lazy("spreadsheet column", "current_percent"),
    "due_date": pgettext_lazy("spreadsheet column", "due_date"),
}
REPORT_COLUMNS = ["status", "percent", "narrative", "challenges", "next_steps", "evidence_link"]
MAX_ROWS = 2000
MAX_COLUMNS = 200  # the report columns, the helper columns and every indicator column
# Where a service's field error belongs in the spreadsheet.
FIELD_TO_COLUMN = {
    "status": "status",
    "percent_complete": "percent",
    "narrative": "narrative",
    "challenges": "challenges",
    "next_steps": "next_steps",
    "evidence_url": "evidence_link",
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


def header_label(column: str) -> str:
    """A column as the template names it in the active language (a name we do not know, as it is)."""
    return str(HEADERS.get(column, column))


def _header_keys() -> dict[str, str]:
    keys = {}
    for key, label in HEADERS.items():
        keys[key] = key
        for language in ("en", "es"):
            with translation.override(language):
                keys[_normalise_header(str(label))] = key
    return keys


class SpreadsheetError(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problem(s)")
        # Columns named as the user's template names them.
        self.errors = [RowError(e.row, header_label(e.column), e.message) for e in errors]


def read_table(file) -> list[list[str]]:
    """The spreadsheet's first sheet (XLSX) or the CSV, as rows of text. Raises SpreadsheetError."""
    file.seek(0)
    head = file.read(4)
    file.seek(0)
    if head.startswith(b"PK\x03\x04"):
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            raise SpreadsheetError([RowError(0, "", _("This file is not a readable XLSX spreadsheet."))]) from None
        sheet = workbook["updates"] if "updates" in workbook.sheetnames else workbook.worksheets[0]
        rows = []
        # Read no further than needed: a huge (or hostile) sheet stops at the row limit.
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            rows.append([cell_text(v) for v in row])
            if len(rows) > MAX_ROWS + 1:
                break
        workbook.close()
        return rows
    raw = file.read()
    if b"\x00" in raw[:4096]:
        raise SpreadsheetError([RowError(0, "", _("This file is neither an XLSX spreadsheet nor a CSV text file."))])
    try:
        return csv_rows(decode_csv(raw))
    except CellError as error:
        column = _header_keys().get(_normalise_header(error.column), error.column)
        raise SpreadsheetError([RowError(error.row, column, error.message)]) from None


def parse_rows(*, user, table: list[list[str]]) -> list[ParsedRow]:
    """Check every row (ProgressRowResource); raise SpreadsheetError listing every problem, or return
    the rows to submit."""
    if not table:
        raise SpreadsheetError([RowError(0, "", _("The spreadsheet is empty."))])
    keys = _header_keys()
    # Known columns by their key (either language's header); others (indicator columns: "I1",
    # "I1.sex.female") as written.
    header = [keys.get(_normalise_header(v), str(v).strip()) for v in table[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise SpreadsheetError([RowError(1, c, _("This column is missing from the first row.")) for c in missing])
    data_rows = table[1:]
    if len(data_rows) > MAX_ROWS:
        raise SpreadsheetError([RowError(0, "", _("At most %(max)s rows at once.") % {"max": MAX_ROWS})])
    positions = {name: index for index, name in reversed(list(enumerate(header))) if name}
    dataset = Dataset(headers=[ROW, *positions])
    for number, cells in enumerate(data_rows, start=2):
        values = [cells[pos] if pos < len(cells) else "" for pos in positions.values()]
        reported = [cells[positions[c]] for c in REPORT_COLUMNS if positions[c] < len(cells)]
        if not any(reported) or is_comment_row(cells):
            continue  # A template row the user did not fill in, or an example.
        dataset.append([number, *values])

    resource = ProgressRowResource(user)
    result = resource.import_data(dataset, dry_run=True, use_transactions=False, raise_errors=False)
    for error in result.base_errors:
        raise error.error
    for _number, row_errors in result.row_errors():
        raise row_errors[0].error  # a bug, not a bad cell: let it be seen
    order = {name: index for index, name in enumerate(COLUMNS)}
    errors = []
    for invalid in result.invalid_rows:
        number = dataset[invalid.number - 1][0]
        found = sorted(invalid.error.message_dict.items(), key=lambda item: order.get(item[0], len(order)))
        errors.extend(RowError(number, column, message) for column, messages in found for message in messages)
    if errors:
        raise SpreadsheetError(errors)
    if not resource.parsed:
        raise SpreadsheetError([RowError(0, "", _("No row has anything to report: fill in at least one row."))])
    return resource.parsed


def submit_rows(*, user, rows: list[ParsedRow]) -> list:
    """Submit every row in one transaction; if any fails, none is kept."""
    errors: list[RowError] = []
    updates = []
    with transaction.atomic():
        for row in rows:
            try:
                updates.append(
                    progress_update_submit(
                        action=row.action,
                        country=row.country,
                        author=user,
                        status=row.status,
                        percent_complete=row.percent,
                        narrative=row.narrative,
                        challenges=row.challenges,
                        next_steps=row.next_steps,
                        evidence_url=row.evidence_url,
                        indicator_values=row.indicator_values or None,
                    )
                )
            except PermissionDenied as exc:
                errors.append(RowError(row.row, "country_code", str(exc)))
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, messages in exc.message_dict.items():
                        for message in messages:
                            errors.append(RowError(row.row, FIELD_TO_COLUMN.get(field, ""), message))
                else:
                    errors.extend(RowError(row.row, "", message) for message in exc.messages)
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise SpreadsheetError(errors)
    return updates


def import_updates(*, user, file) -> list:
    return submit_rows(user=user, rows=parse_rows(user=user, table=read_table(file)))


EXAMPLE_ROW = [
    "#labour-pathways",
    "A1",
    "SV",
    "on_track",
    "60",
    "Two workshops held with 45 consular officials.",
    "",
    "Third workshop in May.",
    "https://example.org/report.pdf",
]


def indicator_columns(actions) -> list[str]:
    """The indicator columns of the template: each code the actions' indicators use, then its
    breakdown columns (code.dimension.category), in a stable order."""
    columns: dict[str, None] = {}
    for indicator in sorted((i for a in actions for i in a.indicators.all()), key=lambda i: i.code):
        columns.setdefault(indicator.code)
        for dimension in indicator.dimensions:
            for category in CATEGORIES[dimension]:
                columns.setdefault(f"{indicator.code}.{dimension}.{category}")
    return list(columns)


def build_template(*, user) -> bytes:
    """An XLSX with one row per (action, country) the user reports on, and an instructions sheet."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "updates"
    country_ids = roles.focal_country_ids(user)
    actions = list(
        Action.objects.reported_by(user)
        .select_related("roadmap")
        .prefetch_related("countries", "indicators")
        .order_by("roadmap__slug", "code")
    )
    extra = indicator_columns(actions)
    sheet.append([header_label(column) for column in COLUMNS + INFO_COLUMNS] + extra)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for action in actions:
        for country in action.countries.all():
            if country.id not in country_ids:
                continue
            sheet.append(
                [action.roadmap.slug, action.code, country.code, "", "", "", "", "", ""]
                + [action.title, action.status, action.percent_complete, action.due_date]
            )
            for cell in sheet[sheet.max_row]:
                make_text_cell(cell)  # a title starting with "=" stays text
    for column, width in zip("ABCDEFGHIJKLM", (22, 12, 12, 14, 10, 50, 30, 30, 30, 50, 14, 14, 12), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet("instructions")
    lines = [
        _("One row per progress update. Fill in status, percent and narrative; leave a row empty to skip it."),
        _("Every row goes in, or none: if one row has a problem, you get the list of problems and nothing is saved."),
        _("The columns after evidence_link are there to help you and are not imported."),
        _(
            "Then one column per indicator (its code, e.g. I1): this cycle's value for the row's action, and "
            "one column per category of a breakdown (I1.sex.female); the categories must add up to the value."
        ),
        _("Evidence files cannot go in a spreadsheet: add them with the web form."),
        "",
        _("Accepted values in the status column:"),
    ]
    lines += [f"{code} — {label}" for code, label in ActionStatus.choices]
    lines += ["", _("An example of a filled row (a row whose first cell starts with # is never imported):")]
    for line in lines:
        notes.append([str(line)])
    notes.append([header_label(column) for column in COLUMNS])
    notes.append(EXAMPLE_ROW)
    for cell in notes[notes.max_row]:
        make_text_cell(cell)
    notes.column_dimensions["A"].width = 110

    my_countries = Country.objects.filter(id__in=country_ids).order_by("code")
    write_value_lists(
        workbook.create_sheet(VALID_VALUES_SHEET),
        [
            (header_label("country_code"), [f"{c.code} — {c.name}" for c in my_countries]),
            (header_label("status"), choice_values(ActionStatus)),
            (
                _("indicators"),
                [
                    f"{a.roadmap.slug} {a.code} · {i.code} — {i.name} ({i.get_unit_display()})"
                    for a in actions
                    for i in a.indicators.all()
                ],
            ),
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
