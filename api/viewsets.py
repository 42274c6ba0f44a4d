"""The partner API's shared conventions: every `/api/v1/` endpoint is built from these pieces.

Conventions (keep them when adding an endpoint):

- **Reads are rows, not model instances.** A list or detail is one `.values()` query whose columns
  come from the view set's `row` (an `api.rows.Row`: output key → where the value comes from and its
  serializer field). Related codes are aggregated in SQL (`codes_array`), bilingual text comes as
  `<name>_en`, `<name>_es` and `<name>` (the active language from `Accept-Language`, with fallback:
  `rows.bilingual("title", label=…)`). So the number of queries never grows with the page size, and
  no model instance is built per row.
- **Every query starts from the visible queryset** (`Model.objects.visible_to(user)`), returned by
  `get_queryset()`.
- **The same `Row` documents the row.** `serializer_class` is `row.serializer`, generated from the
  same declaration; drf-spectacular builds the OpenAPI schema from it and the tests check that real
  responses match the schema. It is not used to render reads.
- **Lists**: paginated `{count, next, previous, results}` (`page`, `page_size` default 50, capped at
  200; a page past the end is a 404), filtered by a declared django-filter `FilterSet`
  (`filterset_class`; a bad value is a 400 naming the parameter), ordered by `ordering` (declared
  `ordering_fields`; an unknown field is a 400; `id` is always appended as a tie-breaker), and
  downloadable as CSV with `?format=csv` (streamed, same filters, the flat columns of the JSON rows;
  lists of codes joined with `;`). The JSON of a numbered page is written by PostgreSQL in one query
  (`StandardPagination.json_page`, the one path of every page, `page=last` included)
  and kept in the figures cache when the view set says `cache_list_pages = True`. Cursor and sync
  pages (api.keyset) and the change feed's rows (api.changes) are written by PostgreSQL too, with the
  same row JSON, unless the view set finishes its rows in Python (`finish_rows`).
- **Details** carry an `ETag` (`get_etag(row)`, by default from `updated_at`); `If-None-Match` → 304.
- **Errors** are JSON: `{"detail": "...", "code": "...", "errors": {"<field>": ["..."]}}` (`errors`
  only on 400), from `exception_handler`, which also maps Django's `ValidationError` (400),
  `PermissionDenied` (403), `ConflictError` (409) and `InvalidStateError` (400).
- **Auth**: token (`Authorization: Token <key>`) or session; anonymous reads allowed (visibility
  decides what they see). Throttles: `anon` and `user` rates from settings, 429 with `Retry-After`.

How to add a read endpoint (e.g. `/api/v1/practices/`):

    PRACTICE_ROW = Row("PracticeRow", "A good practice.", {            # one description of the row
        "slug": col(serializers.CharField()),
        **bilingual("title", label=_("Title")),
        "country_codes": codes(_("Countries."), lambda view: codes_array(...)),
        **updated_at(),
    })

    class PracticeFilter(BaseFilterSet):                     # declared filters only
        search = search_filter("title", "summary")
        country = CodeListFilter(...)  # or a CharFilter(method=...) with an Exists() subquery
        class Meta: model = GoodPractice; fields = []

    @read_schema("good practices")
    class PracticeViewSet(ValuesReadOnlyViewSet):
        queryset = GoodPractice.objects.all()               # for the schema; get_queryset adds visibility
        row = PRACTICE_ROW                                   # columns and serializer_class come from it
        filterset_class = PracticeFilter
        lookup_field = "slug"
        ordering_fields = ["slug", "updated_at"]
        ordering = ["slug"]
        csv_filename = "practices"

        def get_queryset(self):
            return GoodPractice.objects.visible_to(self.request.user)

    router.register("practices", PracticeViewSet, basename="practice")   # in api/urls.py

Filter helpers: `BooleanFilter` (refuses anything but true/false), `CodeListFilter` (comma-separated
codes matched with `Exists()`), `search_filter` / `simple_search_filter` (full-text, computed per row:
fine for hundreds of rows), `indexed_search_filter` (served by GIN expression indexes: for large
tables, see api/migrations/0001). `api.schema_docs.read_schema(name)` adds the schema
descriptions (CSV, ETag, 304/400/404/429) a list + detail view set needs.
"""

from django.db.models import F
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.cache import patch_vary_headers
from django_filters import rest_framework as django_filters
from rest_framework import exceptions, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.response import Response

from api import keyset
from api.etags import etag_matches, timestamp_etag
from api.ordering import StrictOrderingFilter
from api.paging import PAST_END, StandardPagination
from api.renderers import CSV_CHUNK_ROWS, CSVRenderer, ORJSONRenderer, csv_lines
from core import figures_cache

# Token first: an anonymous write is answered 401 with `WWW-Authenticate: Token`.
API_AUTHENTICATION_CLASSES = [TokenAuthentication, SessionAuthentication]


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
    #: Keep list pages (JSON) in the figures cache until the data changes (core.figures_cache).
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

    #: The row's one description (api.rows): its columns and, as `serializer_class`, its schema.
    row = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("row") is not None:
            cls.serializer_class = cls.row.serializer

    def get_columns(self) -> dict:
        return self.row.columns(self)

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
        return self.row.keys()

    def finish_rows(self, rows: list[dict]) -> list[dict]:
        """Fields computed in Python for a page of rows (a fixed number of queries): none by default. The
        list, its cursor pages and the change feed (api.changes) all call it, so their rows agree."""
        return rows

    def finishes_rows_in_python(self) -> bool:
        """Whether `finish_rows` does something: if not, pages may be written as JSON by PostgreSQL."""
        return type(self).finish_rows is not ValuesReadOnlyViewSet.finish_rows

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "csv":
            return self.csv_response(self.rows(self.filter_queryset(self.get_queryset())))
        if keyset.CURSOR_PARAM in request.query_params:
            queryset = self.filter_queryset(self.get_queryset())
            return keyset.cursor_page(self, request, queryset, count=not keyset.is_sync(request))
        if keyset.is_sync(request):
            return keyset.cursor_page(self, request, self.filter_queryset(self.get_queryset()), count=False)

        visible = self.get_queryset()

        def page():
            return self.paginator.json_page(request, self.filter_queryset(visible), self.rows)

        if self.cache_list_pages:
            # Keyed by what the caller may see and the URL (its filters, page and links), so that a hit
            # builds no filters and compiles no query (issue 22: a hit cost 9 ms, most of it that).
            # A bad filter raises inside `page()`: its 400 is never cached.
            page_name = f"api-page:{type(self).__module__}.{type(self).__qualname__}"
            body = figures_cache.get_or_compute(
                page_name,
                (self.page_scope(visible), request.build_absolute_uri()),
                page,
                # Rows show `updated_at`, `version` and (to the secretariat) updates awaiting review.
                follows=figures_cache.data_generation,
            )
        else:
            body = page()
        if body == PAST_END:  # (cached as empty bytes: the 404 is a lookup, not the list's query)
            number = self.paginator.get_page_number(request)
            raise exceptions.NotFound(self.paginator.invalid_page_message.format(page_number=number, message=""))
        return HttpResponse(body, content_type="application/json")

    def page_scope(self, visible):
        """Who a cached list page is for: every anonymous caller alike (they see the same rows, and no
        filter reads the caller), each signed-in caller alone — the safe choice, since a column or a
        visibility rule may read the user (`review_comment`, a focal point's own updates). The visible
        queryset's SQL (`visible`, from `get_queryset`) is in the key too: a change of what the caller
        may see is a new key."""
        user = self.request.user
        return (visible, user.pk if user.is_authenticated else None)

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
