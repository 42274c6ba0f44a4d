"""Serializers of the partner API.

Row serializers (`*RowSerializer`) document the rows the read endpoints return (the views build those
rows in SQL with `.values()`, see `api.base`); their fields must equal the keys of the view's
`get_columns()` — the tests check it against real responses. Input serializers translate a write
request for a service; they check shape only, the service checks the rules.
"""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from countries.models import GcmVote, RcmStatus, Subregion
from gcm.models import ForumKind, OrganizationKind
from roadmaps.models import ActionStatus, CycleState, ReportingCycle, ReviewState, RoadmapStatus, Visibility


def bilingual_fields(base: str, *, label: str, allow_blank: bool = False) -> dict:
    return {
        f"{base}_en": serializers.CharField(help_text=_("%(label)s in English.") % {"label": label}),
        f"{base}_es": serializers.CharField(help_text=_("%(label)s in Spanish.") % {"label": label}),
        base: serializers.CharField(
            help_text=_("%(label)s in the language asked for with Accept-Language (falls back to the other).")
            % {"label": label}
        ),
    }


def codes(help_text):
    return serializers.ListField(child=serializers.CharField(), help_text=help_text)


UPDATED_AT_HELP = _("When the row last changed (use with updated_since for incremental sync).")


def _row(name: str, fields: dict, doc: str):
    """A read-only serializer class built from a dict of fields (keeps the declarations compact)."""
    attrs = dict(fields)
    attrs["__doc__"] = doc
    attrs["__module__"] = __name__
    return type(name, (serializers.Serializer,), attrs)


CountryRowSerializer = _row(
    "CountryRowSerializer",
    {
        "code": serializers.CharField(help_text=_("ISO 3166-1 alpha-2 code.")),
        "alpha3": serializers.CharField(help_text=_("ISO 3166-1 alpha-3 code.")),
        **bilingual_fields("name", label=_("Name")),
        "subregion": serializers.ChoiceField(choices=Subregion.choices),
        "rcm_status": serializers.ChoiceField(choices=RcmStatus.choices),
        "is_gcm_champion": serializers.BooleanField(),
        "champion_since": serializers.IntegerField(allow_null=True),
        "gcm_vote": serializers.ChoiceField(choices=GcmVote.choices),
        "updated_at": serializers.DateTimeField(help_text=UPDATED_AT_HELP),
    },
    "A country.",
)

ObjectiveRowSerializer = _row(
    "ObjectiveRowSerializer",
    {
        "number": serializers.IntegerField(help_text=_("Objective number, 1 to 23.")),
        **bilingual_fields("title", label=_("Title")),
        **bilingual_fields("short_title", label=_("Short title")),
        **bilingual_fields("description", label=_("Description")),
        "updated_at": serializers.DateTimeField(help_text=UPDATED_AT_HELP),
    },
    "One of the 23 GCM objectives.",
)

PrincipleRowSerializer = _row(
    "PrincipleRowSerializer",
    {
        "code": serializers.CharField(),
        "letter": serializers.CharField(help_text=_("Letter in paragraph 15 of A/RES/73/195.")),
        **bilingual_fields("name", label=_("Name")),
        **bilingual_fields("description", label=_("Description")),
        "updated_at": serializers.DateTimeField(help_text=UPDATED_AT_HELP),
    },
    "One of the 10 GCM guiding principles.",
)

OrganizationRowSerializer = _row(
    "OrganizationRowSerializer",
    {
        "key": serializers.CharField(),
        **bilingual_fields("name", label=_("Name")),
        **bilingual_fields("acronym", label=_("Acronym")),
        "kind": serializers.ChoiceField(choices=OrganizationKind.choices),
        "website": serializers.CharField(),
        "is_un_network_member": serializers.BooleanField(),
        "updated_at": serializers.DateTimeField(help_text=UPDATED_AT_HELP),
    },
    "A supporting organisation.",
)

ForumRowSerializer = _row(
    "ForumRowSerializer",
    {
        "key": serializers.CharField(),
        **bilingual_fields("name", label=_("Name")),
        "kind": serializers.ChoiceField(choices=ForumKind.choices),
        "host_country_code": serializers.CharField(allow_null=True),
        "city": serializers.CharField(),
        "start_date": serializers.DateField(allow_null=True),
        "end_date": serializers.DateField(allow_null=True),
        "updated_at": serializers.DateTimeField(help_text=UPDATED_AT_HELP),
    },
    "A forum where priorities or roadmaps were set.",
)

ThemeRowSerializer = _row(
    "ThemeRowSerializer",
    {
        "slug": serializers.CharField(),
        **bilingual_fields("title", label=_("Title")),
        **bilingual_fields("description", label=_("Description")),
        "forum_key": serializers.CharField(allow_null=True),
        "updated_at": serializers.DateTimeField(help_text=UPDATED_AT_HELP),
    },
    "An RCM priority theme.",
)

RoadmapRowSerializer = _row(
    "RoadmapRowSerializer",
    {
        "slug": serializers.CharField(),
        **bilingual_fields("title", label=_("Title")),
        **bilingual_fields("description", label=_("Description")),
        "theme_slug": serializers.CharField(),
        "forum_key": serializers.CharField(allow_null=True),
        "lead_country_code": serializers.CharField(),
        "country_codes": codes(_("Participating countries (ISO codes).")),
        "organization_keys": codes(_("Supporting organisations (keys).")),
        "objective_numbers": serializers.ListField(child=serializers.IntegerField(), help_text=_("GCM objectives.")),
        "principle_codes": codes(_("Guiding principles (codes).")),
        "start_date": serializers.DateField(),
        "end_date": serializers.DateField(allow_null=True),
        "status": serializers.ChoiceField(choices=RoadmapStatus.choices),
        "visibility": serializers.ChoiceField(choices=Visibility.choices),
        "action_count": serializers.IntegerField(help_text=_("Number of actions of the roadmap.")),
        "updated_at": serializers.DateTimeField(help_text=UPDATED_AT_HELP),
    },
    "A roadmap of a theme.",
)

CountryProgressSerializer = _row(
    "CountryProgressSerializer",
    {
        "country": serializers.CharField(help_text=_("ISO code of a responsible country.")),
        "status": serializers.ChoiceField(choices=ActionStatus.choices),
        "percent_complete": serializers.IntegerField(min_value=0, max_value=100),
        "update_id": serializers.IntegerField(
            allow_null=True, help_text=_("The approved update it comes from; null: the country has not reported.")
        ),
        "reporting_date": serializers.DateField(allow_null=True),
    },
    "One responsible country's current state on an action.",
)

ActionRowSerializer = _row(
    "ActionRowSerializer",
    {
        "id": serializers.IntegerField(),
        "roadmap_slug": serializers.CharField(),
        "code": serializers.CharField(help_text=_("Short code, unique within its roadmap.")),
        **bilingual_fields("title", label=_("Title")),
        **bilingual_fields("description", label=_("Description")),
        "country_codes": codes(_("Responsible countries (ISO codes).")),
        "organization_keys": codes(_("Supporting organisations (keys).")),
        "objective_numbers": serializers.ListField(
            child=serializers.IntegerField(),
            help_text=_("GCM objectives: the action's own, or its roadmap's when it has none."),
        ),
        "start_date": serializers.DateField(allow_null=True),
        "due_date": serializers.DateField(allow_null=True),
        "indicator": serializers.CharField(),
        "baseline": serializers.CharField(),
        "target": serializers.CharField(),
        "status": serializers.ChoiceField(choices=ActionStatus.choices),
        "percent_complete": serializers.IntegerField(min_value=0, max_value=100),
        "is_overdue": serializers.BooleanField(help_text=_("Due date passed and neither completed nor cancelled.")),
        "progress_by_country": CountryProgressSerializer(
            many=True,
            help_text=_(
                "Each responsible country's own status and percent (its latest approved update). The action's "
                "`status` and `percent_complete` follow from these by the rule in the README."
            ),
        ),
        "version": serializers.IntegerField(help_text=_("Grows with every change (optimistic locking).")),
        "updated_at": serializers.DateTimeField(help_text=UPDATED_AT_HELP),
    },
    "One concrete step of a roadmap.",
)

ProgressUpdateRowSerializer = _row(
    "ProgressUpdateRowSerializer",
    {
        "id": serializers.IntegerField(),
        "action_id": serializers.IntegerField(),
        "action_code": serializers.CharField(),
        "roadmap_slug": serializers.CharField(),
        "country_code": serializers.CharField(help_text=_("The reporting country (ISO code).")),
        "reporting_date": serializers.DateField(),
        "status": serializers.ChoiceField(choices=ActionStatus.choices),
        "percent_complete": serializers.IntegerField(min_value=0, max_value=100),
        "narrative": serializers.CharField(),
        "challenges": serializers.CharField(),
        "next_steps": serializers.CharField(),
        "evidence_url": serializers.CharField(),
        "has_evidence_file": serializers.BooleanField(),
        "review_state": serializers.ChoiceField(choices=ReviewState.choices),
        "reviewed_at": serializers.DateTimeField(allow_null=True),
        "review_comment": serializers.CharField(),
        "created_at": serializers.DateTimeField(),
        "updated_at": serializers.DateTimeField(help_text=UPDATED_AT_HELP),
    },
    "A report on one action by one responsible country.",
)

ObjectiveStatsSerializer = _row(
    "ObjectiveStatsSerializer",
    {
        "number": serializers.IntegerField(),
        **bilingual_fields("short_title", label=_("Short title")),
        "actions": serializers.IntegerField(help_text=_("Visible actions serving the objective.")),
        "completed": serializers.IntegerField(help_text=_("Of those, completed.")),
        "overdue": serializers.IntegerField(help_text=_("Of those, overdue.")),
        "mean_percent": serializers.FloatField(allow_null=True, help_text=_("Mean percent complete (null: none).")),
        "countries_involved": serializers.IntegerField(help_text=_("Distinct countries responsible for them.")),
    },
    "Progress toward one GCM objective, over the actions the caller may see.",
)

CountryStatsSerializer = _row(
    "CountryStatsSerializer",
    {
        "code": serializers.CharField(),
        **bilingual_fields("name", label=_("Name")),
        "actions": serializers.IntegerField(help_text=_("Visible actions the country is responsible for.")),
        "completed": serializers.IntegerField(help_text=_("Of those, completed.")),
        "overdue": serializers.IntegerField(help_text=_("Of those, overdue.")),
        "mean_percent": serializers.FloatField(allow_null=True, help_text=_("Mean percent complete (null: none).")),
        "objectives_involved": serializers.IntegerField(help_text=_("Distinct GCM objectives those actions serve.")),
        "roadmaps": serializers.IntegerField(help_text=_("Distinct roadmaps those actions belong to.")),
    },
    "Progress of one country, over the actions the caller may see.",
)


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


# --- Reporting cycles ------------------------------------------------------------------------------

CycleRowSerializer = _row(
    "CycleRowSerializer",
    {
        "key": serializers.CharField(help_text=_("The cycle's key, e.g. rr-2025.")),
        **bilingual_fields("title", label=_("Title")),
        "period_start": serializers.DateField(),
        "period_end": serializers.DateField(),
        "opens_on": serializers.DateField(),
        "deadline": serializers.DateField(),
        "state": serializers.ChoiceField(choices=CycleState.choices),
        "closed_at": serializers.DateTimeField(
            allow_null=True, help_text=_("When its snapshot was frozen: cite the snapshot by key and this time.")
        ),
        "expected_country_codes": codes(_("Countries expected to report.")),
        "updated_at": serializers.DateTimeField(help_text=UPDATED_AT_HELP),
    },
    "A reporting cycle.",
)

CycleCompletenessSerializer = _row(
    "CycleCompletenessSerializer",
    {
        "country": serializers.CharField(help_text=_("ISO code of an expected country.")),
        "expected": serializers.IntegerField(help_text=_("Actions the cycle expects a report on.")),
        "approved": serializers.IntegerField(),
        "missing": serializers.IntegerField(
            help_text=_("Expected actions without a report (public: without an approved one).")
        ),
        "on_time": serializers.BooleanField(allow_null=True, help_text=_("Its last report came by the deadline.")),
    },
    "How far one country has reported for a cycle.",
)

CycleDetailSerializer = _row(
    "CycleDetailSerializer",
    {
        **CycleRowSerializer().get_fields(),
        "completeness": CycleCompletenessSerializer(many=True),
    },
    "A reporting cycle with its completeness figures.",
)

SnapshotRowSerializer = _row(
    "SnapshotRowSerializer",
    {
        "action_id": serializers.IntegerField(),
        "action_code": serializers.CharField(),
        **bilingual_fields("action_title", label=_("Action title")),
        "due_date": serializers.DateField(allow_null=True),
        "roadmap_slug": serializers.CharField(),
        **bilingual_fields("roadmap_title", label=_("Roadmap title")),
        "objective_numbers": serializers.ListField(child=serializers.IntegerField()),
        "country_code": serializers.CharField(),
        "status": serializers.ChoiceField(choices=ActionStatus.choices),
        "percent_complete": serializers.IntegerField(min_value=0, max_value=100),
        "update_id": serializers.IntegerField(allow_null=True),
        "reporting_date": serializers.DateField(allow_null=True),
        "narrative": serializers.CharField(),
        "challenges": serializers.CharField(),
    },
    "The frozen state of one (action, country) when the cycle closed.",
)

CompareRowSerializer = _row(
    "CompareRowSerializer",
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
    "One (action, country) in two snapshots (or a snapshot and today).",
)

CompareChangeCountsSerializer = _row(
    "CompareChangeCountsSerializer",
    {name: serializers.IntegerField() for name in ("added", "removed", "changed", "unchanged")},
    "How many (action, country) rows were added, removed, changed or unchanged.",
)

CompareCountsSerializer = _row(
    "CompareCountsSerializer",
    {
        "by_objective": serializers.DictField(
            child=CompareChangeCountsSerializer(), help_text=_("Keyed by GCM objective number.")
        ),
        "by_country": serializers.DictField(child=CompareChangeCountsSerializer(), help_text=_("Keyed by ISO code.")),
    },
    "The changes counted per objective and per country.",
)

CompareSerializer = _row(
    "CompareSerializer",
    {
        "from": serializers.CharField(help_text=_("The cycle compared from.")),
        "to": serializers.CharField(help_text=_("The cycle compared with, or `live`.")),
        "counts": CompareCountsSerializer(),
        "results": CompareRowSerializer(many=True),
    },
    "Two snapshots (or a snapshot and today) compared.",
)
