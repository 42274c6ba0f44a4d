"""The spreadsheet upload's indicator cells (workspace.resources.ProgressRowResource): a row's cells →
the `indicator_values` that services.progress_update_submit takes, or the errors by column.

Column names: the indicator's code for the value (`I1`), `I1.<dimension>.<category>` for a part
(`I1.sex.female`). Empty cells are not reported. The checks are the model's (`indicator_value_errors`),
so the spreadsheet refuses exactly what the form and the API refuse. Numbers are read as every
import reads them (core.spreadsheets.parse_number: "6,5" is 6.5)."""

from django.utils.translation import gettext as _

from core.spreadsheets import cell_text, parse_number
from roadmaps.models import indicator_value_errors


def indicator_values_from_cells(action, cells: dict[str, str]) -> tuple[list[dict], dict[str, list[str]]]:
    """(items, {column: [messages]}) for one row of `action`."""
    items, errors = [], {}
    for indicator in action.indicators.all():
        raw = cell_text(cells.get(indicator.code))
        parts, bad_part = {}, False
        for column, text in cells.items():
            pieces = column.split(".")
            if len(pieces) != 3 or pieces[0] != indicator.code or not cell_text(text):
                continue
            number = parse_number(text)
            if number is None:
                errors[column] = [_("Enter a number.")]
                bad_part = True
            else:
                parts.setdefault(pieces[1], {})[pieces[2]] = number
        if not raw:
            if parts:
                errors[indicator.code] = [_("Give the total as well as its parts.")]
            continue
        value = parse_number(raw)
        # Not a number: the model's own words for it ("“N/A” value must be a decimal number.").
        found = indicator_value_errors(indicator, raw if value is None else value, parts)
        for messages in found.values():
            errors.setdefault(indicator.code, []).extend(messages)
        if not found and not bad_part:
            items.append({"indicator": indicator, "value": value, "disaggregation": parts})
    return items, errors
