"""The `search` filters: full-text search over a list's text, computed per row or served by GIN indexes."""

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as django_filters

from core.search import bilingual_text_search, simple_text_search


def search_filter(*bases: str, help_text=None):
    """A `search` filter: PostgreSQL full-text search over both languages of the given bilingual fields.

    English text is matched with the English configuration, Spanish with the Spanish one, accents
    ignored; the query uses web-search syntax (`"exact phrase"`, `or`, `-excluded`).
    """

    # The rule itself lives in core.search: the pages' search boxes call it too.
    return django_filters.CharFilter(
        method=lambda qs, name, value: bilingual_text_search(qs, bases, value),
        label=help_text or _("Full-text search (English and Spanish, accents ignored, web-search syntax)."),
    )


def indexed_search_filter(table: str, *bases: str, help_text=None):
    """Like `search_filter`, written so PostgreSQL uses the GIN expression indexes
    `api_<model>_search_en/_es` (see api/migrations/0001): for large tables (actions).

    The SQL must match the indexes' expressions: `to_tsvector('<config>', api_unaccent(a || ' ' || b))`.
    """
    quote = connection.ops.quote_name

    def vector(code: str, config: str) -> str:
        text = " || ' ' || ".join(f"coalesce({quote(table)}.{quote(f'{b}_{code}')}, '')" for b in bases)
        return f"to_tsvector('{config}'::regconfig, api_unaccent({text}))"

    sql = (
        f"({vector('en', 'english')} @@ websearch_to_tsquery('english'::regconfig, api_unaccent(%s)) "
        f"OR {vector('es', 'spanish')} @@ websearch_to_tsquery('spanish'::regconfig, api_unaccent(%s)))"
    )
    label = help_text or _("Full-text search (English and Spanish, accents ignored, web-search syntax).")
    return _raw_search_filter(sql, label)


def indexed_simple_search_filter(table: str, *fields: str, help_text=None):
    """Like `simple_search_filter`, written so PostgreSQL uses a GIN expression index
    `to_tsvector('simple', api_unaccent(a || ' ' || b))` (see api/migrations/0002): for large tables."""
    quote = connection.ops.quote_name
    text = " || ' ' || ".join(f"coalesce({quote(table)}.{quote(f)}, '')" for f in fields)
    sql = (
        f"to_tsvector('simple'::regconfig, api_unaccent({text})) "
        f"@@ websearch_to_tsquery('simple'::regconfig, api_unaccent(%s))"
    )
    return _raw_search_filter(sql, help_text or _("Full-text search (accents ignored, web-search syntax)."))


def _raw_search_filter(sql: str, label):
    """A CharFilter keeping the rows where `sql` is true, each of its `%s` bound to the words searched."""
    placeholders = sql.count("%s")

    def apply(queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(RawSQL(sql, [value] * placeholders, output_field=BooleanField()))

    return django_filters.CharFilter(method=apply, label=label)


def simple_search_filter(*fields: str, help_text=None):
    """A `search` filter over single-language text fields (language-neutral configuration)."""

    return django_filters.CharFilter(
        method=lambda qs, name, value: simple_text_search(qs, fields, value),
        label=help_text or _("Full-text search (accents ignored, web-search syntax)."),
    )
