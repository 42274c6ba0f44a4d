"""Aggregates: progress by GCM objective and by country, over the actions the caller may see.

One SQL query each. The set of actions is the caller's visible actions narrowed by the same filters as
`/api/v1/actions/` (so `stats/objectives/?country=SV` is El Salvador's progress by objective); it is
compiled by the ORM and used as a subquery, and the grouping is written in SQL, where it is clearest.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, transaction
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
from core.bilingual import localized_sql
from core.figures_cache import cached_figures
from countries.models import Country
from gcm.models import Objective
from roadmaps import figures
from roadmaps.cycles import frozen_rows
from roadmaps.models import Action, ActionStatus, CountryProgress, ReportingCycle, Roadmap, overdue_sql

# The mean progress, cancelled actions left out (roadmaps.figures.COUNTED_IN_MEAN), over the rows `l`.
MEAN_SQL = f"ROUND((AVG(l.percent_complete) FILTER (WHERE l.status <> {figures.CANCELLED_SQL}))::numeric, 1)::float"


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _fetch(sql: str, params, using: str) -> list[dict]:
    # The planner's cost for these groupings passes jit_above_cost, and compiling the query (≈ 400 ms
    # measured at 20 000 actions) costs far more than running it (≈ 60 ms): no JIT here.
    # On the connection the actions' queryset reads from (the replica for API reads, when there is one).
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _action_set_sql(actions) -> tuple[str, tuple]:
    try:
        sql, params = actions.order_by().values("id").query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (e.g. an empty list of ids)
        return "SELECT NULL::bigint WHERE false", ()
    return sql, tuple(params)


@cached_figures
def objective_stats(actions) -> list[dict]:
    """One row per GCM objective (all 23, zeros included), over `actions` (a queryset of Action), from
    each action's overall state."""
    action_sql, action_params = _action_set_sql(actions)
    overdue, overdue_params = overdue_sql("l.due_date", "l.status")
    action_objectives = _table(filters.ActionObjective)
    roadmap_objectives = _table(filters.RoadmapObjective)
    action_countries = _table(filters.ActionCountry)
    sql = f"""
        WITH chosen AS (
            SELECT a.id, a.roadmap_id, a.status, a.percent_complete, a.due_date
            FROM {_table(Action)} a WHERE a.id IN ({action_sql})
        ),
        links AS (
            SELECT ao.objective_id, c.* FROM chosen c JOIN {action_objectives} ao ON ao.action_id = c.id
            UNION ALL
            SELECT ro.objective_id, c.* FROM chosen c JOIN {roadmap_objectives} ro ON ro.roadmap_id = c.roadmap_id
            WHERE NOT EXISTS (SELECT 1 FROM {action_objectives} x WHERE x.action_id = c.id)
        ),
        per_objective AS (
            SELECT l.objective_id,
                   COUNT(*) AS actions,
                   COUNT(*) FILTER (WHERE l.status = %s) AS completed,
                   COUNT(*) FILTER (WHERE {overdue}) AS overdue,
                   {MEAN_SQL} AS mean_percent
            FROM links l GROUP BY l.objective_id
        ),
        countries AS (
            SELECT l.objective_id, COUNT(DISTINCT ac.country_id) AS countries_involved
            FROM links l JOIN {action_countries} ac ON ac.action_id = l.id GROUP BY l.objective_id
        )
        SELECT o.number,
               o.short_title_en, o.short_title_es, {localized_sql("o", "short_title")} AS short_title,
               COALESCE(p.actions, 0) AS actions, COALESCE(p.completed, 0) AS completed,
               COALESCE(p.overdue, 0) AS overdue, p.mean_percent,
               COALESCE(k.countries_involved, 0) AS countries_involved
        FROM {_table(Objective)} o
        LEFT JOIN per_objective p ON p.objective_id = o.id
        LEFT JOIN countries k ON k.objective_id = o.id
        ORDER BY o.number
    """
    return _fetch(sql, (*action_params, ActionStatus.COMPLETED.value, *overdue_params), actions.db)


@cached_figures
def country_stats(actions) -> list[dict]:
    """One row per country responsible for at least one of `actions`, from that country's own state on
    each action (CountryProgress), as on the country pages."""
    action_sql, action_params = _action_set_sql(actions)
    overdue, overdue_params = overdue_sql("l.due_date", "l.status")
    action_objectives = _table(filters.ActionObjective)
    roadmap_objectives = _table(filters.RoadmapObjective)
    sql = f"""
        WITH chosen AS (
            SELECT a.id, a.roadmap_id, a.status, a.percent_complete, a.due_date
            FROM {_table(Action)} a WHERE a.id IN ({action_sql})
        ),
        links AS (  -- the country's own status and percent replace the action's
            SELECT s.country_id, c.id, c.roadmap_id, s.status, s.percent_complete, c.due_date
            FROM chosen c JOIN {_table(CountryProgress)} s ON s.action_id = c.id
        ),
        objectives AS (
            SELECT ao.action_id, ao.objective_id FROM chosen c JOIN {action_objectives} ao ON ao.action_id = c.id
            UNION ALL
            SELECT c.id, ro.objective_id FROM chosen c JOIN {roadmap_objectives} ro ON ro.roadmap_id = c.roadmap_id
            WHERE NOT EXISTS (SELECT 1 FROM {action_objectives} x WHERE x.action_id = c.id)
        ),
        per_country AS (
            SELECT l.country_id,
                   COUNT(*) AS actions,
                   COUNT(*) FILTER (WHERE l.status = %s) AS completed,
                   COUNT(*) FILTER (WHERE {overdue}) AS overdue,
                   {MEAN_SQL} AS mean_percent,
                   COUNT(DISTINCT l.roadmap_id) AS roadmaps
            FROM links l GROUP BY l.country_id
        ),
        country_objectives AS (
            SELECT l.country_id, COUNT(DISTINCT o.objective_id) AS objectives_involved
            FROM links l JOIN objectives o ON o.action_id = l.id GROUP BY l.country_id
        )
        SELECT k.code, k.name_en, k.name_es, {localized_sql("k", "name")} AS name,
               p.actions, p.completed, p.overdue, p.mean_percent,
               COALESCE(co.objectives_involved, 0) AS objectives_involved, p.roadmaps
        FROM per_country p
        JOIN {_table(Country)} k ON k.id = p.country_id
        LEFT JOIN country_objectives co ON co.country_id = p.country_id
        ORDER BY k.code
    """
    return _fetch(sql, (*action_params, ActionStatus.COMPLETED.value, *overdue_params), actions.db)


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
            figures.State(
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


# The rows are computed outright (objective_stats, country_stats, compute_frozen): no SQL columns.
def _outcomes() -> dict:
    """How the counted actions stand: the same three figures for an objective and for a country."""
    return {
        "completed": computed(serializers.IntegerField(help_text=_("Of those, completed."))),
        "overdue": computed(serializers.IntegerField(help_text=_("Of those, overdue."))),
        "mean_percent": computed(
            serializers.FloatField(allow_null=True, help_text=_("Mean percent complete (null: none)."))
        ),
    }


OBJECTIVE_STATS_ROW = Row(
    "ObjectiveStats",
    "Progress toward one GCM objective, over the actions the caller may see.",
    {
        "number": computed(serializers.IntegerField()),
        **bilingual("short_title", label=_("Short title"), is_computed=True),
        "actions": computed(serializers.IntegerField(help_text=_("Visible actions serving the objective."))),
        **_outcomes(),
        "countries_involved": computed(
            serializers.IntegerField(help_text=_("Distinct countries responsible for them."))
        ),
    },
)


COUNTRY_STATS_ROW = Row(
    "CountryStats",
    "Progress of one country, over the actions the caller may see.",
    {
        "code": computed(serializers.CharField()),
        **bilingual("name", label=_("Name"), is_computed=True),
        "actions": computed(serializers.IntegerField(help_text=_("Visible actions the country is responsible for."))),
        **_outcomes(),
        "objectives_involved": computed(
            serializers.IntegerField(help_text=_("Distinct GCM objectives those actions serve."))
        ),
        "roadmaps": computed(serializers.IntegerField(help_text=_("Distinct roadmaps those actions belong to."))),
    },
)


def stats_schema(row):
    return extend_schema_view(
        list=extend_schema(
            description=STATS_DESCRIPTION,
            parameters=[FORMAT_PARAMETER, CYCLE_PARAMETER],
            responses=list_responses(row.serializer, paginated=False),
        )
    )


@stats_schema(OBJECTIVE_STATS_ROW)
class ObjectiveStatsViewSet(_StatsViewSet):
    row = OBJECTIVE_STATS_ROW
    csv_filename = "stats-objectives"

    def compute(self, actions):
        return objective_stats(actions)

    def compute_frozen(self, cycle):
        per_objective = figures.by_objective(self.frozen_states(cycle))
        rows = []
        for o in Objective.objects.order_by("number"):
            f = per_objective.get(o.number, figures.Figures())
            rows.append(
                {
                    "number": o.number,
                    "short_title_en": o.short_title_en,
                    "short_title_es": o.short_title_es,
                    "short_title": o.short_title,
                    "actions": f.actions,
                    "completed": f.completed,
                    "overdue": f.overdue,
                    "mean_percent": f.mean_percent,
                    "countries_involved": f.countries,
                }
            )
        return rows


@stats_schema(COUNTRY_STATS_ROW)
class CountryStatsViewSet(_StatsViewSet):
    row = COUNTRY_STATS_ROW
    csv_filename = "stats-countries"

    def compute(self, actions):
        return country_stats(actions)

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
            {
                "code": code,
                "name_en": countries[code].name_en,
                "name_es": countries[code].name_es,
                "name": countries[code].name,
                "actions": f.actions,
                "completed": f.completed,
                "overdue": f.overdue,
                "mean_percent": f.mean_percent,
                "objectives_involved": len(objectives[code]),
                "roadmaps": len(roadmaps.get(code, ())),
            }
            for code, f in sorted(figures.by_country(states).items())
        ]
