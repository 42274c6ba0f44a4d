"""Spreadsheet machinery every import and export shares (no domain rule here).

- **Formula safety**, one definition: a cell a user wrote that starts with one of `FORMULA_START` would
  be run as a formula by spreadsheet programs. In XLSX it is written as a *text cell* (the value is
  unchanged, no visible apostrophe); CSV has no cell types, so there it gets a leading apostrophe.
- **Writing a sheet**: bold header row, frozen, with an autofilter; every cell formula-safe.
- **Reading**: CSV text decoded and its delimiter sniffed; a NUL byte or a cell longer than a
  spreadsheet cell can be is refused with its row and column.
- **Parsing** the cells both importers read the same way: whole numbers ("50", "50.0", "50,0",
  "50 %"), and choices given by code or by English or Spanish label.
"""

import csv
import io
import re
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Spreadsheet programs run a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Excel's own limit for one cell: anything longer cannot have come from a spreadsheet.
MAX_CELL_CHARS = 32_767
_NUL = gettext_lazy("This cell contains a NUL character, which no spreadsheet writes.")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_safe(value):
    """A CSV cell: text that would run as a formula gets a leading apostrophe."""
    return "'" + value if looks_like_formula(value) else value


def make_text_cell(cell) -> None:
    """An openpyxl cell holding a string stays text, whatever it starts with (never a formula)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"


def write_sheet(sheet, header: list, rows, *, widths: dict | None = None) -> None:
    """Header (bold, frozen, with an autofilter over the data) then the rows, every cell formula-safe."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.append([str(title) for title in header])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    header_row = sheet.max_row
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            make_text_cell(cell)
    if header:
        last = get_column_letter(len(header))
        sheet.freeze_panes = f"A{header_row + 1}"
        sheet.auto_filter.ref = f"A{header_row}:{last}{max(sheet.max_row, header_row)}"
    for index, title in enumerate(header, start=1):
        letter = get_column_letter(index)
        width = (widths or {}).get(index) or max(12, min(60, len(str(title)) + 4))
        sheet.column_dimensions[letter].width = width


def workbook_bytes(title: str, rows) -> bytes:
    """One sheet: the first row is the header (frozen, filterable), then the rows."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31] or "data"
    rows = iter(rows)
    header = next(rows, [])
    write_sheet(sheet, header, rows)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class CellError(ValueError):
    """A problem in the file, where a person can find it: row as the spreadsheet shows it, column name."""

    def __init__(self, message: str, *, row: int = 0, column: str = ""):
        super().__init__(message)
        self.message, self.row, self.column = message, row, column


def too_long() -> str:
    return _("This cell is longer than %(limit)s characters, more than a spreadsheet cell holds.") % {
        "limit": MAX_CELL_CHARS
    }


def decode_csv(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CellError(_("Save the CSV file with the UTF-8 encoding.")) from None


def csv_rows(text: str) -> list[list[str]]:
    """The rows of a CSV text (delimiter , ; or tab, sniffed from its first line), cells stripped.

    Refuses a NUL character and a cell longer than MAX_CELL_CHARS, naming the row and column.
    """
    first_line = text.split("\n", 1)[0][:4096]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    header: list[str] = []
    rows = []
    # csv's own field limit (131 072 characters, process-wide: left alone) stops a cell far longer than
    # that with an error; a cell over MAX_CELL_CHARS but under that limit is caught below.
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            row = reader.line_num
            if "field larger than field limit" in str(error):
                raise CellError(too_long(), row=row) from None
            if "NUL" in str(error):  # older Pythons refuse the line before we see the cell
                raise CellError(str(_NUL), row=row) from None
            raise CellError(_("This line is not valid CSV: %(error)s") % {"error": error}, row=row) from None
        for index, cell in enumerate(cells):
            problem = _NUL if "\x00" in cell else too_long() if len(cell) > MAX_CELL_CHARS else None
            if problem:
                column = header[index] if index < len(header) and header[index] else str(index + 1)
                raise CellError(str(problem), row=reader.line_num, column=column)
        cells = [cell.strip() for cell in cells]
        if not rows:
            header = cells
        rows.append(cells)
    return rows


def cell_text(value) -> str:
    """A cell as text: None is empty, 3.0 (how Excel stores 3) is "3"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def parse_number(value) -> Decimal | None:
    """The one reading of a number cell, for every import: 50, 50.0, "50", "50.0", "50,0" (a decimal
    comma, as Spanish spreadsheets write it) and "50 %" are all 50. None when the cell is not a number
    (the caller says why, in its own words)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        return number if number.is_finite() else None
    text = cell_text(value).rstrip("%").strip()
    if not _NUMBER.match(text):
        return None
    return Decimal(text.replace(",", "."))


def parse_whole_number(value, *, minimum: int, maximum: int) -> int:
    """A whole number from `minimum` to `maximum`, read by parse_number.

    Raises ValueError with the reason, in the active language.
    """
    number = parse_number(value)
    if number is None or number != number.to_integral_value():
        raise ValueError(
            _("“%(value)s” is not a whole number from %(minimum)s to %(maximum)s.")
            % {"value": cell_text(value).rstrip("%").strip(), "minimum": minimum, "maximum": maximum}
        )
    if not minimum <= number <= maximum:
        raise ValueError(
            _("Write a number from %(minimum)s to %(maximum)s (it is %(value)s).")
            % {"value": int(number), "minimum": minimum, "maximum": maximum}
        )
    return int(number)


def normalise_label(value) -> str:
    return re.sub(r"[\s\-]+", "_", cell_text(value).lower())


def choice_lookup(choices) -> dict[str, str]:
    """{normalised code or English or Spanish label: code} for a TextChoices class."""
    lookup = {}
    for code, label in choices.choices:
        lookup[normalise_label(code)] = code
        for language in ("en", "es"):
            with translation.override(language):
                lookup[normalise_label(str(label))] = code
    return lookup


# Templates -------------------------------------------------------------------------------------------

# A row whose first cell starts with this is an example or a note: importers skip it, so a template's
# example row can stay in the file.
COMMENT_MARK = "#"
VALID_VALUES_SHEET = "valid values"


def is_comment_row(cells) -> bool:
    first = next((cell for cell in cells if cell not in (None, "")), "")
    return isinstance(first, str) and first.strip().startswith(COMMENT_MARK)


def write_value_lists(sheet, lists: list[tuple[str, list]]) -> None:
    """Side by side, one column per list: its title in bold on the first row, then its values (text cells)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for index, (title, values) in enumerate(lists, start=1):
        header = sheet.cell(row=1, column=index, value=str(title))
        header.font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            make_text_cell(sheet.cell(row=row, column=index, value=str(value)))
        width = max([len(str(title)), *(len(str(v)) for v in values)], default=10) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(60, width)
    sheet.freeze_panes = "A2"


def choice_values(choices) -> list[str]:
    """ "code — English label — Spanish label" for each choice: what a status column accepts."""
    values = []
    for code, label in choices.choices:
        with translation.override("en"):
            english = str(label)
        with translation.override("es"):
            spanish = str(label)
        values.append(f"{code} — {english} — {spanish}")
    return values
