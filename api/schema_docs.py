"""What the schema says about the read endpoints: the answers of a list and of a detail.

(`api.schema` holds the post-processing hooks; this module the per-operation descriptions.)
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view

from api import keyset, serializers

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


def read_schema(resource: str, *, list_description=None, detail_description=None):
    """The schema of a list + detail view set (a class decorator): parameters, and every answer it gives
    (200 JSON or CSV, 304, 400, 404, 429), its rows documented by the view set's `row`."""

    def decorate(view_set):
        return extend_schema_view(
            **read_operations(resource, view_set.row.serializer, list_description, detail_description)
        )(view_set)

    return decorate


def read_operations(resource, row_serializer, list_description, detail_description) -> dict:
    if list_description is None:
        list_description = _("List of %(resource)s. %(csv)s") % {"resource": resource, "csv": CSV_DESCRIPTION}
    if detail_description is None:
        detail_description = _("One of the %(resource)s, with an ETag.") % {"resource": resource}
    return {
        "list": extend_schema(
            description=list_description,
            parameters=[FORMAT_PARAMETER, keyset.CURSOR_PARAMETER],
            responses=list_responses(row_serializer),
        ),
        "retrieve": extend_schema(
            description=detail_description,
            parameters=[ETAG_HEADER],
            responses={
                200: row_serializer,
                304: OpenApiResponse(description=_("Not modified.")),
                404: serializers.ErrorSerializer,
                429: OpenApiResponse(serializers.ErrorSerializer, description=_("Too many requests: see Retry-After.")),
            },
        ),
    }
