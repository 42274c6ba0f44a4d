"""Figures over today's rows, in SQL: per GCM objective (with its objective × country cells), per
country, the headline totals and the count of each status.

Every function takes an action queryset already scoped to the viewer (`Action.objects.visible_to(user)`
and any filters), so no figure can include what the viewer may not see; the pages and `/api/v1/stats/`
call the same functions, so they show the same numbers. Each is ONE statement that derives the chosen
actions once (`chosen AS MATERIALIZED`), on the connection the queryset reads from (the replica for
API reads, when there is one), and gives the counts and sums of `states.Figures`, whose mean is the one
rule (`rules.mean_percent`).

The definitions, one for every figure:
- an action serves its own GCM objectives, or its roadmap's when it has none;
- an objective's figures count each action once, with its overall state (the action's status and
  percent); a country's figures — a cell of the matrix, a row per country, the figures of one
  country — count each of its actions with that country's own state (`CountryProgress`);
- the countries of an action are those with a state on it (a `CountryProgress` row: one per
  responsible country, kept by a trigger, migration 0005), so "countries" per objective or in the
  totals counts distinct countries with a state on the actions counted;
- overdue and due soon are judged on the same state as the rest of the figure (`overdue_sql`).
"""

from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections

from core.bilingual import Bilingual
from core.figures_cache import cached_figures
from countries.models import Country
from gcm.models import Objective
from roadmaps.figures.rules import cancelled_count_sql, counted_total_sql
from roadmaps.figures.states import Figures
from roadmaps.models import Action, ActionStatus, CountryProgress, Roadmap, due_soon_sql, overdue_sql


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _ids_sql(queryset) -> tuple[str, tuple]:
    try:
        sql, params = queryset.order_by().values("id").query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (e.g. an empty list of ids)
        return "SELECT NULL::bigint AS id WHERE false", ()
    return sql, tuple(params)


def _chosen(actions, country_id=None) -> tuple[str, tuple]:
    """`chosen AS MATERIALIZED (…)`: the actions once (id, roadmap, status, percent, due date).

    With `country_id`, the status and percent are that country's own on each action (the actions are
    then those it is responsible for)."""
    action_sql, params = _ids_sql(actions)
    state, join, join_params = "a", "", ()
    if country_id is not None:
        state = "own"
        join = f"JOIN {_table(CountryProgress)} own ON own.action_id = a.id AND own.country_id = %s"
        join_params = (country_id,)
    sql = f"""chosen AS MATERIALIZED (
        SELECT a.id, a.roadmap_id, {state}.status, {state}.percent_complete, a.due_date
        FROM {_table(Action)} a {join} WHERE a.id IN (SELECT v.id FROM ({action_sql}) v)
    )"""
    return sql, (*join_params, *params)


def _links() -> str:
    """`links`: each chosen action × its objectives — its own, or its roadmap's when it has none."""
    own, by_roadmap = _table(Action.objectives.through), _table(Roadmap.objectives.through)
    return f"""links AS (
        SELECT own.objective_id, c.* FROM chosen c JOIN {own} own ON own.action_id = c.id
        UNION ALL
        SELECT ro.objective_id, c.* FROM chosen c JOIN {by_roadmap} ro ON ro.roadmap_id = c.roadmap_id
        WHERE NOT EXISTS (SELECT 1 FROM {own} x WHERE x.action_id = c.id)
    )"""


def _figures_sql(status: str, percent: str, due_date: str) -> tuple[str, tuple]:
    """The columns of `Figures` (actions, completed, overdue, percent_total, cancelled) over a group."""
    overdue, overdue_params = overdue_sql(due_date, status)
    return (
        f"COUNT(*) AS actions, COUNT(*) FILTER (WHERE {status} = %s) AS completed, "
        f"COUNT(*) FILTER (WHERE {overdue}) AS overdue, {counted_total_sql(percent, status)} AS percent_total, "
        f"{cancelled_count_sql(status)} AS cancelled"
    ), (ActionStatus.COMPLETED.value, *overdue_params)


FIGURES = ("actions", "completed", "overdue", "percent_total", "cancelled")


def _fetch(sql: str, params, using: str) -> list[dict]:
    # No JIT: the planner's cost for these groupings passes jit_above_cost, and compiling them (≈ 400 ms
    # at 20 000 actions) costs far more than running them (≈ 60 ms). Our connections start with it off
    # (config.database), a replica's may not: SET LOCAL in the same query string applies to the
    # statement after it (one implicit transaction, one round trip; Django's client-side binding
    # cursor sends both as one simple query).
    with connections[using].cursor() as cursor:
        cursor.execute(f"SET LOCAL jit = off; {sql}", params)
        cursor.nextset()
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _figures(record: dict, **extra) -> Figures:
    return Figures(**{name: record[name] for name in FIGURES}, **extra)


@dataclass
class ObjectiveFigures:
    objective_id: int
    number: int
    short_title_en: str
    short_title_es: str
    figures: Figures  # each action once, its overall state; `countries`: how many cells
    due_soon: int = 0  # of those actions, due soon on their overall state
    cells: dict = field(default_factory=dict)  # {country id: Figures}, each country's own state
    # In the language active when read: the figures are cached once for both languages.
    short_title = Bilingual("short_title")


@cached_figures(per_language=False)
def by_objective(actions, country_ids=None) -> list[ObjectiveFigures]:
    """Every GCM objective in order (zeros included), with its cells per country.

    `country_ids` keeps only those countries' cells (and countries counted)."""
    chosen, params = _chosen(actions)
    overall, overall_params = _figures_sql("l.status", "l.percent_complete", "l.due_date")
    due_soon, due_soon_params = due_soon_sql("l.due_date", "l.status")
    cell, cell_params = _figures_sql("cp.status", "cp.percent_complete", "l.due_date")
    in_countries, country_params = "", ()
    if country_ids is not None:
        in_countries, country_params = "WHERE cp.country_id = ANY(%s)", (list(country_ids),)
    zeros = ", ".join(f"COALESCE(p.{name}, 0) AS {name}" for name in FIGURES)
    sql = f"""
        WITH {chosen}, {_links()},
        overall AS (
            SELECT l.objective_id, {overall}, COUNT(*) FILTER (WHERE {due_soon}) AS due_soon
            FROM links l GROUP BY l.objective_id
        ),
        cells AS (
            SELECT l.objective_id, cp.country_id, {cell}
            FROM links l JOIN {_table(CountryProgress)} cp ON cp.action_id = l.id {in_countries}
            GROUP BY l.objective_id, cp.country_id
        )
        SELECT o.id AS objective_id, NULL::bigint AS country_id, o.number, o.short_title_en,
               o.short_title_es, {zeros}, COALESCE(p.due_soon, 0) AS due_soon
        FROM {_table(Objective)} o LEFT JOIN overall p ON p.objective_id = o.id
        UNION ALL
        SELECT c.objective_id, c.country_id, NULL, NULL, NULL, {", ".join(f"c.{n}" for n in FIGURES)}, NULL
        FROM cells c
    """
    all_params = (*params, *overall_params, *due_soon_params, *cell_params, *country_params)
    records = _fetch(sql, all_params, actions.db)
    named = ("objective_id", "number", "short_title_en", "short_title_es", "due_soon")
    rows = {
        r["objective_id"]: ObjectiveFigures(**{name: r[name] for name in named}, figures=_figures(r))
        for r in records
        if r["country_id"] is None
    }
    for r in records:
        if r["country_id"] is not None:
            rows[r["objective_id"]].cells[r["country_id"]] = _figures(r)
    for row in rows.values():
        row.figures.countries = len(row.cells)
    return sorted(rows.values(), key=lambda row: row.number)


def of_objective(actions, objective_id: int) -> ObjectiveFigures:
    """One objective's figures read off `by_objective(actions)`: the objective page's totals and country
    rows are the dashboard's own cached grouping, so a page of one objective costs no grouping of its own
    (`totals(actions.serving_objective(id), …)` and `by_country` of those actions give the same
    numbers; tests/regional/test_figures_pages_equal_api.py holds them equal)."""
    return next(row for row in by_objective(actions) if row.objective_id == objective_id)


def objective_totals(row: ObjectiveFigures, roadmaps: int) -> dict:
    """`totals`' dict for one objective's actions, from its `of_objective` row."""
    names = ("actions", "completed", "overdue", "cancelled", "mean_percent")
    counts = {"due_soon": row.due_soon, "roadmaps": roadmaps, "countries": row.figures.countries}
    return {**row.figures.values(*names), **counts}


@dataclass
class CountryFigures:
    country_id: int
    code: str
    name_en: str
    name_es: str
    figures: Figures  # each of its actions with its own state
    objectives: int  # distinct GCM objectives those actions serve
    roadmaps: int  # distinct roadmaps they belong to
    name = Bilingual("name")  # in the language active when read, as ObjectiveFigures.short_title


@cached_figures(per_language=False)
def by_country(actions, country_ids=None) -> list[CountryFigures]:
    """Every country with a state on at least one of `actions`, by code; `country_ids`: those only."""
    chosen, params = _chosen(actions)
    own, own_params = _figures_sql("s.status", "s.percent_complete", "s.due_date")
    in_countries, country_params = "", ()
    if country_ids is not None:
        in_countries, country_params = "WHERE cp.country_id = ANY(%s)", (list(country_ids),)
    sql = f"""
        WITH {chosen}, {_links()},
        states AS (
            SELECT cp.country_id, c.id, c.roadmap_id, cp.status, cp.percent_complete, c.due_date
            FROM chosen c JOIN {_table(CountryProgress)} cp ON cp.action_id = c.id {in_countries}
        ),
        per_country AS (
            SELECT s.country_id, {own}, COUNT(DISTINCT s.roadmap_id) AS roadmaps
            FROM states s GROUP BY s.country_id
        ),
        country_objectives AS (
            SELECT s.country_id, COUNT(DISTINCT l.objective_id) AS objectives
            FROM states s JOIN links l ON l.id = s.id GROUP BY s.country_id
        )
        SELECT k.id AS country_id, k.code, k.name_en, k.name_es, p.*,
               COALESCE(co.objectives, 0) AS objectives
        FROM per_country p
        JOIN {_table(Country)} k ON k.id = p.country_id
        LEFT JOIN country_objectives co ON co.country_id = p.country_id
        ORDER BY k.code
    """
    records = _fetch(sql, (*params, *country_params, *own_params), actions.db)
    named = ("country_id", "code", "name_en", "name_es", "objectives", "roadmaps")
    return [CountryFigures(**{name: r[name] for name in named}, figures=_figures(r)) for r in records]


@cached_figures(per_language=False)
def totals(actions, roadmaps, country_id=None) -> dict:
    """Headline figures: roadmaps (of `roadmaps`), actions, countries, completed, overdue, due soon,
    cancelled, mean percent. With `country_id`, each action with that country's own state."""
    chosen, params = _chosen(actions, country_id)
    roadmap_sql, roadmap_params = _ids_sql(roadmaps)
    figures, figure_params = _figures_sql("c.status", "c.percent_complete", "c.due_date")
    due_soon, due_soon_params = due_soon_sql("c.due_date", "c.status")
    sql = f"""
        WITH {chosen}
        SELECT {figures}, COUNT(*) FILTER (WHERE {due_soon}) AS due_soon,
               (SELECT COUNT(*) FROM ({roadmap_sql}) r) AS roadmaps,
               (SELECT COUNT(DISTINCT s.country_id) FROM {_table(CountryProgress)} s
                JOIN chosen x ON x.id = s.action_id) AS countries
        FROM chosen c
    """
    (record,) = _fetch(sql, (*params, *figure_params, *due_soon_params, *roadmap_params), actions.db)
    figures = _figures(record).values("actions", "completed", "overdue", "cancelled", "mean_percent")
    return {**figures, "due_soon": record["due_soon"], "roadmaps": record["roadmaps"], "countries": record["countries"]}


@cached_figures(per_language=False)
def _counts_by_status(actions) -> dict:
    chosen, params = _chosen(actions)
    sql = f"WITH {chosen} SELECT c.status, COUNT(*) AS n FROM chosen c GROUP BY c.status"
    return {r["status"]: r["n"] for r in _fetch(sql, params, actions.db)}


def status_counts(actions) -> list[dict]:
    """[{status, label, count}] for every action status, in the order of the choices (the counts cached
    once for both languages, the labels in the active one)."""
    counts = _counts_by_status(actions)
    return [{"status": value, "label": label, "count": counts.get(value, 0)} for value, label in ActionStatus.choices]
