"""`/api/v1/roadmaps/` and `/api/v1/actions/`, and the focal points' progress-update write.

Each row is declared once (api.rows): related codes aggregated in SQL, one `.values()` query per page,
from the caller's visible queryset. Conventions: `api.viewsets`.
"""

from django.contrib.postgres.aggregates import JSONBAgg
from django.db.models import BooleanField, Count, ExpressionWrapper, F, JSONField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, JSONObject
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action as view_action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from api import filters
from api import serializers as api_serializers
from api.etags import etag_matches, version_etag
from api.indicator_input import resolve_indicator_values
from api.parsers import BoundedJSONParser
from api.progress_updates import PROGRESS_UPDATE_ROW, PreconditionFailed, ProgressUpdateViewSet
from api.rows import Row, bilingual, codes, codes_array, col, updated_at
from api.schema_docs import read_schema
from api.viewsets import ValuesReadOnlyViewSet
from core.bilingual import LANGUAGE_CODES
from core.errors import ConflictError
from countries.models import Country
from roadmaps import services
from roadmaps.models import (
    Action,
    ActionStatus,
    CountryProgress,
    Roadmap,
    RoadmapStatus,
    Visibility,
    objective_numbers_of_action,
    overdue_q,
)


def _linked(through, code_path: str, key: str = "roadmap_id"):
    """The sorted codes linked to the row through the m2m table `through` (a column source)."""
    return lambda view: codes_array(through.objects.filter(**{key: OuterRef("pk")}), code_path)


def _action_count(view):
    count = Action.objects.filter(roadmap_id=OuterRef("pk")).order_by().values("roadmap_id").annotate(n=Count("pk"))
    return Coalesce(Subquery(count.values("n")), 0)


ROADMAP_ROW = Row(
    "RoadmapRow",
    "A roadmap of a theme.",
    {
        "slug": col(serializers.CharField()),
        **bilingual("title", label=_("Title")),
        **bilingual("description", label=_("Description")),
        "theme_slug": col(serializers.CharField(), "theme__slug"),
        "forum_key": col(serializers.CharField(allow_null=True), "forum__key"),
        "lead_country_code": col(serializers.CharField(), "lead_country__code"),
        "country_codes": codes(
            _("Participating countries (ISO codes)."), _linked(filters.RoadmapCountry, "country__code")
        ),
        "organization_keys": codes(
            _("Supporting organisations (keys)."), _linked(filters.RoadmapOrganization, "organization__key")
        ),
        "objective_numbers": codes(
            _("GCM objectives."),
            _linked(filters.RoadmapObjective, "objective__number"),
            child=serializers.IntegerField(),
        ),
        "principle_codes": codes(
            _("Guiding principles (codes)."), _linked(filters.RoadmapPrinciple, "guidingprinciple__code")
        ),
        "start_date": col(serializers.DateField()),
        "end_date": col(serializers.DateField(allow_null=True)),
        "status": col(serializers.ChoiceField(choices=RoadmapStatus.choices)),
        "visibility": col(serializers.ChoiceField(choices=Visibility.choices)),
        "action_count": col(serializers.IntegerField(help_text=_("Number of actions of the roadmap.")), _action_count),
        **updated_at(),
    },
)


@read_schema("roadmaps")
class RoadmapViewSet(ValuesReadOnlyViewSet):
    queryset = Roadmap.objects.all()
    row = ROADMAP_ROW
    filterset_class = filters.RoadmapFilter
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    ordering_fields = ["slug", "title_en", "title_es", "start_date", "end_date", "status", "updated_at"]
    ordering = ["slug"]
    csv_filename = "roadmaps"
    cache_list_pages = True

    def get_queryset(self):
        return Roadmap.objects.visible_to(self.request.user)


def visible_actions(user):
    """`Action.objects.visible_to(user)`, with the ids of the visible roadmaps (hundreds at most) read
    first and passed as constants.

    Same rows. Measured at 20 000 actions: with `roadmap IN (subquery)` PostgreSQL looped over
    roadmaps × matching actions (≈ 2× slower for `?country=SV&objective=5`); with `= ANY(ARRAY(subquery))`
    it could not estimate the array and skipped the search indexes (10× slower for `?search=`). With
    the ids as constants both plans are right, for one small extra query.
    """
    visible = Roadmap.objects.visible_to(user)
    if not visible.query.where:  # the secretariat sees everything: no filter at all
        return Action.objects.all()
    return Action.objects.filter(roadmap_id__in=list(visible.order_by().values_list("id", flat=True)))


def progress_by_country():
    """[{country, status, percent_complete, update_id, reporting_date}] of the action, by country code."""
    states = (
        CountryProgress.objects.filter(action_id=OuterRef("pk"))
        .order_by()
        .values("action_id")
        .annotate(
            rows=JSONBAgg(
                JSONObject(
                    country=F("country__code"),
                    status=F("status"),
                    percent_complete=F("percent_complete"),
                    update_id=F("update_id"),
                    reporting_date=F("reporting_date"),
                ),
                order_by="country__code",
            )
        )
        .values("rows")
    )
    return Coalesce(Subquery(states, output_field=JSONField()), Value([], output_field=JSONField()))


CountryProgressSerializer = type(
    "CountryProgressSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "One responsible country's current state on an action.",
        "country": serializers.CharField(help_text=_("ISO code of a responsible country.")),
        "status": serializers.ChoiceField(choices=ActionStatus.choices),
        "percent_complete": serializers.IntegerField(min_value=0, max_value=100),
        "update_id": serializers.IntegerField(
            allow_null=True, help_text=_("The approved update it comes from; null: the country has not reported.")
        ),
        "reporting_date": serializers.DateField(allow_null=True),
    },
)


def _roadmap_slug(view):
    # A subquery, not a join: evaluated for the page's rows only, and it keeps the planner's
    # filter-sort-limit plan free of a join over every matching action.
    return Subquery(Roadmap.objects.filter(pk=OuterRef("roadmap_id")).order_by().values("slug"))


ACTION_ROW = Row(
    "ActionRow",
    "One concrete step of a roadmap.",
    {
        "id": col(serializers.IntegerField()),
        "roadmap_slug": col(serializers.CharField(), _roadmap_slug),
        "code": col(serializers.CharField(help_text=_("Short code, unique within its roadmap."))),
        **bilingual("title", label=_("Title")),
        **bilingual("description", label=_("Description")),
        "country_codes": codes(
            _("Responsible countries (ISO codes)."), _linked(filters.ActionCountry, "country__code", "action_id")
        ),
        "organization_keys": codes(
            _("Supporting organisations (keys)."),
            _linked(filters.ActionOrganization, "organization__key", "action_id"),
        ),
        # The action's own objectives, or its roadmap's when it has none (as the model's help says).
        "objective_numbers": codes(
            _("GCM objectives: the action's own, or its roadmap's when it has none."),
            lambda view: objective_numbers_of_action(),
            child=serializers.IntegerField(),
        ),
        "start_date": col(serializers.DateField(allow_null=True)),
        "due_date": col(serializers.DateField(allow_null=True)),
        "indicator": col(serializers.CharField()),
        "baseline": col(serializers.CharField()),
        "target": col(serializers.CharField()),
        "status": col(serializers.ChoiceField(choices=ActionStatus.choices)),
        "percent_complete": col(serializers.IntegerField(min_value=0, max_value=100)),
        "is_overdue": col(
            serializers.BooleanField(help_text=_("Due date passed and neither completed nor cancelled.")),
            lambda view: ExpressionWrapper(overdue_q(), output_field=BooleanField()),
        ),
        "progress_by_country": col(
            CountryProgressSerializer(
                many=True,
                help_text=_(
                    "Each responsible country's own status and percent (its latest approved update). The "
                    "action's `status` and `percent_complete` follow from these by the rule in the README."
                ),
            ),
            lambda view: progress_by_country(),
        ),
        "version": col(serializers.IntegerField(help_text=_("Grows with every change (optimistic locking)."))),
        **updated_at(),
    },
)


@read_schema("actions")
class ActionViewSet(ValuesReadOnlyViewSet):
    queryset = Action.objects.all()
    row = ACTION_ROW
    filterset_class = filters.ActionFilter
    lookup_field = "id"
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["id", "code", "due_date", "start_date", "status", "percent_complete", "updated_at"]
    ordering = ["roadmap_id", "code"]
    csv_filename = "actions"
    cache_list_pages = True

    def get_queryset(self):
        return visible_actions(self.request.user)

    def get_etag(self, row):
        return version_etag(row["id"], row["version"])

    def get_permissions(self):
        if self.action == "progress_updates":
            return [IsAuthenticated()]
        return [AllowAny()]

    def get_parsers(self):
        return [BoundedJSONParser(), MultiPartParser(), FormParser()]

    @extend_schema(
        operation_id="actions_progress_updates_create",
        summary=_("Report progress on an action (focal points)"),
        description=_(
            "Stores a progress update as *submitted* for the secretariat to review, through the same service and "
            "rules as the web form. JSON, or multipart/form-data with an `evidence_file` (PDF, PNG, JPEG, DOCX, "
            "XLSX). Send the action's ETag in `If-Match` to be refused (412) if the action changed since you read "
            "it; a `version` field gives 409 instead."
        ),
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description=_("The action's ETag as you read it: 412 and nothing stored if it changed since."),
            )
        ],
        request={
            "application/json": api_serializers.ProgressUpdateCreateSerializer,
            "multipart/form-data": api_serializers.ProgressUpdateCreateSerializer,
        },
        responses={
            201: PROGRESS_UPDATE_ROW.serializer,
            400: api_serializers.ErrorSerializer,
            401: api_serializers.ErrorSerializer,
            403: api_serializers.ErrorSerializer,
            404: api_serializers.ErrorSerializer,
            409: api_serializers.ConflictSerializer,
            412: api_serializers.ErrorSerializer,
        },
    )
    @view_action(detail=True, methods=["post"], url_path="progress-updates", url_name="progress-updates")
    def progress_updates(self, request, id=None):
        action = get_object_or_404(Action.objects.visible_to(request.user), pk=id)
        # Permission before precondition: a caller who may not report here learns nothing from a 412.
        allowed = services.reporting_countries(user=request.user, action=action)
        if not allowed:
            raise exceptions.PermissionDenied(_("You are not a focal point of a country responsible for this action."))
        if_match = request.headers.get("If-Match")
        if if_match and not etag_matches(
            if_match, [version_etag(action.pk, action.version, c) for c in LANGUAGE_CODES]
        ):
            raise PreconditionFailed()
        data = api_serializers.ProgressUpdateCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        country = self._reporting_country(allowed, values.pop("country", None))
        values["indicator_values"] = resolve_indicator_values(action, values.pop("indicator_values", []))
        expected_version = values.pop("version", None)
        if if_match:
            expected_version = action.version
        try:
            update = services.progress_update_submit(
                action=action, country=country, author=request.user, expected_version=expected_version, **values
            )
        except ConflictError:
            if if_match:
                raise PreconditionFailed() from None
            raise
        row = ProgressUpdateViewSet.row_for(update.pk, request)
        response = Response(row, status=status.HTTP_201_CREATED)
        location = reverse("api:progress-update-detail", kwargs={"id": update.pk})
        response["Location"] = request.build_absolute_uri(location)
        return response

    def _reporting_country(self, allowed, code):
        if code:
            country = Country.objects.filter(code=code.upper()).first()
            if country is None:
                raise exceptions.ValidationError({"country": [_("Unknown country code.")]})
            return country  # the service refuses (403) a country the caller does not serve
        if len(allowed) > 1:
            raise exceptions.ValidationError(
                {"country": [_("You report for several countries: say which one (ISO code).")]}
            )
        return allowed[0]
