"""Declared filters of the partner API (never a pass-through of ORM lookups).

Filters on related rows (`country`, `objective`, …) accept comma-separated codes and match with an
`Exists()` subquery, so rows are never duplicated and no `distinct()` is needed.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from api.filter_types import BaseFilterSet, BooleanFilter, CodeListFilter, NumberFilter, NumberListFilter, link_filter
from api.search_filters import indexed_search_filter, indexed_simple_search_filter, search_filter
from countries.models import Country, GcmVote, RcmStatus, Subregion
from gcm.models import Forum, ForumKind, GuidingPrinciple, Objective, Organization, OrganizationKind
from roadmaps.models import (
    Action,
    ActionStatus,
    ProgressUpdate,
    ReviewState,
    Roadmap,
    RoadmapStatus,
    Theme,
    Visibility,
    involving_q,
    overdue_q,
    serving_q,
)

ActionCountry = Action.countries.through
ActionObjective = Action.objectives.through
ActionOrganization = Action.organizations.through
RoadmapCountry = Roadmap.countries.through
RoadmapObjective = Roadmap.objectives.through
RoadmapOrganization = Roadmap.organizations.through
RoadmapPrinciple = Roadmap.principles.through


def known_countries(codes):
    return Country.objects.filter(code__in=codes).values_list("code", flat=True)


def known_objectives(numbers):
    return Objective.objects.filter(number__in=numbers).values_list("number", flat=True)


OBJECTIVE_NUMBERS_MESSAGE = _("Give objective numbers, e.g. 3 or 3,5.")


def country_filter(exists, label):
    """`country`: ISO codes; an unknown one is a 400 naming it (`?country=ZZ`)."""
    return CodeListFilter(upper=True, exists=exists, known=known_countries, label=label)


def objective_filter(exists, label):
    """`objective`: GCM objective numbers; an unknown one is a 400 naming it (`?objective=24`)."""
    return NumberListFilter(exists=exists, known=known_objectives, message=OBJECTIVE_NUMBERS_MESSAGE, label=label)


def action_objective_q(numbers, outer="pk", roadmap_outer="roadmap_id"):
    """Actions serving any of the objectives: their own, or their roadmap's when they have none.

    The two id sets are uncorrelated subqueries (PostgreSQL hashes them once per query); only "has no
    objectives of its own" is checked per row, on the link table's index.
    """
    own = ActionObjective.objects.filter(action_id=OuterRef(outer))
    with_objective = ActionObjective.objects.filter(objective__number__in=numbers).values("action_id")
    roadmaps_with_objective = RoadmapObjective.objects.filter(objective__number__in=numbers).values("roadmap_id")
    return Q(**{f"{outer}__in": with_objective}) | (
        ~Exists(own) & Q(**{f"{roadmap_outer}__in": roadmaps_with_objective})
    )


def reporting_country_filter():
    """`country` of reported rows (progress updates, indicator values): the reporting countries."""
    return country_filter(
        exists=lambda codes: Q(country__code__in=codes), label=_("ISO codes of reporting countries (comma-separated).")
    )


def responsible_country_filter(action: str, label):
    """`country`: the responsible countries of the action whose id is in the column `action`."""
    return country_filter(
        exists=lambda codes: Exists(ActionCountry.objects.filter(action_id=OuterRef(action), country__code__in=codes)),
        label=label,
    )


def objective_of_action_filter(action: str, label):
    """`objective`: the objectives served by the action whose id is in the column `action`."""
    return objective_filter(
        exists=lambda numbers: Exists(Action.objects.filter(pk=OuterRef(action)).filter(action_objective_q(numbers))),
        label=label,
    )


def _choices(choices):
    return filters.ChoiceFilter(choices=choices)


def _multi_choice(choices, label):
    return filters.MultipleChoiceFilter(choices=choices, label=label)


class CountryFilter(BaseFilterSet):
    subregion = _choices(Subregion.choices)
    rcm_status = _choices(RcmStatus.choices)
    gcm_vote = _choices(GcmVote.choices)
    is_gcm_champion = BooleanFilter(label=_("Only GCM champion countries (true) or only the others (false)."))
    search = search_filter("name")

    class Meta:
        model = Country
        fields = []


class ObjectiveFilter(BaseFilterSet):
    search = search_filter("title", "short_title", "description")

    class Meta:
        model = Objective
        fields = []


class PrincipleFilter(BaseFilterSet):
    search = search_filter("name", "description")

    class Meta:
        model = GuidingPrinciple
        fields = []


class OrganizationFilter(BaseFilterSet):
    kind = _choices(OrganizationKind.choices)
    is_un_network_member = BooleanFilter()
    search = search_filter("name", "acronym")

    class Meta:
        model = Organization
        fields = []


class ForumFilter(BaseFilterSet):
    kind = _choices(ForumKind.choices)
    host_country = filters.CharFilter(
        method=lambda qs, name, value: qs.filter(host_country__code=value.upper()),
        label=_("ISO code of the host country."),
    )
    search = search_filter("name")

    class Meta:
        model = Forum
        fields = []


class ThemeFilter(BaseFilterSet):
    forum = filters.CharFilter(field_name="forum__key", label=_("Key of the forum where the theme was identified."))
    search = search_filter("title", "description")

    class Meta:
        model = Theme
        fields = []


class RoadmapFilter(BaseFilterSet):
    country = country_filter(
        exists=lambda codes: involving_q(Country.objects.filter(code__in=codes).values("id")),
        label=_("ISO codes (comma-separated): roadmaps the countries lead, take part in or have actions in."),
    )
    objective = objective_filter(
        exists=lambda numbers: serving_q(Objective.objects.filter(number__in=numbers).values("id")),
        label=_("GCM objective numbers (comma-separated): the roadmap's own, or those of one of its actions."),
    )
    principle = link_filter(
        RoadmapPrinciple, "roadmap_id", "guidingprinciple__code", _("Guiding principle codes (comma-separated).")
    )
    organization = link_filter(
        RoadmapOrganization, "roadmap_id", "organization__key", _("Organisation keys (comma-separated).")
    )
    theme = filters.CharFilter(field_name="theme__slug", label=_("Theme slug."))
    forum = filters.CharFilter(field_name="forum__key", label=_("Key of the forum where the roadmap was adopted."))
    status = _multi_choice(RoadmapStatus.choices, _("Roadmap status (repeat the parameter for several)."))
    visibility = _multi_choice(Visibility.choices, _("Visibility (repeat the parameter for several)."))
    search = search_filter("title", "description")

    class Meta:
        model = Roadmap
        fields = []


class ActionFilter(BaseFilterSet):
    country = responsible_country_filter("pk", _("ISO codes of responsible countries (comma-separated)."))
    objective = objective_filter(
        exists=action_objective_q,
        label=_("GCM objective numbers (comma-separated): the action's own, or its roadmap's when it has none."),
    )
    principle = link_filter(
        RoadmapPrinciple,
        "roadmap_id",
        "guidingprinciple__code",
        _("Guiding principle codes (comma-separated), through the action's roadmap."),
        outer="roadmap_id",
    )
    organization = link_filter(
        ActionOrganization, "action_id", "organization__key", _("Keys of supporting organisations (comma-separated).")
    )
    theme = filters.CharFilter(field_name="roadmap__theme__slug", label=_("Theme slug of the action's roadmap."))
    roadmap = filters.CharFilter(field_name="roadmap__slug", label=_("Roadmap slug."))
    status = _multi_choice(ActionStatus.choices, _("Action status (repeat the parameter for several)."))
    overdue = BooleanFilter(
        method="filter_overdue",
        label=_("true: only overdue actions (due date passed, neither completed nor cancelled); false: the others."),
    )
    due_after = filters.DateFilter(field_name="due_date", lookup_expr="gte", label=_("Due on or after this date."))
    due_before = filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("Due on or before this date."))
    search = indexed_search_filter(Action._meta.db_table, "title", "description")

    class Meta:
        model = Action
        fields = []

    def filter_overdue(self, queryset, name, value: bool):
        return queryset.filter(overdue_q() if value else ~overdue_q())


class ProgressUpdateFilter(BaseFilterSet):
    action = NumberFilter(field_name="action_id", label=_("Action id."))
    country = reporting_country_filter()
    roadmap = filters.CharFilter(field_name="action__roadmap__slug", label=_("Roadmap slug."))
    objective = objective_of_action_filter("action_id", _("GCM objective numbers (comma-separated) of the action."))
    status = _multi_choice(ActionStatus.choices, _("Reported status (repeat the parameter for several)."))
    review_state = _multi_choice(
        ReviewState.choices,
        _("Review state; you only ever see approved updates, plus your own countries' when you are a focal point."),
    )
    reported_after = filters.DateFilter(
        field_name="reporting_date", lookup_expr="gte", label=_("Reported on or after.")
    )
    reported_before = filters.DateFilter(
        field_name="reporting_date", lookup_expr="lte", label=_("Reported on or before.")
    )
    search = indexed_simple_search_filter(ProgressUpdate._meta.db_table, "narrative", "challenges", "next_steps")

    class Meta:
        model = ProgressUpdate
        fields = []
