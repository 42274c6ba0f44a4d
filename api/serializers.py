"""Serializers of the partner API's writes and errors.

Input serializers translate a write request for a service; they check shape only, the service checks
the rules. The rows the reads return are declared in `api.rows` (one description: columns and schema).
"""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from roadmaps.models import ActionStatus, ReportingCycle


class IndicatorValueInputSerializer(serializers.Serializer):
    """One indicator value reported with a progress update."""

    indicator = serializers.CharField(max_length=20, help_text=_("The indicator's code (e.g. I1) or id."))
    value = serializers.DecimalField(max_digits=16, decimal_places=2)
    disaggregation = serializers.DictField(
        child=serializers.DictField(child=serializers.DecimalField(max_digits=16, decimal_places=2)),
        required=False,
        default=dict,
        help_text=_("{dimension: {category: value}}; each dimension's values add up to the value."),
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    evidence_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")


class ProgressUpdateCreateSerializer(serializers.Serializer):
    """A focal point's report on an action (JSON, or multipart with an evidence file)."""

    country = serializers.CharField(
        required=False,
        max_length=2,
        help_text=_("ISO code of the reporting country; may be left out when you report for one country only."),
    )
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    percent_complete = serializers.IntegerField(min_value=0, max_value=100)
    # Required and not blank, as the schema says: at least one character that is not a space.
    narrative = serializers.CharField(max_length=10000, min_length=1, validators=[RegexValidator(r"\S")])
    challenges = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    next_steps = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    evidence_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    evidence_file = serializers.FileField(required=False, allow_null=True, default=None)
    reporting_date = serializers.DateField(required=False, allow_null=True, default=None)
    cycle = serializers.SlugRelatedField(
        slug_field="key",
        queryset=ReportingCycle.objects.open(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Key of the open reporting cycle the report answers. Default: the open cycle covering its date."),
        error_messages={"does_not_exist": _("No open reporting cycle has the key “{value}”.")},
    )
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The action's version you read; if it changed since, the answer is 409 and nothing is stored."),
    )
    indicator_values = IndicatorValueInputSerializer(
        many=True,
        required=False,
        default=list,
        help_text=_("Values of the action's indicators for the cycle (JSON requests)."),
    )


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    current = serializers.DictField(allow_null=True, help_text=_("The record as it is now: id, version, etag."))


# A field's messages, or, for a list of items (`indicator_values`), position → field → messages.
MESSAGES_SCHEMA = {"type": "array", "items": {"type": "string"}}
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "oneOf": [MESSAGES_SCHEMA, {"type": "object", "additionalProperties": {"type": "object"}}]
    },
}


@extend_schema_field(FIELD_ERRORS_SCHEMA)
class FieldErrorsField(serializers.DictField):
    pass


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = FieldErrorsField(
        required=False,
        help_text=_(
            "Field name → messages (400 only); for a list of items, position → field → messages (`indicator_values`)."
        ),
    )
