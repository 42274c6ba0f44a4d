"""`/api/v1/changes/`: every change partners read, in pages, with removals, for keeping a copy in sync.

Each entry names a kind (the list it belongs to) and the row's `id` (its database id, which never
changes, unlike a slug or a code), and comes either as the row as the caller may see it **now**
(`"op": "upsert"`, `data` = the same fields as that kind's list) or as `"op": "remove"` with no data,
when the caller may not see the row (deleted, hidden, turned internal, unpublished, or no longer
matching the feed's `country`/`roadmap` filter). Entries come from the change log that PostgreSQL
triggers write (`changefeed`); `changefeed.feed` says why a cursor never passes a change still to
come. Rows are read per kind, in one query each, whatever the page size.

A new kind is one line in `KINDS` (the kind's name is its list's URL name, the view set gives
visibility and columns) plus its trigger (`changefeed.sql.log_rows_sql`).
"""

from django.db import connections, router, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response

from api import progress_updates, reference, roadmaps_actions
from api import serializers as api_serializers
from api.cycles import CycleViewSet
from api.indicators import IndicatorValueViewSet, IndicatorViewSet
from api.paging import json_rows_by_pk
from api.practices import PracticeViewSet
from api.renderers import ORJSONRenderer
from api.viewsets import API_AUTHENTICATION_CLASSES
from changefeed import feed
from changefeed.models import Change, FeedClock
from core.params import split_values
from countries.models import Country
from roadmaps.models import Action, Roadmap

#: kind → the view set of its list (visibility, columns, filters). One line per kind.
KINDS = {
    "countries": reference.CountryViewSet,
    "objectives": reference.ObjectiveViewSet,
    "principles": reference.PrincipleViewSet,
    "organizations": reference.OrganizationViewSet,
    "forums": reference.ForumViewSet,
    "themes": reference.ThemeViewSet,
    "roadmaps": roadmaps_actions.RoadmapViewSet,
    "actions": roadmaps_actions.ActionViewSet,
    "progress-updates": progress_updates.ProgressUpdateViewSet,
    "practices": PracticeViewSet,
    "cycles": CycleViewSet,
    "indicators": IndicatorViewSet,
    "indicator-values": IndicatorValueViewSet,
}

_day_reported = None  # this process's last day checked by report_date_changes (a cheap early exit)


def report_date_changes():
    """Answers that change with the date alone go into the log once a day, at the first read of the
    feed that day: actions that became overdue since the last day reported (`is_overdue`).

    On the primary, in its own transaction (the feed's reads may go to a replica); a second reader
    at the same moment skips the locked clock and the first one's transaction holds its horizon.
    """
    global _day_reported
    today = timezone.localdate()
    if _day_reported == today:
        return
    with transaction.atomic(using="default"):
        clock = FeedClock.objects.using("default").select_for_update(skip_locked=True).filter(day__lt=today).first()
        if clock is not None:
            overdue = Action.objects.using("default").overdue(today).filter(due_date__gte=clock.day)
            ids = list(overdue.values_list("id", flat=True))
            with connections["default"].cursor() as db:
                db.execute("SELECT changefeed_note('actions', %s::bigint[])", [ids])
            clock.day = today
            clock.save(update_fields=["day"])
    _day_reported = today


DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
_PK = "changefeed_pk"


class ChangeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=sorted(KINDS), help_text=_("The list the row belongs to."))
    id = serializers.IntegerField(
        help_text=_("The row's database id: it never changes. Keep your copy by kind and id.")
    )
    op = serializers.ChoiceField(
        choices=["upsert", "remove"],
        help_text=_("upsert: store `data` as the row; remove: delete the row from your copy (you may not see it)."),
    )
    data = serializers.DictField(
        required=False,
        help_text=_("With upsert only: the row as you may see it now, with the same fields as its list."),
    )


class ChangePageSerializer(serializers.Serializer):
    results = ChangeSerializer(many=True)
    next_cursor = serializers.CharField(help_text=_("Send it back as `cursor` to get what changed after this page."))
    more = serializers.BooleanField(
        help_text=_("true: more changes are ready, ask again now; false: you are up to date, ask again later.")
    )


def _query_parameter(name, description, type_=OpenApiTypes.STR):
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, description=description)


class ChangeViewSet(viewsets.GenericViewSet):
    authentication_classes = API_AUTHENTICATION_CLASSES
    renderer_classes = [ORJSONRenderer]
    pagination_class = None
    filter_backends: list = []
    serializer_class = ChangeSerializer

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Authorization", "Cookie", "Accept-Language"])
        return response

    @extend_schema(
        summary=_("Changes since a cursor, in commit order, with removals (for keeping a copy in sync)"),
        description=_(
            "Start with no cursor: you get every row (as upserts). Then always send back the last `next_cursor` "
            "you received; while `more` is true ask again at once. You get every later change exactly once, "
            "whatever the order in which writers' transactions commit, including rows you may no longer see "
            "(`op: remove`: delete them) and rows whose answer changed because another row did (a roadmap's "
            "slug, visibility or objectives, a country's code). An entry carries the row as it is now, so apply "
            "entries in the order given and keep the last one of each row."
        ),
        parameters=[
            _query_parameter("cursor", _("The `next_cursor` of your last answer; none to start from the beginning.")),
            _query_parameter(
                "kind", _("Only these kinds (comma-separated): %(kinds)s.") % {"kinds": ", ".join(sorted(KINDS))}
            ),
            _query_parameter(
                "country",
                _(
                    "ISO codes (comma-separated): changes of rows linked to these countries (countries, roadmaps, "
                    "actions, progress updates, practices, indicators, indicator values), before or after the change."
                ),
            ),
            _query_parameter(
                "roadmap",
                _(
                    "Roadmap slug: changes of the roadmap, its actions, their progress updates, indicators and "
                    "indicator values."
                ),
            ),
            _query_parameter(
                "page_size",
                _("Entries per page: default %(default)s, at most %(max)s (a larger value is capped).")
                % {"default": DEFAULT_PAGE_SIZE, "max": MAX_PAGE_SIZE},
                OpenApiTypes.INT,
            ),
        ],
        responses={
            200: ChangePageSerializer,
            400: OpenApiResponse(api_serializers.ErrorSerializer, description=_("A parameter is not valid.")),
            429: OpenApiResponse(api_serializers.ErrorSerializer, description=_("Too many requests: see Retry-After.")),
        },
    )
    def feed(self, request, *args, **kwargs):
        report_date_changes()
        params = request.query_params
        kinds = self._kinds(params.get("kind"))
        filters = {}
        country_ids = roadmap_ids = None
        if params.get("country", "").strip():
            filters["country"] = params["country"]
            codes = [code.upper() for code in split_values(params["country"])]
            country_ids = list(Country.objects.filter(code__in=codes).values_list("id", flat=True))
        if params.get("roadmap", "").strip():
            filters["roadmap"] = params["roadmap"].strip()
            # Not only the visible roadmaps: a roadmap turned internal must still send its removals.
            roadmap_ids = list(Roadmap.objects.filter(slug=filters["roadmap"]).values_list("id", flat=True))
        try:
            page = feed.read(
                params.get("cursor"),
                limit=self._page_size(params.get("page_size")),
                kinds=kinds,
                country_ids=country_ids,
                roadmap_ids=roadmap_ids,
                # Where the rows are read (a replica for API reads when there is one): entries and rows
                # from one database, so no row is read older than the entry that names it.
                using=router.db_for_read(Change),
            )
        except feed.BadCursor:
            raise exceptions.ValidationError(
                {"cursor": [_("Not a cursor of this feed: send back a next_cursor as received, or none.")]}
            ) from None
        return Response(
            {"results": self._results(page.entries, filters), "next_cursor": page.next_cursor, "more": page.more}
        )

    def _kinds(self, value):
        names = split_values(value)
        if not names:
            return None
        unknown = [name for name in names if name not in KINDS]
        if unknown:
            raise exceptions.ValidationError(
                {
                    "kind": [
                        _("Unknown kind: %(kind)s. Known: %(kinds)s.")
                        % {"kind": unknown[0], "kinds": ", ".join(sorted(KINDS))}
                    ]
                }
            )
        return names

    def _page_size(self, value):
        if value in (None, ""):
            return DEFAULT_PAGE_SIZE
        try:
            size = int(value)
        except ValueError:
            size = 0
        if size < 1:
            raise exceptions.ValidationError({"page_size": [_("Give a whole number of at least 1.")]})
        return min(size, MAX_PAGE_SIZE)

    def _results(self, entries, filters):
        """The page's entries, each row once (at its last place: it is read as it is now anyway)."""
        last = {(e.kind, e.object_id): position for position, e in enumerate(entries)}
        wanted = {}
        for kind, object_id in last:
            wanted.setdefault(kind, []).append(object_id)
        rows = {}
        for kind, ids in wanted.items():
            for pk, row in self._rows(kind, ids, filters):
                rows[(kind, pk)] = row
        results = []
        for (kind, object_id), _position in sorted(last.items(), key=lambda item: item[1]):
            row = rows.get((kind, object_id))
            if row is None:
                results.append({"kind": kind, "id": object_id, "op": "remove"})
            else:
                results.append({"kind": kind, "id": object_id, "op": "upsert", "data": row})
        return results

    def _rows(self, kind, ids, filters):
        """(id, row) of the rows of `ids` the caller may see and that match the filters, as that kind's list
        gives them: written as JSON by PostgreSQL unless the kind finishes its rows in Python."""
        view = KINDS[kind]()
        view.request, view.args, view.kwargs, view.format_kwarg, view.action = self.request, (), {}, None, "list"
        queryset = view.get_queryset().filter(pk__in=ids)
        filterset_class = view.filterset_class
        data = {name: value for name, value in filters.items() if name in filterset_class.base_filters}
        if data:
            filterset = filterset_class(data=data, queryset=queryset, request=self.request)
            if not filterset.is_valid():
                raise exceptions.ValidationError(filterset.errors)
            queryset = filterset.qs
        rows = view.rows(queryset.order_by())
        if view.finishes_rows_in_python():
            return [(row.pop(_PK), row) for row in view.finish_rows(list(rows.annotate(**{_PK: F("pk")})))]
        return json_rows_by_pk(rows)
