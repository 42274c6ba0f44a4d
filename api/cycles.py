"""Reporting cycles in the partner API: the cycles, their frozen rows, and compare.

`/api/v1/cycles/` and `/api/v1/cycles/<key>/` (state, dates, completeness); `/api/v1/cycles/<key>/rows/`
(the snapshot frozen at close, filterable, CSV too); `/api/v1/cycles/<key>/compare/?with=<key|live>`.
A snapshot's rows are shown only for roadmaps the caller may see today.
"""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import roles
from api import serializers as api_serializers
from api.filter_types import BaseFilterSet
from api.renderers import ORJSONRenderer
from api.rows import Row, bilingual, codes, col, plain_serializer, updated_at
from api.schema_docs import read_schema
from api.viewsets import API_AUTHENTICATION_CLASSES, ValuesReadOnlyViewSet
from roadmaps import cycle_compare, cycles
from roadmaps.indicator_snapshots import indicator_compare
from roadmaps.models import ActionStatus, CycleState, ReportingCycle, Roadmap, SnapshotRow


def visible_cycles(user):
    return ReportingCycle.objects.visible_to(user)


def completeness_rows(cycle, user) -> list[dict]:
    public = not (roles.is_secretariat(user))
    return [
        {
            "country": row["code"],
            "expected": row["expected"],
            "approved": row["approved"],
            "missing": row["missing"],
            "on_time": row["on_time"],
        }
        for row in cycles.completeness(cycle, public=public)
    ]


def _expected_countries(view):
    expected = ReportingCycle.expected_countries.through.objects.filter(reportingcycle_id=OuterRef("pk"))
    return ArraySubquery(expected.order_by("country__code").values("country__code"))


CYCLE_ROW = Row(
    "CycleRow",
    "A reporting cycle.",
    {
        "key": col(serializers.CharField(help_text=_("The cycle's key, e.g. rr-2025."))),
        **bilingual("title", label=_("Title")),
        "period_start": col(serializers.DateField()),
        "period_end": col(serializers.DateField()),
        "opens_on": col(serializers.DateField()),
        "deadline": col(serializers.DateField()),
        "state": col(serializers.ChoiceField(choices=CycleState.choices)),
        "closed_at": col(
            serializers.DateTimeField(
                allow_null=True, help_text=_("When its snapshot was frozen: cite the snapshot by key and this time.")
            )
        ),
        "expected_country_codes": codes(_("Countries expected to report."), _expected_countries),
        **updated_at(),
    },
)

SNAPSHOT_ROW = Row(
    "SnapshotRow",
    "The frozen state of one (action, country) when the cycle closed.",
    {
        "action_id": col(serializers.IntegerField()),
        "action_code": col(serializers.CharField()),
        **bilingual("action_title", label=_("Action title")),
        "due_date": col(serializers.DateField(allow_null=True)),
        "roadmap_slug": col(serializers.CharField()),
        **bilingual("roadmap_title", label=_("Roadmap title")),
        "objective_numbers": codes(child=serializers.IntegerField()),
        "country_code": col(serializers.CharField()),
        "status": col(serializers.ChoiceField(choices=ActionStatus.choices)),
        "percent_complete": col(serializers.IntegerField(min_value=0, max_value=100)),
        "update_id": col(serializers.IntegerField(allow_null=True)),
        "reporting_date": col(serializers.DateField(allow_null=True)),
        "narrative": col(serializers.CharField()),
        "challenges": col(serializers.CharField()),
    },
)

CycleCompletenessSerializer = plain_serializer(
    "CycleCompletenessSerializer",
    "How far one country has reported for a cycle.",
    {
        "country": serializers.CharField(help_text=_("ISO code of an expected country.")),
        "expected": serializers.IntegerField(help_text=_("Actions the cycle expects a report on.")),
        "approved": serializers.IntegerField(),
        "missing": serializers.IntegerField(
            help_text=_("Expected actions without a report (public: without an approved one).")
        ),
        "on_time": serializers.BooleanField(allow_null=True, help_text=_("Its last report came by the deadline.")),
    },
)

CycleDetailSerializer = plain_serializer(
    "CycleDetailSerializer",
    "A reporting cycle with its completeness figures.",
    {
        **CYCLE_ROW.serializer().get_fields(),
        "completeness": CycleCompletenessSerializer(many=True),
    },
)


class CycleFilter(BaseFilterSet):
    state = filters.ChoiceFilter(choices=CycleState.choices, label=_("Cycle state."))


@read_schema("reporting cycles")
class CycleViewSet(ValuesReadOnlyViewSet):
    queryset = ReportingCycle.objects.all()
    row = CYCLE_ROW
    filterset_class = CycleFilter
    lookup_field = "key"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    ordering_fields = ["key", "period_end", "deadline", "updated_at"]
    ordering = ["-period_end", "key"]
    csv_filename = "cycles"

    def get_queryset(self):
        return visible_cycles(self.request.user)

    def get_etag(self, row):
        return f'"cycle-{row["key"]}-{row["updated_at"].timestamp()}"'

    @extend_schema(responses={200: CycleDetailSerializer, 404: api_serializers.ErrorSerializer})
    def retrieve(self, request, *args, **kwargs):
        row = self.get_row()
        cycle = ReportingCycle.objects.get(key=row["key"])
        row["expected_country_codes"] = [c["country"] for c in completeness_rows(cycle, request.user)]
        row["completeness"] = completeness_rows(cycle, request.user)
        return Response(row)


class SnapshotRowFilter(BaseFilterSet):
    country = filters.CharFilter(method="filter_country", label=_("ISO codes (comma-separated)."))
    objective = filters.NumberFilter(method="filter_objective", label=_("A GCM objective number."))
    roadmap = filters.CharFilter(field_name="roadmap_slug", label=_("Roadmap slug."))

    def filter_country(self, queryset, name, value):
        return queryset.filter(country_code__in=[c.strip().upper() for c in value.split(",") if c.strip()])

    def filter_objective(self, queryset, name, value):
        return queryset.filter(objective_numbers__contains=[int(value)])


@read_schema("the rows of a closed cycle's snapshot")
class SnapshotRowViewSet(ValuesReadOnlyViewSet):
    """`cycles/<key>/rows/`: the frozen rows of the cycle's last close (404 for a cycle never closed)."""

    queryset = SnapshotRow.objects.all()
    row = SNAPSHOT_ROW
    filterset_class = SnapshotRowFilter
    list_only = True
    ordering_fields = ["action_id", "country_code", "percent_complete"]
    ordering = ["country_code", "roadmap_slug", "action_code", "action_id"]
    csv_filename = "cycle-rows"

    def get_queryset(self):
        cycle = get_object_or_404(visible_cycles(self.request.user), key=self.kwargs["cycle_key"])
        if cycle.closed_at is None:
            raise exceptions.NotFound(_("This cycle was never closed: it has no snapshot."))
        visible = Roadmap.objects.visible_to(self.request.user).values("id")
        frozen = SnapshotRow.objects.filter(cycle=cycle, frozen_at=cycle.closed_at)
        return frozen.filter(Q(roadmap_id__in=visible))


CompareRowSerializer = plain_serializer(
    "CompareRowSerializer",
    "One (action, country) in two snapshots (or a snapshot and today).",
    {
        "action_id": serializers.IntegerField(),
        "action_code": serializers.CharField(),
        "roadmap_slug": serializers.CharField(),
        "country_code": serializers.CharField(),
        "change": serializers.ChoiceField(choices=["added", "removed", "changed", "unchanged"]),
        "status_before": serializers.CharField(allow_null=True),
        "status_after": serializers.CharField(allow_null=True),
        "percent_before": serializers.IntegerField(allow_null=True),
        "percent_after": serializers.IntegerField(allow_null=True),
        "percent_delta": serializers.IntegerField(allow_null=True),
        "objective_numbers": serializers.ListField(child=serializers.IntegerField()),
    },
)

CompareChangeCountsSerializer = plain_serializer(
    "CompareChangeCountsSerializer",
    "How many (action, country) rows were added, removed, changed or unchanged.",
    {name: serializers.IntegerField() for name in ("added", "removed", "changed", "unchanged")},
)

CompareCountsSerializer = plain_serializer(
    "CompareCountsSerializer",
    "The changes counted per objective and per country.",
    {
        "by_objective": serializers.DictField(
            child=CompareChangeCountsSerializer(), help_text=_("Keyed by GCM objective number.")
        ),
        "by_country": serializers.DictField(child=CompareChangeCountsSerializer(), help_text=_("Keyed by ISO code.")),
    },
)

CompareSerializer = plain_serializer(
    "CompareSerializer",
    "Two snapshots (or a snapshot and today) compared.",
    {
        "from": serializers.CharField(help_text=_("The cycle compared from.")),
        "to": serializers.CharField(help_text=_("The cycle compared with, or `live`.")),
        "counts": CompareCountsSerializer(),
        "results": CompareRowSerializer(many=True),
    },
)


class CompareView(APIView):
    """`cycles/<key>/compare/?with=<key|live>`: per (action, country) the status and percent before →
    after, added and removed rows, and the counts per objective and per country."""

    authentication_classes = API_AUTHENTICATION_CLASSES
    permission_classes = [AllowAny]
    renderer_classes = [ORJSONRenderer]

    @extend_schema(
        operation_id="cycles_compare",
        parameters=[
            OpenApiParameter(
                "with",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                required=True,
                description=_("The key of another closed cycle, or `live` for today's state."),
            )
        ],
        responses={
            200: CompareSerializer,
            400: api_serializers.ErrorSerializer,
            404: api_serializers.ErrorSerializer,
            429: api_serializers.ErrorSerializer,
        },
    )
    def get(self, request, key):
        before = get_object_or_404(visible_cycles(request.user), key=key)
        other = request.query_params.get("with", "")
        if before.closed_at is None:
            raise exceptions.ValidationError({"key": [_("This cycle was never closed: it has no snapshot.")]})
        after = None
        if other != "live":
            after = visible_cycles(request.user).filter(key=other, closed_at__isnull=False).first()
            if after is None:
                raise exceptions.ValidationError(
                    {"with": [_("Give the key of another closed cycle, or “live” for today's state.")]}
                )
        roadmap_ids = list(Roadmap.objects.visible_to(request.user).values_list("id", flat=True))
        rows = cycle_compare.compare_cycles(before, after, roadmap_ids)
        return Response(
            {
                "from": before.key,
                "to": after.key if after else "live",
                "counts": cycle_compare.compare_counts(rows),
                "results": rows,
                "indicators": indicator_compare(before, after, roadmap_ids),
            }
        )
