"""The partner API's shared conventions: every `/api/v1/` endpoint is built from these pieces.

Conventions (keep them when adding an endpoint):

- **Reads are rows, not model instances.** A list or detail is one `.values()` query whose columns
  are declared by `get_columns()` (output key → field name or SQL expression). Related codes are
  aggregated in SQL (`ArraySubquery`), bilingual text comes as `<name>_en`, `<name>_es` and `<name>`
  (the active language from `Accept-Language`, with fallback: `bilingual("title")`). So the number
  of queries never grows with the page size, and no model instance is built per row.
- **Every query starts from the visible queryset** (`Model.objects.visible_to(user)`), returned by
  `get_queryset()`.
- **The row serializer documents the row.** `serializer_class` is a plain `serializers.Serializer`
  whose fields equal the keys of `get_columns()`; drf-spectacular builds the OpenAPI schema from it
  and the tests check that real responses match the schema. It is not used to render reads.
- **Lists**: paginated `{count, next, previous, results}` (`page`, `page_size` default 50, capped at
  200; a page past the end is a 404), filtered by a declared django-filter `FilterSet`
  (`filterset_class`; a bad value is a 400 naming the parameter), ordered by `ordering` (declared
  `ordering_fields`; an unknown field is a 400; `id` is always appended as a tie-breaker), and
  downloadable as CSV with `?format=csv` (streamed, same filters, the flat columns of the JSON rows;
  lists of codes joined with `;`). The JSON of a numbered page is written by PostgreSQL in one query
  (`StandardPagination.json_page`; `page=last` goes through DRF's paginator and gives the same body)
  and kept in the figures cache when the view set says `cache_list_pages = True`.
- **Details** carry an `ETag` (`get_etag(row)`, by default from `updated_at`); `If-None-Match` → 304.
- **Errors** are JSON: `{"detail": "...", "code": "...", "errors": {"<field>": ["..."]}}` (`errors`
  only on 400), from `exception_handler`, which also maps Django's `ValidationError` (400),
  `PermissionDenied` (403), `ConflictError` (409) and `InvalidStateError` (400).
- **Auth**: token (`Authorization: Token <key>`) or session; anonymous reads allowed (visibility
  decides what they see). Throttles: `anon` and `user` rates from settings, 429 with `Retry-After`.

How to add a read endpoint (e.g. `/api/v1/practices/`):

    class PracticeRowSerializer(serializers.Serializer):   # documents the row
        slug = serializers.SlugField()
        title_en = serializers.CharField(); title_es = serializers.CharField(); title = serializers.CharField()
        country_codes = serializers.ListField(child=serializers.CharField())
        updated_at = serializers.DateTimeField()

    class PracticeFilter(BaseFilterSet):                     # declared filters only
        search = search_filter("title", "summary")
        country = CodeListFilter(...)  # or a CharFilter(method=...) with an Exists() subquery
        class Meta: model = GoodPractice; fields = []

    class PracticeViewSet(ValuesReadOnlyViewSet):
        queryset = GoodPractice.objects.all()               # for the schema; get_queryset adds visibility
        serializer_class = PracticeRowSerializer
        filterset_class = PracticeFilter
        lookup_field = "slug"
        ordering_fields = ["slug", "updated_at"]
        ordering = ["slug"]
        csv_filename = "practices"

        def get_queryset(self):
            return GoodPractice.objects.visible_to(self.request.user)

        def get_columns(self):
            return {"slug": "slug", **bilingual("title"), "country_codes": codes_array(...), "updated_at": "updated_at"}

    router.register("practices", PracticeViewSet, basename="practice")   # in api/urls.py

Filter helpers: `BooleanFilter` (refuses anything but true/false), `CodeListFilter` (comma-separated
codes matched with `Exists()`), `search_filter` / `simple_search_filter` (full-text, computed per row:
fine for hundreds of rows), `indexed_search_filter` (served by GIN expression indexes: for large
tables, see api/migrations/0001). `api.views.read_schema(name, RowSerializer)` adds the schema
descriptions (CSV, ETag, 304/400/404/429) a list + detail view set needs.

A write endpoint is an `@action` (or a view) that validates the request with an input serializer and
calls the app's service; the service's exceptions become HTTP errors through `exception_handler`.
"""

import csv
import datetime
import decimal
import functools
import re
import uuid

import orjson
from django import forms
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator as DjangoPaginator
from django.db import connection, connections
from django.db.models import BooleanField, DateTimeField, F, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.encoding import force_str
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as django_filters
from django_filters.fields import IsoDateTimeField
from rest_framework import exceptions, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from api import keyset
from api.throttling import AnonThrottle, UserThrottle
from config import params
from config.bilingual import LANGUAGE_CODES, active_language, localized_expression
from config.errors import ConflictError, InvalidStateError
from config.search import bilingual_text_search, simple_text_search
from core.spreadsheets import csv_safe
from roadmaps import figures_cache

CSV_LIST_SEPARATOR = ";"
CSV_CHUNK_ROWS = 2000


# --- Rendering -------------------------------------------------------------------------------------


def _orjson_default(value):
    if isinstance(value, Promise):
        return force_str(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError


class ORJSONRenderer(JSONRenderer):
    """DRF's JSON media type, written by orjson (dates as ISO 8601, datetimes with their offset)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, default=_orjson_default, option=orjson.OPT_NON_STR_KEYS)


def csv_value(value) -> str:
    """One cell: the JSON value written flat (lists joined with `;`, booleans as true/false)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return CSV_LIST_SEPARATOR.join(csv_value(v) for v in value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return csv_safe(force_str(value))


class _Echo:
    def write(self, value):
        return value


def csv_lines(columns, rows):
    """Encoded CSV lines: the header, then one line per row dict (generator, for streaming)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([csv_value(row.get(c)) for c in columns])


class CSVRenderer(BaseRenderer):
    """`?format=csv`. Lists are streamed by `ValuesReadOnlyViewSet`; this renders anything else flat."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        if isinstance(data, dict):
            data = [data]
        data = list(data or [])
        columns = list(data[0]) if data else []
        return "".join(csv_lines(columns, data)).encode("utf-8")


# --- Pagination, throttling, auth ------------------------------------------------------------------


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


#: What `json_page` answers for a page past the end: kept in the figures cache like any page, so a
#: 404 costs a lookup, not the list's query each time (the view raises NotFound outside the cache).
PAST_END = b""


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
        """`page`: `last` or a number from 1, read by `config.params`; anything else is a 400 naming it
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

    def json_page(self, request, queryset, rows_of) -> bytes | None:
        """The page as JSON written by PostgreSQL: count and rows in one query, no Python object per row.

        `queryset` is the filtered, ordered model queryset; `rows_of(qs)` turns a model queryset into
        its `.values()` rows. The filters run once (`matching`: every matching id numbered in the list's
        order), the count and the page's ids come from it, and `json_agg` writes the page's rows in the
        same order. Same body as `paginate_rows` + `get_paginated_response` (tests/api compare them) at
        a fraction of the cost: most of a list's time went to running the filters twice and to building
        and encoding row dicts. Past the end: `PAST_END`. Returns None where that path must answer instead
        (`page=last`, a filter that can match nothing); a page that is not a number is a 400 (`get_page_number`).

        Numbering every match (rather than `ORDER BY … LIMIT`) also keeps the planner from scanning in
        list order and testing each row against the search, which it preferred under a LIMIT.
        """
        number = self.get_page_number(request)
        if not isinstance(number, int):  # `last`
            return None
        size = self.get_page_size(request)
        ordering = list(queryset.query.order_by)
        if not all(isinstance(term, str) for term in ordering):  # an expression: the paginator's path
            return None
        order_by = [F(term[1:]).desc() if term.startswith("-") else F(term).asc() for term in ordering]
        matching = queryset.order_by().values(_page_pk=F("pk"), _n=Window(RowNumber(), order_by=order_by))
        page_ids = RawSQL(
            "SELECT m._page_pk FROM matching m WHERE m._n > %s AND m._n <= %s", ((number - 1) * size, number * size)
        )
        rows = rows_of(queryset.model._default_manager.filter(pk__in=page_ids)).order_by(*ordering)
        try:
            matching_sql, matching_params = matching.query.sql_with_params()
            rows_sql, rows_params = rows.query.sql_with_params()
        except EmptyResultSet:
            return None
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


# Token first: an anonymous write is answered 401 with `WWW-Authenticate: Token`.
API_AUTHENTICATION_CLASSES = [TokenAuthentication, SessionAuthentication]


# --- Errors ----------------------------------------------------------------------------------------


def _first_message(errors):
    """The first message of nested errors (a list item's field: `{"indicator_values": [{"value": [...]}]}`)."""
    if isinstance(errors, str):
        return errors
    values = errors.values() if isinstance(errors, dict) else errors
    for value in values:
        message = _first_message(value)
        if message:
            return message
    return None


def _messages(detail):
    """DRF error detail (str / list / dict, nested) → list of strings, or dict of field → list."""
    if isinstance(detail, dict):
        return {str(k): _messages(v) for k, v in detail.items()}
    if isinstance(detail, (list, tuple)):
        flat = []
        for item in detail:
            value = _messages(item)
            if isinstance(value, list):
                flat.extend(value)
            else:
                return [_messages(item) for item in detail]
        return flat
    return [force_str(detail)]


def django_validation_error_detail(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return {field: [force_str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {api_settings.NON_FIELD_ERRORS_KEY: [force_str(m) for m in error.messages]}


def exception_handler(exc, context):
    """Every API error as JSON: `{"detail", "code"}`, plus `errors` (field → messages) on a 400."""
    code = "invalid"
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_validation_error_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, InvalidStateError):
        exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [str(exc)]})
        code = "invalid_state"
    elif isinstance(exc, ConflictError):
        response = Response(
            {"detail": str(exc), "code": "conflict", "current": conflict_current(exc.current)},
            status=status.HTTP_409_CONFLICT,
        )
        return response

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _messages(exc.detail)
        if isinstance(errors, list):
            errors = {api_settings.NON_FIELD_ERRORS_KEY: errors}
        first = _first_message(errors) or _("Invalid input.")
        response.data = {"detail": force_str(first), "code": code, "errors": errors}
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = {"detail": force_str(detail), "code": codes if isinstance(codes, str) else "error"}
    return response


def conflict_current(current):
    """What a 409 tells the caller about the record as it is now (an Action: id, version, ETag)."""
    if current is None:
        return None
    data = {"id": current.pk}
    if hasattr(current, "version"):
        data["version"] = current.version
        data["etag"] = version_etag(current.pk, current.version)
    return data


# --- ETags -----------------------------------------------------------------------------------------


def version_etag(pk, version, language: str | None = None) -> str:
    """Strong ETag of a versioned row (Action): changes with its version and with the language."""
    return f'"{pk}-v{version}-{language or active_language()}"'


def timestamp_etag(pk, updated_at, language: str | None = None) -> str:
    return f'"{pk}-t{int(updated_at.timestamp() * 1_000_000)}-{language or active_language()}"'


def etag_matches(header: str | None, etags) -> bool:
    """True when an If-Match / If-None-Match header names one of `etags` (or is `*`)."""
    if not header:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in candidates or bool(candidates & set(etags))


# --- Query helpers ---------------------------------------------------------------------------------


def bilingual(base: str) -> dict:
    """`{base}_en`, `{base}_es` and `{base}` (active language, falling back to the other)."""
    return {f"{base}_{code}": f"{base}_{code}" for code in LANGUAGE_CODES} | {base: localized_expression(base)}


def codes_array(through_queryset, code_path: str):
    """Sorted array of related codes for each row, from an m2m link table filtered on OuterRef('pk')."""
    return ArraySubquery(through_queryset.order_by(code_path).values(code_path))


def search_filter(*bases: str, help_text=None):
    """A `search` filter: PostgreSQL full-text search over both languages of the given bilingual fields.

    English text is matched with the English configuration, Spanish with the Spanish one, accents
    ignored; the query uses web-search syntax (`"exact phrase"`, `or`, `-excluded`).
    """

    # The rule itself lives in config.search: the pages' search boxes call it too.
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

    def apply(queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(RawSQL(sql, [value, value], output_field=BooleanField()))

    return django_filters.CharFilter(
        method=lambda qs, name, value: apply(qs, name, value),
        label=help_text or _("Full-text search (English and Spanish, accents ignored, web-search syntax)."),
    )


def indexed_simple_search_filter(table: str, *fields: str, help_text=None):
    """Like `simple_search_filter`, written so PostgreSQL uses a GIN expression index
    `to_tsvector('simple', api_unaccent(a || ' ' || b))` (see api/migrations/0002): for large tables."""
    quote = connection.ops.quote_name
    text = " || ' ' || ".join(f"coalesce({quote(table)}.{quote(f)}, '')" for f in fields)
    sql = (
        f"to_tsvector('simple'::regconfig, api_unaccent({text})) "
        f"@@ websearch_to_tsquery('simple'::regconfig, api_unaccent(%s))"
    )

    def apply(queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(RawSQL(sql, [value], output_field=BooleanField()))

    return django_filters.CharFilter(
        method=lambda qs, name, value: apply(qs, name, value),
        label=help_text or _("Full-text search (accents ignored, web-search syntax)."),
    )


def simple_search_filter(*fields: str, help_text=None):
    """A `search` filter over single-language text fields (language-neutral configuration)."""

    return django_filters.CharFilter(
        method=lambda qs, name, value: simple_text_search(qs, fields, value),
        label=help_text or _("Full-text search (accents ignored, web-search syntax)."),
    )


split_codes = params.split_values


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

    Codes are read by `config.params.parse_codes`. With `known(codes)` (the codes among them that
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


class NumberFilter(django_filters.CharFilter):
    """One whole number (an id), read by `config.params.parse_number`: `²` or 10¹² is a 400, not a 500."""

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


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=-due_date,code` over the view's `ordering_fields`; an unknown field is a 400; `id`
    is always the last key so pages never overlap."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",") if param.strip()]
            valid = self.remove_invalid_fields(queryset, fields, view, request)
            if len(valid) != len(fields):
                allowed = ", ".join(
                    name for name, _label in self.get_valid_fields(queryset, view, {"request": request})
                )
                raise exceptions.ValidationError(
                    {self.ordering_param: [_("Unknown ordering field. Allowed: %(fields)s.") % {"fields": allowed}]}
                )
            return valid
        return self.get_default_ordering(view)

    def get_schema_operation_parameters(self, view):
        fields = ", ".join(f"`{name}`" for name in getattr(view, "ordering_fields", []))
        default = ",".join(getattr(view, "ordering", []))
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": force_str(
                    _("Comma-separated fields to sort by, `-` for descending: %(fields)s. Default: `%(default)s`.")
                    % {"fields": fields, "default": default}
                ),
                # Exactly what get_ordering accepts: declared fields, `-` for descending, comma-separated.
                "schema": {
                    "type": "array",
                    "items": {
                        "type": "string",
                        "enum": [
                            f"{sign}{name}" for name in getattr(view, "ordering_fields", []) for sign in ("", "-")
                        ],
                    },
                },
                "style": "form",
                "explode": False,
            }
        ]

    def filter_queryset(self, request, queryset, view):
        ordering = list(self.get_ordering(request, queryset, view) or [])
        if not any(term.lstrip("-") in ("id", "pk") for term in ordering):
            ordering.append("id")
        return queryset.order_by(*ordering)


# --- The read-only view set ------------------------------------------------------------------------


class ValuesReadOnlyViewSet(viewsets.GenericViewSet):
    """List + detail from `.values()` rows (see the module docstring), with CSV and ETags."""

    def handle_exception(self, exc):
        # Errors are JSON even when CSV was asked for.
        if getattr(getattr(self.request, "accepted_renderer", None), "format", None) == "csv":
            self.request.accepted_renderer = ORJSONRenderer()
            self.request.accepted_media_type = ORJSONRenderer.media_type
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # What a caller sees depends on who they are (visibility): shared caches must not mix callers.
        patch_vary_headers(response, ["Authorization", "Cookie"])
        return response

    authentication_classes = API_AUTHENTICATION_CLASSES
    pagination_class = StandardPagination
    filter_backends = [django_filters.DjangoFilterBackend, StrictOrderingFilter]
    ordering_fields: list[str] = []
    ordering: list[str] = []
    csv_filename = "rows"
    #: Keep list pages (JSON) in the figures cache until the data changes (roadmaps.figures_cache).
    #: Only for rows read from the apps whose writes count as changes there (countries, gcm, roadmaps)
    #: and whose columns do not depend on the viewer: the key is the filtered queryset's SQL and the URL.
    cache_list_pages = False
    #: the URL value is upper-cased before lookup (ISO codes).
    lookup_upper = False

    def get_renderers(self):
        renderers = [ORJSONRenderer()]
        if getattr(self, "action", None) in ("list", None):
            renderers.append(CSVRenderer())
        return renderers

    def get_columns(self) -> dict:
        raise NotImplementedError

    def rows(self, queryset):
        """`queryset` (of the model) as row dicts with the declared columns, in its order."""
        columns = self.get_columns()
        names = [key for key, value in columns.items() if value == key]
        expressions = {key: F(value) if isinstance(value, str) else value for key, value in columns.items()}
        expressions = {key: value for key, value in expressions.items() if key not in names}
        # A column computed per caller under a field's own name (`review_comment`) is refused by
        # values(**…) but allowed as an annotation of the values() rows; values() then orders the keys.
        fields = {
            name
            for field in queryset.model._meta.get_fields()
            for name in (field.name, getattr(field, "attname", None))
        }
        shadowing = {key: value for key, value in expressions.items() if key in fields}
        rows = queryset.values(*names, **{key: v for key, v in expressions.items() if key not in shadowing})
        return rows.annotate(**shadowing).values(*columns) if shadowing else rows

    def row_keys(self) -> list[str]:
        return list(self.get_columns())

    def finish_rows(self, rows: list[dict]) -> list[dict]:
        """Fields computed in Python for a page of rows (a fixed number of queries): none by default. The
        list, its cursor pages and the change feed (api.changes) all call it, so their rows agree."""
        return rows

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if request.accepted_renderer.format == "csv":
            return self.csv_response(self.rows(queryset))
        if keyset.CURSOR_PARAM in request.query_params:
            return keyset.cursor_page(self, request, queryset, count=not keyset.is_sync(request))
        if keyset.is_sync(request):
            return keyset.cursor_page(self, request, queryset, count=False)
        if self.cache_list_pages:
            # Keyed by the filtered queryset's SQL (visibility and filters) and the URL (page, links).
            page_name = f"api-page:{type(self).__module__}.{type(self).__qualname__}"
            body = figures_cache.get_or_compute(
                page_name,
                (queryset, request.build_absolute_uri()),
                lambda: self.paginator.json_page(request, queryset, self.rows),
            )
        else:
            body = self.paginator.json_page(request, queryset, self.rows)
        if body == PAST_END:  # (cached as empty bytes: the 404 is a lookup, not the list's query)
            number = self.paginator.get_page_number(request)
            raise exceptions.NotFound(self.paginator.invalid_page_message.format(page_number=number, message=""))
        if body is not None:
            return HttpResponse(body, content_type="application/json")
        page = self.paginator.paginate_rows(self.rows(queryset), request, self, count_queryset=queryset)
        return self.get_paginated_response(page)

    def csv_response(self, rows, keys=None):
        keys = keys or self.row_keys()
        if hasattr(rows, "iterator"):
            rows = rows.iterator(chunk_size=CSV_CHUNK_ROWS)
        response = StreamingHttpResponse(csv_lines(keys, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}.csv"'
        return response

    def lookup_value(self):
        value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        return value.upper() if self.lookup_upper else value

    def get_row(self):
        row = self.rows(self.get_queryset().filter(**{self.lookup_field: self.lookup_value()})).first()
        if row is None:
            raise exceptions.NotFound()
        return row

    def get_etag(self, row) -> str:
        return timestamp_etag(row.get("id", row[self.lookup_field]), row["updated_at"])

    def retrieve(self, request, *args, **kwargs):
        row = self.get_row()
        etag = self.get_etag(row)
        if etag_matches(request.headers.get("If-None-Match"), [etag]):
            response = HttpResponse(status=status.HTTP_304_NOT_MODIFIED)
        else:
            response = Response(row)
        response["ETag"] = etag
        return response


__all__ = [
    "API_AUTHENTICATION_CLASSES",
    "AnonThrottle",
    "BaseFilterSet",
    "BooleanFilter",
    "CSVRenderer",
    "CodeListFilter",
    "NumberFilter",
    "NumberListFilter",
    "ORJSONRenderer",
    "StandardPagination",
    "StrictOrderingFilter",
    "UserThrottle",
    "ValuesReadOnlyViewSet",
    "bilingual",
    "codes_array",
    "csv_lines",
    "csv_value",
    "etag_matches",
    "exception_handler",
    "indexed_search_filter",
    "indexed_simple_search_filter",
    "search_filter",
    "simple_search_filter",
    "split_codes",
    "timestamp_etag",
    "version_etag",
]
