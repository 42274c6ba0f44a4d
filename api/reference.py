"""The reference data of the partner API: countries, GCM objectives and guiding principles,
organisations, forums and themes. Each row is declared once (api.rows); conventions: `api.viewsets`."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api import filters
from api.rows import Row, bilingual, col, updated_at
from api.schema_docs import read_schema
from api.viewsets import ValuesReadOnlyViewSet
from countries.models import Country, GcmVote, RcmStatus, Subregion
from gcm.models import Forum, ForumKind, GuidingPrinciple, Objective, Organization, OrganizationKind
from roadmaps.models import Theme

COUNTRY_ROW = Row(
    "CountryRow",
    "A country.",
    {
        "code": col(serializers.CharField(help_text=_("ISO 3166-1 alpha-2 code."))),
        "alpha3": col(serializers.CharField(help_text=_("ISO 3166-1 alpha-3 code."))),
        **bilingual("name", label=_("Name")),
        "subregion": col(serializers.ChoiceField(choices=Subregion.choices)),
        "rcm_status": col(serializers.ChoiceField(choices=RcmStatus.choices)),
        "is_gcm_champion": col(serializers.BooleanField()),
        "champion_since": col(serializers.IntegerField(allow_null=True)),
        "gcm_vote": col(serializers.ChoiceField(choices=GcmVote.choices)),
        **updated_at(),
    },
)

OBJECTIVE_ROW = Row(
    "ObjectiveRow",
    "One of the 23 GCM objectives.",
    {
        "number": col(serializers.IntegerField(help_text=_("Objective number, 1 to 23."))),
        **bilingual("title", label=_("Title")),
        **bilingual("short_title", label=_("Short title")),
        **bilingual("description", label=_("Description")),
        **updated_at(),
    },
)

PRINCIPLE_ROW = Row(
    "PrincipleRow",
    "One of the 10 GCM guiding principles.",
    {
        "code": col(serializers.CharField()),
        "letter": col(serializers.CharField(help_text=_("Letter in paragraph 15 of A/RES/73/195."))),
        **bilingual("name", label=_("Name")),
        **bilingual("description", label=_("Description")),
        **updated_at(),
    },
)

ORGANIZATION_ROW = Row(
    "OrganizationRow",
    "A supporting organisation.",
    {
        "key": col(serializers.CharField()),
        **bilingual("name", label=_("Name")),
        **bilingual("acronym", label=_("Acronym")),
        "kind": col(serializers.ChoiceField(choices=OrganizationKind.choices)),
        "website": col(serializers.CharField()),
        "is_un_network_member": col(serializers.BooleanField()),
        **updated_at(),
    },
)

FORUM_ROW = Row(
    "ForumRow",
    "A forum where priorities or roadmaps were set.",
    {
        "key": col(serializers.CharField()),
        **bilingual("name", label=_("Name")),
        "kind": col(serializers.ChoiceField(choices=ForumKind.choices)),
        "host_country_code": col(serializers.CharField(allow_null=True), "host_country__code"),
        "city": col(serializers.CharField()),
        "start_date": col(serializers.DateField(allow_null=True)),
        "end_date": col(serializers.DateField(allow_null=True)),
        **updated_at(),
    },
)

THEME_ROW = Row(
    "ThemeRow",
    "An RCM priority theme.",
    {
        "slug": col(serializers.CharField()),
        **bilingual("title", label=_("Title")),
        **bilingual("description", label=_("Description")),
        "forum_key": col(serializers.CharField(allow_null=True), "forum__key"),
        **updated_at(),
    },
)

# Reference rows are looked up by a code or key of their own (letters, digits, `-`, `_`).
KEY = "[-a-zA-Z0-9_]+"


@read_schema("countries")
class CountryViewSet(ValuesReadOnlyViewSet):
    queryset = Country.objects.all()
    row = COUNTRY_ROW
    filterset_class = filters.CountryFilter
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"
    lookup_upper = True
    ordering_fields = ["code", "name_en", "name_es", "subregion", "updated_at"]
    ordering = ["code"]
    csv_filename = "countries"


@read_schema("GCM objectives")
class ObjectiveViewSet(ValuesReadOnlyViewSet):
    queryset = Objective.objects.all()
    row = OBJECTIVE_ROW
    filterset_class = filters.ObjectiveFilter
    lookup_field = "number"
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["number", "updated_at"]
    ordering = ["number"]
    csv_filename = "objectives"


@read_schema("guiding principles")
class PrincipleViewSet(ValuesReadOnlyViewSet):
    queryset = GuidingPrinciple.objects.all()
    row = PRINCIPLE_ROW
    filterset_class = filters.PrincipleFilter
    lookup_field = "code"
    lookup_value_regex = KEY
    ordering_fields = ["letter", "code", "updated_at"]
    ordering = ["letter"]
    csv_filename = "principles"


@read_schema("organisations")
class OrganizationViewSet(ValuesReadOnlyViewSet):
    queryset = Organization.objects.all()
    row = ORGANIZATION_ROW
    filterset_class = filters.OrganizationFilter
    lookup_field = "key"
    lookup_value_regex = KEY
    ordering_fields = ["key", "acronym_en", "acronym_es", "kind", "updated_at"]
    ordering = ["key"]
    csv_filename = "organizations"


@read_schema("forums")
class ForumViewSet(ValuesReadOnlyViewSet):
    queryset = Forum.objects.all()
    row = FORUM_ROW
    filterset_class = filters.ForumFilter
    lookup_field = "key"
    lookup_value_regex = KEY
    ordering_fields = ["key", "start_date", "updated_at"]
    ordering = ["start_date", "key"]
    csv_filename = "forums"


@read_schema("themes")
class ThemeViewSet(ValuesReadOnlyViewSet):
    queryset = Theme.objects.all()
    row = THEME_ROW
    filterset_class = filters.ThemeFilter
    lookup_field = "slug"
    lookup_value_regex = KEY
    ordering_fields = ["slug", "title_en", "title_es", "updated_at"]
    ordering = ["slug"]
    csv_filename = "themes"
