"""The filter types the FilterSets are built from: each refuses a bad value with a 400 naming its parameter."""

import datetime
import re

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as django_filters
from django_filters.fields import IsoDateTimeField

from core import params


def parameter_name(filter_) -> str:
    """The query parameter a filter reads (its name in the FilterSet, not its model field)."""
    parent = getattr(filter_, "parent", None)
    for name, candidate in getattr(parent, "filters", {}).items():
        if candidate is filter_:
            return name
    return filter_.field_name


class CodeListFilter(django_filters.CharFilter):
    """`?country=SV,GT`: rows related to any of the comma-separated codes, matched by an `Exists()`
    subquery built by `exists(codes)` (so no join multiplies rows and `distinct()` is never needed).

    Codes are read by `core.params.parse_codes`. With `known(codes)` (the codes among them that
    exist), an unknown code is a 400 naming it rather than an empty 200."""

    def __init__(self, *args, exists, upper=False, known=None, **kwargs):
        self.exists = exists
        self.upper = upper
        self.known = known
        super().__init__(*args, **kwargs)

    def parse(self, value):
        return params.parse_codes(value, name=parameter_name(self), upper=self.upper)

    def filter(self, qs, value):
        codes = self.parse(value)
        if not codes:
            return qs
        if self.known is not None:
            params.refuse_unknown(parameter_name(self), codes, self.known(codes))
        return qs.filter(self.exists(codes))


class NumberListFilter(CodeListFilter):
    """Comma-separated numbers (`objective=3,5`, ids); anything else is a 400 naming the parameter."""

    def __init__(self, *args, message, **kwargs):
        self.message = message
        super().__init__(*args, **kwargs)

    def parse(self, value):
        return params.parse_numbers(value, name=parameter_name(self), message=self.message)


def link_filter(link, owner: str, lookup: str, label, *, outer: str = "pk", kind=None, **options):
    """A code list matched through a link table: rows with a `link` whose `owner` is the row's `outer`
    column and whose `lookup` is one of the codes (`kind`: CodeListFilter or NumberListFilter)."""
    return (kind or CodeListFilter)(
        exists=lambda codes: Exists(link.objects.filter(**{owner: OuterRef(outer), f"{lookup}__in": codes})),
        label=label,
        **options,
    )


class NumberFilter(django_filters.CharFilter):
    """One whole number (an id), read by `core.params.parse_number`: `²` or 10¹² is a 400, not a 500."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        number = params.parse_number(
            value, name=parameter_name(self), minimum=1, message=_("Give an id (a whole number).")
        )
        return qs.filter(**{self.field_name: number})


class StrictBooleanField(forms.NullBooleanField):
    """true/false (also 1/0, yes/no); anything else is an error, not silently "no filter"."""

    TRUE = {"true", "1", "yes", "on"}
    FALSE = {"false", "0", "no", "off"}

    def to_python(self, value):
        text = str(value).strip().lower() if value is not None else ""
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        if text == "":
            return None
        raise forms.ValidationError(_("Give true or false."), code="invalid")

    def validate(self, value):
        pass


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs["widget"] = forms.TextInput  # pass the raw text to the field, which refuses nonsense
        super().__init__(*args, **kwargs)


# "…T12:00:00+00:00" sent without URL-encoding arrives as "…T12:00:00 00:00" ("+" means a space).
_SPACE_FOR_PLUS = re.compile(r"^(.*\d:\d\d(?::\d\d(?:[.,]\d+)?)?) (\d\d(?::?\d\d)?)$")


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 instant with its offset (`Z`, `+00:00`, `-06:00`), turned into UTC.

    Without an offset the instant is ambiguous (it used to be read in the site's time zone, silently
    hours off for a partner elsewhere): a 400 says so. PostgreSQL refuses offsets beyond ±15:59 that
    Python reads (`…T08:15+22:19` was a 500), and an instant that leaves the calendar in UTC is
    invalid (400)."""

    default_error_messages = {
        "no_offset": _(
            "Give the instant with its offset from UTC, e.g. 2025-03-01T12:00:00Z or 2025-03-01T06:00:00-06:00."
        ),
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = _SPACE_FOR_PLUS.sub(r"\1+\2", value.strip())
            try:
                parsed = parse_datetime(value) if value else None
            except ValueError:
                parsed = None  # well formed but not a date (month 13): the parent says "invalid"
            if parsed is not None and parsed.tzinfo is None:
                raise forms.ValidationError(self.error_messages["no_offset"], code="no_offset")
        value = super().to_python(value)
        if value is None or value.tzinfo is None:
            return value
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class BaseFilterSet(django_filters.FilterSet):
    """FilterSet base: declare every filter explicitly (Meta.fields = [])."""

    updated_since = UtcIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gt",
        label=_(
            "Only rows whose updated_at is after this instant (ISO 8601 with offset, e.g. 2025-03-01T12:00:00Z). "
            "updated_at is stamped when a row is saved, not when it is committed, so a row can appear later with "
            "an earlier stamp, and rows that leave your view are not listed: to keep a copy use /api/v1/changes/."
        ),
    )

    def is_valid(self):
        # A NUL (or another control character) in any filter makes PostgreSQL raise, whatever the
        # filter does with it: refuse it here, once for every filter, as a 400 naming the parameter.
        valid = super().is_valid()
        for name in self.filters:
            values = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data.get(name)]
            if any(isinstance(v, str) and params.has_control_character(v) for v in values):
                self.form.add_error(name, _("Control characters are not allowed."))
                valid = False
        # An empty `updated_since` is a client that lost its bookmark, not "everything": say so.
        if "updated_since" in self.data and not (self.data.get("updated_since") or "").strip():
            self.form.add_error("updated_since", _("Enter a valid date/time."))
            valid = False
        return valid
