"""Numbered pages of a list: the page parameters, and the page written as JSON by PostgreSQL."""

import functools
import math

import orjson
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.core.paginator import Paginator as DjangoPaginator
from django.db import connection, connections
from django.db.models import DateTimeField, F, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core import params


class RowsPaginator(DjangoPaginator):
    """Counts on `count_queryset` (the filtered model queryset) rather than on the page's rows query,
    whose columns may join tables the count does not need."""

    def __init__(self, object_list, per_page, *args, count_queryset=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.count_queryset = count_queryset

    @cached_property
    def count(self):
        if self.count_queryset is not None:
            return self.count_queryset.order_by().count()
        return super().count


# A timestamp as orjson writes it (UTC, microseconds only when there are some), so the JSON that
# PostgreSQL writes equals what the Python path wrote: `2026-03-01T12:00:00.120000+00:00`.
_ISO_TIMESTAMP_SQL = (
    "to_char({c} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') "
    "|| CASE WHEN date_trunc('second', {c}) = {c} THEN '' ELSE to_char({c} AT TIME ZONE 'UTC', '.US') END "
    "|| '+00:00'"
)


def json_row_sql(rows, alias: str) -> str:
    """`json_build_object(…)` of one row of the `.values()` queryset `rows` (selected as `alias`): its
    keys in order, timestamps written as orjson writes them."""
    quote = connection.ops.quote_name
    parts = []
    for key in rows._fields:
        expression = rows.query.annotation_select.get(key)
        try:
            field = expression.output_field if expression is not None else rows.model._meta.get_field(key)
        except FieldDoesNotExist:
            field = None
        column = f"{alias}.{quote(key)}"
        if isinstance(field, DateTimeField):
            column = _ISO_TIMESTAMP_SQL.format(c=column)
        parts.append(f"'{key}', {column}")
    return f"json_build_object({', '.join(parts)})"


def json_rows_by_pk(rows) -> list[tuple[int, orjson.Fragment]]:
    """(pk, the row's JSON written by PostgreSQL) for each row of the `.values()` queryset `rows`: the
    same JSON as a list page's rows, embedded as is by orjson (no row dict, no timestamp parsed)."""
    try:
        sql, params = rows.annotate(_json_pk=F("pk")).query.sql_with_params()
    except EmptyResultSet:
        return []
    with connections[rows.db].cursor() as cursor:
        cursor.execute(f"SELECT r._json_pk, {json_row_sql(rows, 'r')}::text FROM ({sql}) r", params)
        return [(pk, orjson.Fragment(text)) for pk, text in cursor.fetchall()]


#: What `json_page` answers for a page past the end: kept in the figures cache like any page, so a
#: 404 costs a lookup, not the list's query each time (the view raises NotFound outside the cache).
PAST_END = b""


def _order_term(term):
    """An `order_by` term (`"-due_date"`, `"code"` or an expression) as the window's ordering."""
    if not isinstance(term, str):
        return term
    return F(term[1:]).desc() if term.startswith("-") else F(term).asc()


class StandardPagination(PageNumberPagination):
    """`page` and `page_size` (default 50; a larger size is capped at 200, not refused)."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    page_size_query_description = _("Rows per page: default 50, at most 200 (a larger value is capped).")
    django_paginator_class = RowsPaginator

    last_page_strings = ("last",)

    def get_paginated_response_schema(self, schema):
        body = super().get_paginated_response_schema(schema)
        body["properties"]["count"].update(
            nullable=True, description=_("Every matching row; null on a sync page (`updated_since`, api.keyset).")
        )
        return body

    def get_page_number(self, request, paginator=None):
        """`page`: `last` or a number from 1, read by `core.params`; anything else is a 400 naming it
        (DRF's paginator gave a 404 for `0`, `-1` or `abc`, and `int()` a 500 for `¹`)."""
        text = request.query_params.get(self.page_query_param) or "1"
        if text in self.last_page_strings:
            return paginator.num_pages if paginator is not None else text
        return params.parse_number(
            text, name=self.page_query_param, minimum=1, message=_("Give a page number from 1, or last.")
        )

    def get_page_size(self, request):
        """`page_size` from 1 (a value above `max_page_size` is capped, as documented); else a 400."""
        text = request.query_params.get(self.page_size_query_param)
        if not text:
            return self.page_size
        size = params.parse_number(
            text,
            name=self.page_size_query_param,
            minimum=1,
            message=_("Give a number of rows per page from 1 to %(maximum)s.") % {"maximum": self.max_page_size},
        )
        return min(size, self.max_page_size)

    def paginate_rows(self, rows, request, view, *, count_queryset):
        """`paginate_queryset` for a `.values()` rows query, counting on `count_queryset`."""
        self.django_paginator_class = functools.partial(RowsPaginator, count_queryset=count_queryset)
        return self.paginate_queryset(rows, request, view)

    def json_page(self, request, queryset, rows_of) -> bytes:
        """The page as JSON written by PostgreSQL: count and rows in one query, no Python object per row.

        `queryset` is the filtered, ordered model queryset; `rows_of(qs)` turns a model queryset into
        its `.values()` rows. The filters run once (`matching`: every matching id numbered in the list's
        order), the count and the page's ids come from it, and `json_agg` writes the page's rows in the
        same order: every list page has this one path (most of a list's time went to running the
        filters twice and to building and encoding row dicts). `page=last` counts first to know which
        page that is. Past the end: `PAST_END`; a page that is not a number is a 400 (`get_page_number`).

        Numbering every match (rather than `ORDER BY … LIMIT`) also keeps the planner from scanning in
        list order and testing each row against the search, which it preferred under a LIMIT.
        """
        number = self.get_page_number(request)
        size = self.get_page_size(request)
        if not isinstance(number, int):  # `last`: the last page there is (the first when nothing matches)
            number = max(1, math.ceil(queryset.count() / size))
        ordering = list(queryset.query.order_by)
        order_by = [_order_term(term) for term in ordering]
        matching = queryset.order_by().values(_page_pk=F("pk"), _n=Window(RowNumber(), order_by=order_by))
        page_ids = RawSQL(
            "SELECT m._page_pk FROM matching m WHERE m._n > %s AND m._n <= %s", ((number - 1) * size, number * size)
        )
        rows = rows_of(queryset.model._default_manager.filter(pk__in=page_ids)).order_by(*ordering)
        try:
            matching_sql, matching_params = matching.query.sql_with_params()
            rows_sql, rows_params = rows.query.sql_with_params()
        except EmptyResultSet:  # a filter that can match nothing (e.g. an empty list of ids)
            return PAST_END if number > 1 else orjson.dumps({"count": 0, "next": None, "previous": None, "results": []})
        sql = (
            f"WITH matching AS MATERIALIZED ({matching_sql}) "
            "SELECT (SELECT count(*) FROM matching), "
            f"COALESCE((SELECT json_agg({json_row_sql(rows, 'r')})::text FROM ({rows_sql}) r), '[]')"
        )
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(sql, (*matching_params, *rows_params))
            count, results = cursor.fetchone()
        if results == "[]" and number > 1:  # past the end: the caller answers 404 (as DRF's paginator)
            return PAST_END
        url = request.build_absolute_uri()
        next_link = replace_query_param(url, self.page_query_param, number + 1) if number * size < count else None
        if number == 1:
            previous_link = None
        elif number == 2:
            previous_link = remove_query_param(url, self.page_query_param)
        else:
            previous_link = replace_query_param(url, self.page_query_param, number - 1)
        head = orjson.dumps({"count": count, "next": next_link, "previous": previous_link})
        return head[:-1] + b',"results":' + results.encode() + b"}"
