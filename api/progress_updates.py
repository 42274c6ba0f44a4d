"""`/api/v1/progress-updates/`: the focal points' reports, as the caller may see them.

The row is declared once (api.rows); the reviewer's comment is a column that depends on the caller.
Reports are written through `actions/<id>/progress-updates/` (api.roadmaps_actions).
"""

from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, TextField, Value, When
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status

from accounts import roles
from api import filters
from api.rows import Row, col, updated_at
from api.schema_docs import read_schema
from api.viewsets import ValuesReadOnlyViewSet
from roadmaps.models import ActionStatus, ProgressUpdate, ReviewState


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


def _has_file():
    return ExpressionWrapper(~Q(evidence_file=""), output_field=BooleanField())


PROGRESS_UPDATE_ROW = Row(
    "ProgressUpdateRow",
    "A report on one action by one responsible country.",
    {
        "id": col(serializers.IntegerField()),
        "action_id": col(serializers.IntegerField()),
        "action_code": col(serializers.CharField(), "action__code"),
        "roadmap_slug": col(serializers.CharField(), "action__roadmap__slug"),
        "country_code": col(serializers.CharField(help_text=_("The reporting country (ISO code).")), "country__code"),
        "reporting_date": col(serializers.DateField()),
        "status": col(serializers.ChoiceField(choices=ActionStatus.choices)),
        "percent_complete": col(serializers.IntegerField(min_value=0, max_value=100)),
        "narrative": col(serializers.CharField()),
        "challenges": col(serializers.CharField()),
        "next_steps": col(serializers.CharField()),
        "evidence_url": col(serializers.CharField()),
        "has_evidence_file": col(serializers.BooleanField(), lambda view: _has_file()),
        "review_state": col(serializers.ChoiceField(choices=ReviewState.choices)),
        "reviewed_at": col(serializers.DateTimeField(allow_null=True)),
        "review_comment": col(serializers.CharField(), lambda view: review_comment_column(view.request.user)),
        "created_at": col(serializers.DateTimeField()),
        **updated_at(),
    },
)


@read_schema("progress updates")
class ProgressUpdateViewSet(ValuesReadOnlyViewSet):
    queryset = ProgressUpdate.objects.all()
    row = PROGRESS_UPDATE_ROW
    filterset_class = filters.ProgressUpdateFilter
    lookup_field = "id"
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["id", "reporting_date", "created_at", "updated_at", "percent_complete"]
    ordering = ["-reporting_date", "-id"]
    csv_filename = "progress-updates"
    cache_list_pages = True

    def get_queryset(self):
        return ProgressUpdate.objects.visible_to(self.request.user)

    @staticmethod
    def row_for(pk, request):
        view = ProgressUpdateViewSet(request=request)
        return view.rows(ProgressUpdate.objects.filter(pk=pk)).get()
