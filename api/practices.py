"""`/api/v1/practices/`: good practices for partners, built on the API's shared base (`api.viewsets`).

Visibility is `GoodPractice.objects.visible_to(user)`: published practices for anonymous callers and
partners; a focal point also gets their countries' drafts, submitted and returned practices; the
secretariat gets all. Read-only: practices are written from the web form and reviewed in the admin.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers

from api.filter_types import BaseFilterSet, NumberListFilter, link_filter
from api.filters import known_countries, known_objectives
from api.rows import Row, bilingual, codes, codes_array, col, updated_at
from api.schema_docs import read_schema
from api.viewsets import ValuesReadOnlyViewSet
from practices import selectors
from practices.models import GoodPractice, NarrativeLanguage, PracticeStatus
from roadmaps.models import Action

PracticeCountry = GoodPractice.countries.through
PracticeObjective = GoodPractice.objectives.through
PracticePrinciple = GoodPractice.principles.through
PracticeAction = GoodPractice.actions.through
PracticePartner = GoodPractice.partners.through


def _linked(through, code_path: str):
    return lambda view: codes_array(through.objects.filter(goodpractice_id=OuterRef("pk")), code_path)


def _visible_actions(view):
    # Only the actions the caller may see (a published practice may come from a partners-only roadmap).
    visible = Action.objects.visible_to(view.request.user)
    return codes_array(PracticeAction.objects.filter(goodpractice_id=OuterRef("pk"), action__in=visible), "action_id")


PRACTICE_ROW = Row(
    "PracticeRow",
    "A good practice or lesson learned (documents the row; rows are built in SQL).",
    {
        "id": col(serializers.IntegerField()),
        **bilingual("title", label=_("Title")),
        **bilingual("summary", label=_("Summary")),
        "language": col(
            serializers.ChoiceField(
                choices=NarrativeLanguage.choices,
                help_text=_("Language of what_was_done, results, lessons_learned and replication_needs."),
            )
        ),
        "status": col(serializers.ChoiceField(choices=PracticeStatus.choices)),
        "country_codes": codes(
            _("ISO alpha-2 codes of the countries that share the practice."), _linked(PracticeCountry, "country__code")
        ),
        "objective_numbers": codes(
            _("GCM objectives served."),
            _linked(PracticeObjective, "objective__number"),
            child=serializers.IntegerField(),
        ),
        "principle_codes": codes(_("Guiding principles served."), _linked(PracticePrinciple, "guidingprinciple__code")),
        "action_ids": codes(
            _("Roadmap actions it came from (ids in /api/v1/actions/)."),
            _visible_actions,
            child=serializers.IntegerField(),
        ),
        "partner_keys": codes(
            _("Partner organisations (keys in /api/v1/organizations/)."), _linked(PracticePartner, "organization__key")
        ),
        "start_date": col(serializers.DateField(allow_null=True)),
        "end_date": col(serializers.DateField(allow_null=True)),
        "what_was_done": col(serializers.CharField()),
        "results": col(serializers.CharField()),
        "lessons_learned": col(serializers.CharField()),
        "replication_needs": col(serializers.CharField()),
        "links": col(serializers.CharField(help_text=_("Web addresses, one per line."))),
        "contact_role": col(serializers.CharField(help_text=_("A position or office (never personal data)."))),
        "published_at": col(serializers.DateTimeField(allow_null=True)),
        **updated_at(),
    },
)


class VisibleActionFilter(NumberListFilter):
    """`action`: practices that came from these actions, among the actions the caller may see, so the
    id of an internal action answers exactly as a missing one (nothing)."""

    def filter(self, qs, value):
        ids = self.parse(value)
        if not ids:
            return qs
        user = getattr(self.parent.request, "user", None) or AnonymousUser()
        visible = Action.objects.visible_to(user).filter(pk__in=ids).values("pk")
        return qs.filter(Exists(PracticeAction.objects.filter(goodpractice_id=OuterRef("pk"), action_id__in=visible)))


class PracticeFilter(BaseFilterSet):
    objective = link_filter(
        PracticeObjective,
        "goodpractice_id",
        "objective__number",
        _("GCM objective numbers, comma-separated (e.g. 2,6)."),
        kind=NumberListFilter,
        message=_("Give objective numbers, e.g. 2 or 2,6."),
        known=known_objectives,
    )
    principle = link_filter(
        PracticePrinciple, "goodpractice_id", "guidingprinciple__code", _("Guiding principle codes, comma-separated.")
    )
    country = link_filter(
        PracticeCountry,
        "goodpractice_id",
        "country__code",
        _("Country codes (ISO alpha-2), comma-separated."),
        upper=True,
        known=known_countries,
    )
    theme = link_filter(
        PracticeAction,
        "goodpractice_id",
        "action__roadmap__theme__slug",
        _("Theme slugs, comma-separated: practices that came from actions of roadmaps on these themes."),
    )
    action = VisibleActionFilter(
        label=_("Action ids, comma-separated: practices that came from these actions."),
        message=_("Give action ids, e.g. 12 or 12,40."),
        exists=None,
    )
    status = filters.ChoiceFilter(choices=PracticeStatus.choices)
    search = filters.CharFilter(
        method="filter_search",
        label=_("Words to find in English or Spanish (titles, summaries, narrative); accents ignored, prefixes match."),
    )

    class Meta:
        model = GoodPractice
        fields = []

    def filter_search(self, queryset, name, value):
        return selectors.search(queryset, value)


@read_schema(
    "good practices",
    list_description=_(
        "Good practices and lessons learned. Anonymous callers and partners see published practices; "
        "focal points also their countries' drafts. Add `format=csv` for the whole filtered list as CSV."
    ),
    detail_description=_("One good practice, with an ETag."),
)
class PracticeViewSet(ValuesReadOnlyViewSet):
    queryset = GoodPractice.objects.all()
    row = PRACTICE_ROW
    filterset_class = PracticeFilter
    lookup_field = "id"
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["id", "published_at", "updated_at", "start_date"]
    ordering = ["id"]
    csv_filename = "practices"

    def get_queryset(self):
        return GoodPractice.objects.visible_to(self.request.user)
