"""`?cursor=`: walking a list by keyset, so rows added or deleted meanwhile shift nothing.

A numbered page is "rows 101–150 of the list as it is now": when a row before it is added or
deleted between two requests, the walk repeats or skips one. A cursor page is "the rows after the
last row you received", in the list's order (`ordering`, then `id`), so a walk while rows come and
go returns every row that existed throughout exactly once (rows added behind the walk's position
are not returned; rows added ahead are). A row whose sort key changes during the walk moves within
the order; `ordering=id` (never changes) is immune to that too.

Start with an empty `cursor=`; follow `next` (null on the last page). The answer keeps the list's
shape: `count` (every matching row), `next`, `previous` (always null) and `results`.

**Sync** (`updated_since` without `page`): a partner's incremental sync is read the same way, by
keyset, and is not counted (`count` is null): numbering every row changed since a day two years
back cost a sort of every one of them on each page (345 ms at 500 000 updates), where the rows after
the cursor in `(updated_at, id)` order come from an index. Follow `next` until it is null.
"""

import base64
import binascii
import datetime
import json

import orjson
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection, connections
from django.db.models import F, Q
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.utils.urls import remove_query_param, replace_query_param

from api.paging import json_row_sql
from api.renderers import ORJSONRenderer

CURSOR_PARAM = "cursor"
KEY_PREFIX = "keyset_key_"

CURSOR_PARAMETER = OpenApiParameter(
    CURSOR_PARAM,
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description=_(
        "Page by cursor instead of page number: empty for the first page, then follow `next`. Rows added or "
        "deleted during the walk never make it skip or repeat a row."
    ),
)


def _bad_cursor():
    return exceptions.ValidationError(
        {CURSOR_PARAM: [_("Not a cursor of this list: start with an empty cursor and follow next.")]}
    )


def _terms(queryset):
    """The list's order as (field name, field, descending); every list ends with `id` (unique)."""
    terms = []
    for term in queryset.query.order_by:
        if not isinstance(term, str):
            raise exceptions.ValidationError({CURSOR_PARAM: [_("This order cannot be paged by cursor.")]})
        name = term.lstrip("-")
        name = "id" if name == "pk" else name
        try:
            field = queryset.model._meta.get_field(name)
        except FieldDoesNotExist:
            raise exceptions.ValidationError({CURSOR_PARAM: [_("This order cannot be paged by cursor.")]}) from None
        terms.append((field.attname, field, term.startswith("-")))
    return terms


def _after(terms, values):
    """Rows strictly after `values` in the order of `terms` (PostgreSQL puts NULLs last ascending,
    first descending, as Django's order_by leaves them)."""
    (name, field, descending), value = terms[0], values[0]
    if value is None:
        strictly = Q(**{f"{name}__isnull": False}) if descending else Q(pk__in=[])
        equal = Q(**{f"{name}__isnull": True})
    else:
        strictly = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        if field.null and not descending:
            strictly |= Q(**{f"{name}__isnull": True})
        equal = Q(**{name: value})
    if len(terms) == 1:
        return strictly
    return strictly | (equal & _after(terms[1:], values[1:]))


def _encode(ordering: str, values) -> str:
    raw = json.dumps([ordering, [_plain(v) for v in values]], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _decode(text: str, ordering: str, terms):
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        cursor_ordering, values = json.loads(raw)
    except (ValueError, TypeError, binascii.Error):
        raise _bad_cursor() from None
    if cursor_ordering != ordering or not isinstance(values, list) or len(values) != len(terms):
        raise _bad_cursor()
    try:
        return [
            None if v is None else field.to_python(v) for (_name, field, _desc), v in zip(terms, values, strict=True)
        ]
    except (DjangoValidationError, ValueError, TypeError):  # a value the field does not take
        raise _bad_cursor() from None


SYNC_PARAM = "updated_since"


def is_sync(request) -> bool:
    """An incremental sync (`updated_since`, no page number): paged by keyset, not counted."""
    params = request.query_params
    return bool(params.get(SYNC_PARAM)) and "page" not in params


def cursor_page(view, request, queryset, *, count=True):
    """The JSON answer of one cursor page of `queryset` (filtered and ordered) for `view`; `count`
    False answers `count: null` (a sync: the rows after the cursor come from an index, unnumbered)."""
    terms = _terms(queryset)
    ordering = ",".join(("-" if desc else "") + name for name, _field, desc in terms)
    page_size = view.paginator.get_page_size(request)
    text = request.query_params.get(CURSOR_PARAM, "")
    page = queryset
    if text:
        page = page.filter(_after(terms, _decode(text, ordering, terms)))
    keys = {f"{KEY_PREFIX}{i}": F(name) for i, (name, _field, _desc) in enumerate(terms)}
    if view.finishes_rows_in_python():
        results, more, last = _page_in_python(view.rows(page), keys, page_size, view.finish_rows)
    else:
        results, more, last = _page_in_sql(view.rows(page), keys, page_size)
    url = request.build_absolute_uri()
    next_url = None
    if more:
        next_url = replace_query_param(remove_query_param(url, "page"), CURSOR_PARAM, _encode(ordering, last))
    total = queryset.order_by().count() if count else None
    head = orjson.dumps({"count": total, "next": next_url, "previous": None})
    return HttpResponse(head[:-1] + b',"results":' + results + b"}", content_type="application/json")


def _page_in_python(rows, keys, page_size, finish_rows):
    """(the page's rows as JSON, whether more follow, the last row's keys), rows finished in Python."""
    rows = list(rows.annotate(**keys)[: page_size + 1])
    more = len(rows) > page_size
    rows = rows[:page_size]
    last = [rows[-1][key] for key in keys] if rows else None
    for row in rows:
        for key in keys:
            del row[key]
    return ORJSONRenderer().render(finish_rows(rows)), more, last


def _page_in_sql(rows, keys, page_size):
    """`_page_in_python` with the rows written as JSON by PostgreSQL (api.paging.json_row_sql, the same
    JSON as the numbered pages): a sync page of 200 rows spent ~8 ms of its ~27 ms building row dicts
    and parsing their timestamps in Python (issue 22). One query: the page and one row more (whether
    more follow), numbered in the list's order; only the last row's keys come back as values."""
    try:
        sql, params = rows.annotate(**keys)[: page_size + 1].query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing
        return b"[]", False, None
    quote = connection.ops.quote_name
    last_keys = ", ".join(f"l.{quote(key)}" for key in keys)
    sql = (
        f"WITH p AS MATERIALIZED (SELECT row_number() OVER () AS _n, r.* FROM ({sql}) r) "
        f"SELECT s.found, s.results, {last_keys} FROM ("
        f"SELECT max(p._n) AS found, COALESCE((json_agg({json_row_sql(rows, 'p')} ORDER BY p._n) "
        "FILTER (WHERE p._n <= %s))::text, '[]') AS results FROM p"
        ") s LEFT JOIN p l ON l._n = LEAST(%s, s.found)"
    )
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, (*params, page_size, page_size))
        found, results, *last = cursor.fetchone()
    return results.encode(), (found or 0) > page_size, (last if found else None)
