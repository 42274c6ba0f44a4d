"""A hook for the spreadsheet upload (not wired yet: the upload is being rewritten): a row's indicator
cells → the `indicator_values` that services.progress_update_submit takes, or the errors by column.

Column names: the indicator's code for the value (`I1`), `I1.<dimension>.<category>` for a part
(`I1.sex.female`). Empty cells are not reported. The checks are the model's (`indicator_value_errors`),
so the spreadsheet refuses exactly what the form and the API refuse."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from roadmaps.models import indicator_value_errors


def indicator_values_from_cells(action, cells: dict[str, str]) -> tuple[list[dict], dict[str, list[str]]]:
    """(items, {column: [messages]}) for one row of `action`."""
    items, errors = [], {}
    for indicator in action.indicators.all():
        raw = str(cells.get(indicator.code, "") or "").strip()
        parts, bad_part = {}, False
        for column, text in cells.items():
            pieces = column.split(".")
            if len(pieces) != 3 or pieces[0] != indicator.code or not str(text or "").strip():
                continue
            try:
                parts.setdefault(pieces[1], {})[pieces[2]] = Decimal(str(text).strip())
            except InvalidOperation:
                errors[column] = [_("Enter a number.")]
                bad_part = True
        if not raw:
            if parts:
                errors[indicator.code] = [_("Give the total as well as its parts.")]
            continue
        found = indicator_value_errors(indicator, raw, parts)
        for messages in found.values():
            errors.setdefault(indicator.code, []).extend(messages)
        if not found and not bad_part:
            items.append({"indicator": indicator, "value": Decimal(raw), "disaggregation": parts})
    return items, errors
