"""Aggregates: progress by GCM objective and by country, over the actions the caller may see.

The set of actions is the caller's visible actions narrowed by the same filters as `/api/v1/actions/`
(so `stats/objectives/?country=SV` is El Salvador's progress by objective); the figures are the pages'
(`roadmaps.figures.live`, one SQL statement each; `?cycle=`: `roadmaps.figures.states`). This module
only declares the rows (schema, CSV), the filters, and how a row is written from the figures.
"""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from api import filters
from api.rows import Row, bilingual, computed
from api.schema_docs import FORMAT_PARAMETER, list_responses
from api.viewsets import ValuesReadOnlyViewSet
from countries.models import Country
from gcm.models import Objective
from roadmaps.cycles import frozen_rows
from roadmaps.figures import live
from roadmaps.figures import states as figures_of_states
from roadmaps.models import Action, ReportingCycle, Roadmap


def _bilingual_values(base: str, english: str, spanish: str, localized: str) -> dict:
    """The values of `api.rows.bilingual(base)`'s three columns, in its order."""
    return {f"{base}_en": english, f"{base}_es": spanish, base: localized}


def _outcome_values(f) -> dict:
    """The figures every stats row has, from a `Figures` (live or frozen)."""
    return f.values("actions", "completed", "overdue", "mean_percent")


STATS_DESCRIPTION = _(
    "Computed over the actions you may see, narrowed by the same filters as the actions list. Not paginated. "
    "Add `format=csv` for CSV."
)


class _StatsViewSet(ValuesReadOnlyViewSet):
    queryset = Action.objects.all()
    filterset_class = filters.ActionFilter
    filter_backends = [DjangoFilterBackend]
    pagination_class = None
    list_only = True  # no detail route (api.urls.Router)

    def get_queryset(self):
        return Action.objects.visible_to(self.request.user)

    def compute(self, actions) -> list[dict]:
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        key = request.query_params.get("cycle")
        if key is not None:
            rows = self.compute_frozen(self._closed_cycle(key))
        else:
            rows = self.compute(self.filter_queryset(self.get_queryset()))
        if request.accepted_renderer.format == "csv":
            return self.csv_response(rows)
        return Response(rows)

    def _closed_cycle(self, key):
        cycle = ReportingCycle.objects.closed().filter(key=key).first()
        if cycle is None:
            raise exceptions.ValidationError({"cycle": [_("No closed reporting cycle has this key.")]})
        return cycle

    def frozen_states(self, cycle):
        """The cycle's snapshot rows of the roadmaps the caller may see, as states read on its close."""
        visible = Roadmap.objects.visible_to(self.request.user).values("id")
        rows = frozen_rows(cycle).filter(roadmap_id__in=visible)
        day = cycle.closed_at.date()
        return [
            figures_of_states.State(
                action_id=r.action_id,
                country_code=r.country_code,
                objective_numbers=tuple(r.objective_numbers),
                status=r.status,
                percent_complete=r.percent_complete,
                due_date=r.due_date,
                day=day,
            )
            for r in rows.only(
                "action_id", "country_code", "objective_numbers", "status", "percent_complete", "due_date"
            )
        ]

    def compute_frozen(self, cycle):
        raise NotImplementedError


CYCLE_PARAMETER = OpenApiParameter(
    "cycle",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description=_(
        "The key of a closed reporting cycle: the figures of its frozen snapshot (the other filters do not apply)."
    ),
)


# The rows are computed outright (roadmaps.figures: live, or a cycle's frozen states): no SQL columns.
def _outcomes() -> dict:
    """How the counted actions stand: the same three figures for an objective and for a country."""
    return {
        "completed": computed(serializers.IntegerField(help_text=_("Of those, completed."))),
        "overdue": computed(serializers.IntegerField(help_text=_("Of those, overdue."))),
        "mean_percent": computed(
            serializers.FloatField(allow_null=True, help_text=_("Mean percent complete (null: none)."))
        ),
    }


def _stats_row(name: str, description: str, *, key: tuple, names: tuple, involved: dict, actions_help) -> Row:
    """A stats row: its key (name, field class), its bilingual name (base, label), the visible actions, how
    they stand, and what they involve ({name: help text}). Fields are made here, in the row's order (a
    serializer orders its fields by when they were made)."""
    key_name, key_field = key
    return Row(
        name,
        description,
        {
            key_name: computed(key_field()),
            **bilingual(names[0], label=names[1], is_computed=True),
            "actions": computed(serializers.IntegerField(help_text=actions_help)),
            **_outcomes(),
            **{field: computed(serializers.IntegerField(help_text=text)) for field, text in involved.items()},
        },
    )


OBJECTIVE_STATS_ROW = _stats_row(
    "ObjectiveStats",
    "Progress toward one GCM objective, over the actions the caller may see.",
    key=("number", serializers.IntegerField),
    names=("short_title", _("Short title")),
    involved={"countries_involved": _("Distinct countries responsible for them.")},
    actions_help=_("Visible actions serving the objective."),
)


COUNTRY_STATS_ROW = _stats_row(
    "CountryStats",
    "Progress of one country, over the actions the caller may see.",
    key=("code", serializers.CharField),
    names=("name", _("Name")),
    involved={
        "objectives_involved": _("Distinct GCM objectives those actions serve."),
        "roadmaps": _("Distinct roadmaps those actions belong to."),
    },
    actions_help=_("Visible actions the country is responsible for."),
)


def stats_schema(row):
    return extend_schema_view(
        list=extend_schema(
            description=STATS_DESCRIPTION,
            parameters=[FORMAT_PARAMETER, CYCLE_PARAMETER],
            responses=list_responses(row.serializer, paginated=False),
        )
    )


def _objective_row(objective, f) -> dict:
    """`objective`: a GCM objective (the model, or the live figures' `ObjectiveFigures`)."""
    titles = _bilingual_values("short_title", objective.short_title_en, objective.short_title_es, objective.short_title)
    return {"number": objective.number, **titles, **_outcome_values(f), "countries_involved": f.countries}


def _country_row(country, f, objectives: int, roadmaps: int) -> dict:
    """`country`: a Country (the model, or the live figures' `CountryFigures`)."""
    names = _bilingual_values("name", country.name_en, country.name_es, country.name)
    return {
        "code": country.code,
        **names,
        **_outcome_values(f),
        "objectives_involved": objectives,
        "roadmaps": roadmaps,
    }


@stats_schema(OBJECTIVE_STATS_ROW)
class ObjectiveStatsViewSet(_StatsViewSet):
    row, csv_filename = OBJECTIVE_STATS_ROW, "stats-objectives"

    def compute(self, actions):
        return [_objective_row(o, o.figures) for o in live.by_objective(actions)]

    def compute_frozen(self, cycle):
        per_objective = figures_of_states.by_objective(self.frozen_states(cycle))
        objectives = Objective.objects.order_by("number")
        return [_objective_row(o, per_objective.get(o.number, figures_of_states.Figures())) for o in objectives]


@stats_schema(COUNTRY_STATS_ROW)
class CountryStatsViewSet(_StatsViewSet):
    row, csv_filename = COUNTRY_STATS_ROW, "stats-countries"

    def compute_frozen(self, cycle):
        states = self.frozen_states(cycle)
        objectives, roadmaps = {}, {}
        for s in states:
            objectives.setdefault(s.country_code, set()).update(s.objective_numbers)
        visible = Roadmap.objects.visible_to(self.request.user).values("id")
        for r in frozen_rows(cycle).filter(roadmap_id__in=visible).values("country_code", "roadmap_id").distinct():
            roadmaps.setdefault(r["country_code"], set()).add(r["roadmap_id"])
        countries = {c.code: c for c in Country.objects.filter(code__in=objectives)}
        return [
            _country_row(countries[code], f, len(objectives[code]), len(roadmaps.get(code, ())))
            for code, f in sorted(figures_of_states.by_country(states).items())
        ]

    def compute(self, actions):
        return [_country_row(c, c.figures, c.objectives, c.roadmaps) for c in live.by_country(actions)]
