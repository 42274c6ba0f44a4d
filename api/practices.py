"""`/api/v1/practices/`: good practices for partners, built on the API's shared base (`api.base`).

Visibility is `GoodPractice.objects.visible_to(user)`: published practices for anonymous callers and
partners; a focal point also gets their countries' drafts, submitted and returned practices; the
secretariat gets all. Read-only: practices are written from the web form and reviewed in the admin.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers

from api.base import BaseFilterSet, CodeListFilter, NumberListFilter, ValuesReadOnlyViewSet, codes_array
from api.filters import known_countries, known_objectives
from api.views import read_schema
from config.bilingual import LANGUAGE_CODES, localized_expression
from practices import selectors
from practices.models import GoodPractice, NarrativeLanguage, PracticeStatus
from roadmaps.models import Action

PracticeCountry = GoodPractice.countries.through
PracticeObjective = GoodPractice.objectives.through
PracticePrinciple = GoodPractice.principles.through
PracticeAction = GoodPractice.actions.through
PracticePartner = GoodPractice.partners.through


def _in_language(label, language):
    return serializers.CharField(help_text=_("%(label)s in %(language)s.") % {"label": label, "language": language})


def _in_accept_language(label):
    return serializers.CharField(
        help_text=_("%(label)s in the language asked for with Accept-Language (falls back to the other).")
        % {"label": label}
    )


def _codes(help_text):
    return serializers.ListField(child=serializers.CharField(), help_text=help_text)


def _bilingual(base: str) -> dict:
    """`<base>_en`, `<base>_es` as plain columns, `<base>` in the active language with fallback."""
    return {f"{base}_{code}": f"{base}_{code}" for code in LANGUAGE_CODES} | {base: localized_expression(base)}


class PracticeRowSerializer(serializers.Serializer):
    """A good practice or lesson learned (documents the row; rows are built in SQL)."""

    id = serializers.IntegerField()
    title_en = _in_language(_("Title"), _("English"))
    title_es = _in_language(_("Title"), _("Spanish"))
    title = _in_accept_language(_("Title"))
    summary_en = _in_language(_("Summary"), _("English"))
    summary_es = _in_language(_("Summary"), _("Spanish"))
    summary = _in_accept_language(_("Summary"))
    language = serializers.ChoiceField(
        choices=NarrativeLanguage.choices,
        help_text=_("Language of what_was_done, results, lessons_learned and replication_needs."),
    )
    status = serializers.ChoiceField(choices=PracticeStatus.choices)
    country_codes = _codes(_("ISO alpha-2 codes of the countries that share the practice."))
    objective_numbers = serializers.ListField(child=serializers.IntegerField(), help_text=_("GCM objectives served."))
    principle_codes = _codes(_("Guiding principles served."))
    action_ids = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Roadmap actions it came from (ids in /api/v1/actions/).")
    )
    partner_keys = _codes(_("Partner organisations (keys in /api/v1/organizations/)."))
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    what_was_done = serializers.CharField()
    results = serializers.CharField()
    lessons_learned = serializers.CharField()
    replication_needs = serializers.CharField()
    links = serializers.CharField(help_text=_("Web addresses, one per line."))
    contact_role = serializers.CharField(help_text=_("A position or office (never personal data)."))
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(
        help_text=_("When the row last changed (use with updated_since for incremental sync).")
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
    objective = NumberListFilter(
        label=_("GCM objective numbers, comma-separated (e.g. 2,6)."),
        message=_("Give objective numbers, e.g. 2 or 2,6."),
        known=known_objectives,
        exists=lambda numbers: Exists(
            PracticeObjective.objects.filter(goodpractice_id=OuterRef("pk"), objective__number__in=numbers)
        ),
    )
    principle = CodeListFilter(
        label=_("Guiding principle codes, comma-separated."),
        exists=lambda codes: Exists(
            PracticePrinciple.objects.filter(goodpractice_id=OuterRef("pk"), guidingprinciple__code__in=codes)
        ),
    )
    country = CodeListFilter(
        label=_("Country codes (ISO alpha-2), comma-separated."),
        upper=True,
        known=known_countries,
        exists=lambda codes: Exists(
            PracticeCountry.objects.filter(goodpractice_id=OuterRef("pk"), country__code__in=codes)
        ),
    )
    theme = CodeListFilter(
        label=_("Theme slugs, comma-separated: practices that came from actions of roadmaps on these themes."),
        exists=lambda codes: Exists(
            PracticeAction.objects.filter(goodpractice_id=OuterRef("pk"), action__roadmap__theme__slug__in=codes)
        ),
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
    PracticeRowSerializer,
    list_description=_(
        "Good practices and lessons learned. Anonymous callers and partners see published practices; "
        "focal points also their countries' drafts. Add `format=csv` for the whole filtered list as CSV."
    ),
    detail_description=_("One good practice, with an ETag."),
)
class PracticeViewSet(ValuesReadOnlyViewSet):
    queryset = GoodPractice.objects.all()
    serializer_class = PracticeRowSerializer
    filterset_class = PracticeFilter
    lookup_field = "id"
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["id", "published_at", "updated_at", "start_date"]
    ordering = ["id"]
    csv_filename = "practices"

    def get_queryset(self):
        return GoodPractice.objects.visible_to(self.request.user)

    def get_columns(self):
        here = {"goodpractice_id": OuterRef("pk")}
        return {
            "id": "id",
            **_bilingual("title"),
            **_bilingual("summary"),
            "language": "language",
            "status": "status",
            "country_codes": codes_array(PracticeCountry.objects.filter(**here), "country__code"),
            "objective_numbers": codes_array(PracticeObjective.objects.filter(**here), "objective__number"),
            "principle_codes": codes_array(PracticePrinciple.objects.filter(**here), "guidingprinciple__code"),
            # Only the actions the caller may see (a published practice may come from a partners-only roadmap).
            "action_ids": codes_array(
                PracticeAction.objects.filter(**here, action__in=Action.objects.visible_to(self.request.user)),
                "action_id",
            ),
            "partner_keys": codes_array(PracticePartner.objects.filter(**here), "organization__key"),
            "start_date": "start_date",
            "end_date": "end_date",
            "what_was_done": "what_was_done",
            "results": "results",
            "lessons_learned": "lessons_learned",
            "replication_needs": "replication_needs",
            "links": "links",
            "contact_role": "contact_role",
            "published_at": "published_at",
            "updated_at": "updated_at",
        }
