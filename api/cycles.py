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
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import roles
from api import serializers
from api.base import API_AUTHENTICATION_CLASSES, BaseFilterSet, ORJSONRenderer, ValuesReadOnlyViewSet, bilingual
from api.views import read_schema
from roadmaps import cycles
from roadmaps.indicator_snapshots import indicator_compare
from roadmaps.models import CycleState, ReportingCycle, Roadmap, SnapshotRow


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


class CycleFilter(BaseFilterSet):
    state = filters.ChoiceFilter(choices=CycleState.choices, label=_("Cycle state."))


@read_schema("reporting cycles", serializers.CycleRowSerializer)
class CycleViewSet(ValuesReadOnlyViewSet):
    queryset = ReportingCycle.objects.all()
    serializer_class = serializers.CycleRowSerializer
    filterset_class = CycleFilter
    lookup_field = "key"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    ordering_fields = ["key", "period_end", "deadline", "updated_at"]
    ordering = ["-period_end", "key"]
    csv_filename = "cycles"

    def get_queryset(self):
        return visible_cycles(self.request.user)

    def get_columns(self):
        expected = ReportingCycle.expected_countries.through.objects.filter(reportingcycle_id=OuterRef("pk"))
        return {
            "key": "key",
            **bilingual("title"),
            "period_start": "period_start",
            "period_end": "period_end",
            "opens_on": "opens_on",
            "deadline": "deadline",
            "state": "state",
            "closed_at": "closed_at",
            "expected_country_codes": ArraySubquery(expected.order_by("country__code").values("country__code")),
            "updated_at": "updated_at",
        }

    def get_etag(self, row):
        return f'"cycle-{row["key"]}-{row["updated_at"].timestamp()}"'

    @extend_schema(responses={200: serializers.CycleDetailSerializer, 404: serializers.ErrorSerializer})
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


@read_schema("the rows of a closed cycle's snapshot", serializers.SnapshotRowSerializer)
class SnapshotRowViewSet(ValuesReadOnlyViewSet):
    """`cycles/<key>/rows/`: the frozen rows of the cycle's last close (404 for a cycle never closed)."""

    queryset = SnapshotRow.objects.all()
    serializer_class = serializers.SnapshotRowSerializer
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

    def get_columns(self):
        return {
            "action_id": "action_id",
            "action_code": "action_code",
            **bilingual("action_title"),
            "due_date": "due_date",
            "roadmap_slug": "roadmap_slug",
            **bilingual("roadmap_title"),
            "objective_numbers": "objective_numbers",
            "country_code": "country_code",
            "status": "status",
            "percent_complete": "percent_complete",
            "update_id": "update_id",
            "reporting_date": "reporting_date",
            "narrative": "narrative",
            "challenges": "challenges",
        }


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
            200: serializers.CompareSerializer,
            400: serializers.ErrorSerializer,
            404: serializers.ErrorSerializer,
            429: serializers.ErrorSerializer,
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
        rows = cycles.compare(cycles.states_of(before, roadmap_ids), cycles.states_of(after, roadmap_ids))
        return Response(
            {
                "from": before.key,
                "to": after.key if after else "live",
                "counts": cycles.compare_counts(rows),
                "results": rows,
                "indicators": indicator_compare(before, after, roadmap_ids),
            }
        )
