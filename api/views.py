"""Read endpoints of the partner API, and the focal points' progress-update write.

Each view set declares its columns (one `.values()` query per page, related codes aggregated in SQL)
and starts from the caller's visible queryset. Conventions: `api.base`.
"""

from django.contrib.postgres.aggregates import JSONBAgg
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    JSONField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, JSONObject
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action as view_action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from accounts import roles
from api import filters, keyset, serializers
from api.base import (
    ValuesReadOnlyViewSet,
    bilingual,
    codes_array,
    etag_matches,
    version_etag,
)
from api.indicator_input import resolve_indicator_values
from api.parsers import BoundedJSONParser
from config.bilingual import LANGUAGE_CODES
from config.errors import ConflictError
from countries.models import Country
from gcm.models import Forum, GuidingPrinciple, Objective, Organization
from roadmaps import services
from roadmaps.models import (
    Action,
    CountryProgress,
    ProgressUpdate,
    Roadmap,
    Theme,
    objective_numbers_of_action,
    overdue_q,
)

ETAG_HEADER = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=_("An ETag from an earlier answer: 304 Not Modified when the row has not changed."),
)
FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["json", "csv"],
    description=_("`csv`: the whole filtered list as CSV (streamed, not paginated). Default: JSON."),
)
CSV_DESCRIPTION = _("Add `format=csv` for the whole filtered list as CSV (streamed; lists of codes joined with `;`).")


def list_responses(row_serializer, *, paginated=True) -> dict:
    """The answers of a list: rows as JSON or CSV, 400 for a bad filter, 404 past the last page
    (when `paginated`), 429 over the rate."""
    responses = {
        (200, "application/json"): row_serializer(many=True),
        (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description=_("CSV, with format=csv.")),
        (400, "application/json"): OpenApiResponse(
            serializers.ErrorSerializer, description=_("A filter value is not valid.")
        ),
        (429, "application/json"): OpenApiResponse(
            serializers.ErrorSerializer, description=_("Too many requests: see Retry-After.")
        ),
    }
    if paginated:
        responses[(404, "application/json")] = OpenApiResponse(
            serializers.ErrorSerializer, description=_("A page past the last one.")
        )
    return responses


def read_schema(resource: str, row_serializer, *, list_description=None, detail_description=None):
    """The schema of a list + detail view set: parameters, and every answer it gives (200 JSON or CSV,
    304, 400, 404, 429)."""
    if list_description is None:
        list_description = _("List of %(resource)s. %(csv)s") % {"resource": resource, "csv": CSV_DESCRIPTION}
    if detail_description is None:
        detail_description = _("One of the %(resource)s, with an ETag.") % {"resource": resource}
    return extend_schema_view(
        list=extend_schema(
            description=list_description,
            parameters=[FORMAT_PARAMETER, keyset.CURSOR_PARAMETER],
            responses=list_responses(row_serializer),
        ),
        retrieve=extend_schema(
            description=detail_description,
            parameters=[ETAG_HEADER],
            responses={
                200: row_serializer,
                304: OpenApiResponse(description=_("Not modified.")),
                404: serializers.ErrorSerializer,
                429: OpenApiResponse(serializers.ErrorSerializer, description=_("Too many requests: see Retry-After.")),
            },
        ),
    )


@read_schema("countries", serializers.CountryRowSerializer)
class CountryViewSet(ValuesReadOnlyViewSet):
    queryset = Country.objects.all()
    serializer_class = serializers.CountryRowSerializer
    filterset_class = filters.CountryFilter
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"
    lookup_upper = True
    ordering_fields = ["code", "name_en", "name_es", "subregion", "updated_at"]
    ordering = ["code"]
    csv_filename = "countries"

    def get_columns(self):
        return {
            "code": "code",
            "alpha3": "alpha3",
            **bilingual("name"),
            "subregion": "subregion",
            "rcm_status": "rcm_status",
            "is_gcm_champion": "is_gcm_champion",
            "champion_since": "champion_since",
            "gcm_vote": "gcm_vote",
            "updated_at": "updated_at",
        }


@read_schema("GCM objectives", serializers.ObjectiveRowSerializer)
class ObjectiveViewSet(ValuesReadOnlyViewSet):
    queryset = Objective.objects.all()
    serializer_class = serializers.ObjectiveRowSerializer
    filterset_class = filters.ObjectiveFilter
    lookup_field = "number"
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["number", "updated_at"]
    ordering = ["number"]
    csv_filename = "objectives"

    def get_columns(self):
        return {
            "number": "number",
            **bilingual("title"),
            **bilingual("short_title"),
            **bilingual("description"),
            "updated_at": "updated_at",
        }


@read_schema("guiding principles", serializers.PrincipleRowSerializer)
class PrincipleViewSet(ValuesReadOnlyViewSet):
    queryset = GuidingPrinciple.objects.all()
    serializer_class = serializers.PrincipleRowSerializer
    filterset_class = filters.PrincipleFilter
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    ordering_fields = ["letter", "code", "updated_at"]
    ordering = ["letter"]
    csv_filename = "principles"

    def get_columns(self):
        return {
            "code": "code",
            "letter": "letter",
            **bilingual("name"),
            **bilingual("description"),
            "updated_at": "updated_at",
        }


@read_schema("organisations", serializers.OrganizationRowSerializer)
class OrganizationViewSet(ValuesReadOnlyViewSet):
    queryset = Organization.objects.all()
    serializer_class = serializers.OrganizationRowSerializer
    filterset_class = filters.OrganizationFilter
    lookup_field = "key"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    ordering_fields = ["key", "acronym_en", "acronym_es", "kind", "updated_at"]
    ordering = ["key"]
    csv_filename = "organizations"

    def get_columns(self):
        return {
            "key": "key",
            **bilingual("name"),
            **bilingual("acronym"),
            "kind": "kind",
            "website": "website",
            "is_un_network_member": "is_un_network_member",
            "updated_at": "updated_at",
        }


@read_schema("forums", serializers.ForumRowSerializer)
class ForumViewSet(ValuesReadOnlyViewSet):
    queryset = Forum.objects.all()
    serializer_class = serializers.ForumRowSerializer
    filterset_class = filters.ForumFilter
    lookup_field = "key"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    ordering_fields = ["key", "start_date", "updated_at"]
    ordering = ["start_date", "key"]
    csv_filename = "forums"

    def get_columns(self):
        return {
            "key": "key",
            **bilingual("name"),
            "kind": "kind",
            "host_country_code": F("host_country__code"),
            "city": "city",
            "start_date": "start_date",
            "end_date": "end_date",
            "updated_at": "updated_at",
        }


@read_schema("themes", serializers.ThemeRowSerializer)
class ThemeViewSet(ValuesReadOnlyViewSet):
    queryset = Theme.objects.all()
    serializer_class = serializers.ThemeRowSerializer
    filterset_class = filters.ThemeFilter
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    ordering_fields = ["slug", "title_en", "title_es", "updated_at"]
    ordering = ["slug"]
    csv_filename = "themes"

    def get_columns(self):
        return {
            "slug": "slug",
            **bilingual("title"),
            **bilingual("description"),
            "forum_key": F("forum__key"),
            "updated_at": "updated_at",
        }


@read_schema("roadmaps", serializers.RoadmapRowSerializer)
class RoadmapViewSet(ValuesReadOnlyViewSet):
    queryset = Roadmap.objects.all()
    serializer_class = serializers.RoadmapRowSerializer
    filterset_class = filters.RoadmapFilter
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    ordering_fields = ["slug", "title_en", "title_es", "start_date", "end_date", "status", "updated_at"]
    ordering = ["slug"]
    csv_filename = "roadmaps"
    cache_list_pages = True

    def get_queryset(self):
        return Roadmap.objects.visible_to(self.request.user)

    def get_columns(self):
        action_count = (
            Action.objects.filter(roadmap_id=OuterRef("pk"))
            .order_by()
            .values("roadmap_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return {
            "slug": "slug",
            **bilingual("title"),
            **bilingual("description"),
            "theme_slug": F("theme__slug"),
            "forum_key": F("forum__key"),
            "lead_country_code": F("lead_country__code"),
            "country_codes": codes_array(
                filters.RoadmapCountry.objects.filter(roadmap_id=OuterRef("pk")), "country__code"
            ),
            "organization_keys": codes_array(
                filters.RoadmapOrganization.objects.filter(roadmap_id=OuterRef("pk")), "organization__key"
            ),
            "objective_numbers": codes_array(
                filters.RoadmapObjective.objects.filter(roadmap_id=OuterRef("pk")), "objective__number"
            ),
            "principle_codes": codes_array(
                filters.RoadmapPrinciple.objects.filter(roadmap_id=OuterRef("pk")), "guidingprinciple__code"
            ),
            "start_date": "start_date",
            "end_date": "end_date",
            "status": "status",
            "visibility": "visibility",
            "action_count": Coalesce(Subquery(action_count), 0),
            "updated_at": "updated_at",
        }


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


def action_columns():
    return {
        "id": "id",
        # A subquery, not a join: evaluated for the page's rows only, and it keeps the planner's
        # filter-sort-limit plan free of a join over every matching action.
        "roadmap_slug": Subquery(Roadmap.objects.filter(pk=OuterRef("roadmap_id")).order_by().values("slug")),
        "code": "code",
        **bilingual("title"),
        **bilingual("description"),
        "country_codes": codes_array(filters.ActionCountry.objects.filter(action_id=OuterRef("pk")), "country__code"),
        "organization_keys": codes_array(
            filters.ActionOrganization.objects.filter(action_id=OuterRef("pk")), "organization__key"
        ),
        # The action's own objectives, or its roadmap's when it has none (as the model's help says).
        "objective_numbers": objective_numbers_of_action(),
        "start_date": "start_date",
        "due_date": "due_date",
        "indicator": "indicator",
        "baseline": "baseline",
        "target": "target",
        "status": "status",
        "percent_complete": "percent_complete",
        "is_overdue": _is_overdue(),
        "progress_by_country": progress_by_country(),
        "version": "version",
        "updated_at": "updated_at",
    }


def _is_overdue():
    return ExpressionWrapper(overdue_q(), output_field=BooleanField())


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


@read_schema("actions", serializers.ActionRowSerializer)
class ActionViewSet(ValuesReadOnlyViewSet):
    queryset = Action.objects.all()
    serializer_class = serializers.ActionRowSerializer
    filterset_class = filters.ActionFilter
    lookup_field = "id"
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["id", "code", "due_date", "start_date", "status", "percent_complete", "updated_at"]
    ordering = ["roadmap_id", "code"]
    csv_filename = "actions"
    cache_list_pages = True

    def get_queryset(self):
        return visible_actions(self.request.user)

    def get_columns(self):
        return action_columns()

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
            "application/json": serializers.ProgressUpdateCreateSerializer,
            "multipart/form-data": serializers.ProgressUpdateCreateSerializer,
        },
        responses={
            201: serializers.ProgressUpdateRowSerializer,
            400: serializers.ErrorSerializer,
            401: serializers.ErrorSerializer,
            403: serializers.ErrorSerializer,
            404: serializers.ErrorSerializer,
            409: serializers.ConflictSerializer,
            412: serializers.ErrorSerializer,
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
        data = serializers.ProgressUpdateCreateSerializer(data=request.data)
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


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The action changed since you read it (If-Match does not match its ETag). Nothing was stored.")
    default_code = "precondition_failed"


def review_comment_column(user):
    """The reviewer's comment is addressed to the reporting country's focal points: only they and the
    secretariat read it; everyone else gets "" (the key stays, so the row's shape does not depend on
    who asks). The list-page cache stays right: its key holds the visibility SQL, which names the
    caller's focal countries."""
    if roles.is_secretariat(user):
        return "review_comment"
    country_ids = roles.focal_country_ids(user)
    if not country_ids:
        return Value("", output_field=TextField())
    return Case(
        When(country_id__in=sorted(country_ids), then=F("review_comment")),
        default=Value(""),
        output_field=TextField(),
    )


def progress_update_columns(user):
    return {
        "id": "id",
        "action_id": "action_id",
        "action_code": F("action__code"),
        "roadmap_slug": F("action__roadmap__slug"),
        "country_code": F("country__code"),
        "reporting_date": "reporting_date",
        "status": "status",
        "percent_complete": "percent_complete",
        "narrative": "narrative",
        "challenges": "challenges",
        "next_steps": "next_steps",
        "evidence_url": "evidence_url",
        "has_evidence_file": _has_file(),
        "review_state": "review_state",
        "reviewed_at": "reviewed_at",
        "review_comment": review_comment_column(user),
        "created_at": "created_at",
        "updated_at": "updated_at",
    }


def _has_file():
    return ExpressionWrapper(~Q(evidence_file=""), output_field=BooleanField())


@read_schema("progress updates", serializers.ProgressUpdateRowSerializer)
class ProgressUpdateViewSet(ValuesReadOnlyViewSet):
    queryset = ProgressUpdate.objects.all()
    serializer_class = serializers.ProgressUpdateRowSerializer
    filterset_class = filters.ProgressUpdateFilter
    lookup_field = "id"
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["id", "reporting_date", "created_at", "updated_at", "percent_complete"]
    ordering = ["-reporting_date", "-id"]
    csv_filename = "progress-updates"
    cache_list_pages = True

    def get_queryset(self):
        return ProgressUpdate.objects.visible_to(self.request.user)

    def get_columns(self):
        return progress_update_columns(self.request.user)

    @staticmethod
    def row_for(pk, request):
        view = ProgressUpdateViewSet(request=request)
        return view.rows(ProgressUpdate.objects.filter(pk=pk)).get()
