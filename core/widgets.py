"""django-import-export widgets for the cells every import reads the same way (no domain rule here).

Each `clean` returns the value or raises ValueError with the reason in the active language; the
resource (import_export.resources.Resource.import_instance) files the reason under the cell's column.
Numbers go through core.spreadsheets.parse_number, so "50,0" and "50.0" agree in every import.
"""

import datetime
import re

from django.utils.translation import gettext as _
from import_export import widgets

from core.spreadsheets import cell_text, choice_lookup, normalise_label, parse_number, parse_whole_number

LIST_SPLIT = re.compile(r"[,;\n]+")


def _required():
    return ValueError(_("This column is required."))


class TextWidget(widgets.CharWidget):
    """A cell as text (3.0 from Excel is "3"), optionally required and capped.

    `required_message` (a callable): an import that words "required" its own way."""

    def __init__(self, *, required=False, max_length=None, required_message=None, **kwargs):
        super().__init__(**kwargs)
        self.required, self.max_length = required, max_length
        self.required_message = required_message

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if self.required and not text:
            raise ValueError(self.required_message()) if self.required_message else _required()
        if self.max_length and len(text) > self.max_length:
            raise ValueError(self.too_long(text))
        return text

    def too_long(self, text):
        return _("At most %(max)d characters.") % {"max": self.max_length}


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number in a range; an empty cell is `default`."""

    def __init__(self, *, minimum, maximum, default=None, required_message=None, **kwargs):
        super().__init__(**kwargs)
        self.minimum, self.maximum, self.default = minimum, maximum, default
        self.required_message = required_message

    def clean(self, value, row=None, **kwargs):
        if cell_text(value) == "":
            if self.default is None:
                raise ValueError(self.required_message()) if self.required_message else _required()
            return self.default
        return parse_whole_number(value, minimum=self.minimum, maximum=self.maximum)


class NumberCellWidget(widgets.DecimalWidget):
    """A decimal number (the one reading of parse_number); empty is None."""

    def clean(self, value, row=None, **kwargs):
        if cell_text(value) == "":
            return None
        number = parse_number(value)
        if number is None:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": cell_text(value)})
        return number


class DateCellWidget(widgets.DateWidget):
    """A real date from Excel, or text written YYYY-MM-DD (or DD/MM/YYYY)."""

    def __init__(self, *, required=False, **kwargs):
        super().__init__(**kwargs)
        self.required = required

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            if self.required:
                raise _required()
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": text})


class ChoiceLabelWidget(widgets.Widget):
    """A TextChoices value given by its code or its English or Spanish label; empty is `default`."""

    def __init__(self, choices, *, default=None, required_message=None, **kwargs):
        super().__init__(**kwargs)
        self.choices, self.default = choices, default
        self.required_message = required_message
        self._lookup = None

    @property
    def lookup(self):
        if self._lookup is None:  # built on first use: the labels are translated then
            self._lookup = choice_lookup(self.choices)
        return self._lookup

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            if self.default is None:
                raise ValueError(self.required_message()) if self.required_message else _required()
            return self.default
        code = self.lookup.get(normalise_label(text))
        if code is None:
            raise ValueError(self.unknown(text))
        return code

    def unknown(self, text):
        allowed = ", ".join(self.choices.values)
        return _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed}


def split_list(value) -> list[str]:
    return [item.strip() for item in LIST_SPLIT.split(cell_text(value)) if item.strip()]


class LookupWidget(widgets.Widget):
    """A key naming a row of `table` ({key: object}, loaded once per import); `describe(key)` says
    what is wrong with an unknown key."""

    def __init__(self, table, describe, *, normalise=str, required=False, **kwargs):
        super().__init__(**kwargs)
        self.table, self.describe, self.normalise, self.required = table, describe, normalise, required

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            if self.required:
                raise _required()
            return None
        found = self.table().get(self.normalise(text))
        if found is None:
            raise ValueError(self.describe(text))
        return found


class LookupListWidget(LookupWidget):
    """Several keys separated by commas, semicolons or line breaks; every unknown one is named."""

    def clean(self, value, row=None, **kwargs):
        items = split_list(value)
        if self.required and not items:
            raise _required()
        table = self.table()
        unknown = [self.describe(item) for item in items if self.normalise(item) not in table]
        if unknown:
            raise ValueError(" ".join(unknown))
        return [table[self.normalise(item)] for item in items]


class ChoiceListWidget(ChoiceLabelWidget):
    """Several choices (codes or labels) separated by commas or semicolons: a list of codes."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices, default=[], **kwargs)

    def clean(self, value, row=None, **kwargs):
        items = split_list(value)
        unknown = [item for item in items if normalise_label(item) not in self.lookup]
        if unknown:
            raise ValueError(" ".join(self.unknown(item) for item in unknown))
        return [self.lookup[normalise_label(item)] for item in items]
