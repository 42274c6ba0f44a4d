"""One description of each API row: the SQL columns it is read from and the schema it is documented by.

A `Row` is an ordered set of `Column`s, each a name, where its value comes from, and its serializer
field (type, nullability, help). The view set reads `row.columns(view)` (the `.values()` columns of the
list, the detail, the CSV and the change feed) and drf-spectacular reads `row.serializer` (generated,
never used to render), so the keys a caller gets and the keys the schema lists cannot drift apart.

Where a value comes from (`source`):
- nothing: the model field of the same name;
- a string: a field path (`"forum__key"`), read as `F(path)`;
- a callable `source(view)`: an expression built per request (subqueries, the active language, a
  column that depends on the caller);
- `COMPUTED`: filled in Python by the view set's `finish_rows` or computed outright (stats); in the
  schema, not in the SQL.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.bilingual import LANGUAGE_CODES, localized_expression

COMPUTED = object()

UPDATED_AT_HELP = _("When the row last changed (use with updated_since for incremental sync).")


@dataclass(frozen=True)
class Column:
    field: serializers.Field
    source: Any = None

    def expression(self, name: str, view):
        if self.source is None:
            return name
        if isinstance(self.source, str):
            return F(self.source)
        return self.source(view)


class Row:
    """`Row("CountryRow", "A country.", {name: Column, ...})`: the columns in the order the rows list them;
    `serializer` is the `CountryRowSerializer` of the schema."""

    def __init__(self, name: str, doc: str, columns: dict[str, Column]):
        self.name = name
        self.fields = dict(columns)
        self.serializer = plain_serializer(
            f"{name}Serializer", doc, {key: column.field for key, column in self.fields.items()}
        )

    def keys(self) -> list[str]:
        return list(self.fields)

    def columns(self, view) -> dict:
        """Output key → field name or expression, for `ValuesReadOnlyViewSet.rows` (computed keys left out)."""
        return {
            key: column.expression(key, view) for key, column in self.fields.items() if column.source is not COMPUTED
        }


def plain_serializer(name: str, doc: str, fields: dict):
    """A serializer class from a dict of fields: it documents a shape in the schema, it renders nothing."""
    return type(name, (serializers.Serializer,), {**fields, "__doc__": doc})


def col(field: serializers.Field, source=None) -> Column:
    return Column(field, source)


def computed(field: serializers.Field) -> Column:
    return Column(field, COMPUTED)


def updated_at() -> dict:
    return {"updated_at": col(serializers.DateTimeField(help_text=UPDATED_AT_HELP))}


IN_LANGUAGE = {"en": _("%(label)s in English."), "es": _("%(label)s in Spanish.")}


def bilingual(base: str, *, label, is_computed: bool = False) -> dict:
    """`{base}_en`, `{base}_es` as stored and `{base}` in the language asked for (falling back to the other);
    `is_computed`: the three are filled outside the `.values()` query (stats)."""
    fields = {
        **{
            f"{base}_{code}": serializers.CharField(help_text=IN_LANGUAGE[code] % {"label": label})
            for code in LANGUAGE_CODES
        },
        base: serializers.CharField(
            help_text=_("%(label)s in the language asked for with Accept-Language (falls back to the other).")
            % {"label": label}
        ),
    }
    if is_computed:
        return {key: computed(field) for key, field in fields.items()}
    sources = {base: lambda view: localized_expression(base)}
    return {key: col(field, sources.get(key)) for key, field in fields.items()}


def codes_array(through_queryset, code_path: str):
    """Sorted array of related codes for each row, from an m2m link table filtered on OuterRef('pk')."""
    return ArraySubquery(through_queryset.order_by(code_path).values(code_path))


def codes(help_text=None, source=None, *, child=None) -> Column:
    """A list of codes (strings, or `child` such as IntegerField) aggregated in SQL by `source(view)`."""
    return col(serializers.ListField(child=child or serializers.CharField(), help_text=help_text), source)
