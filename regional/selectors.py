"""Reads behind the regional pages: the figures of `roadmaps.figures.live` shaped for the templates
(`regional.presentation`), and the lists a page shows.

Every function takes an *action queryset that is already scoped to the viewer*
(`Action.objects.visible_to(user)`, then any filters), so no figure can include what the viewer may
not see. The figures are the API's (`/api/v1/stats/`): the same functions compute both.
"""

from django.db.models import Prefetch

from core.bilingual import localized_expression
from core.figures_cache import cached_figures
from countries.models import Country
from gcm.models import Objective
from regional.presentation import MatrixRow, RegionalPicture, cell, country_row, objective_row
from roadmaps.figures import live
from roadmaps.models import Action, CountryProgress, ProgressUpdate


def normalized(actions):
    """The same actions as a plain `id IN (…)` filter, so joins in the caller's filters cannot
    multiply rows in grouped queries."""
    return Action.objects.filter(id__in=actions.order_by().values("id"))


@cached_figures
def regional_picture(actions, country_ids=None) -> RegionalPicture:
    """Per objective: actions, countries, mean percent; the country × objective matrix.

    `country_ids` restricts the matrix (and the countries counted) to those countries.
    Three queries whatever the number of actions: the figures, the objectives, the countries.
    """
    # The picture is cached per language (names, their order); its figures once for both, so the
    # other language's page costs the two small queries below, not the grouping again.
    per_objective = {row.objective_id: row for row in live.by_objective(actions, country_ids)}
    objectives = list(Objective.objects.order_by("number"))
    country_ids_seen = {country_id for row in per_objective.values() for country_id in row.cells}
    countries = Country.objects.filter(id__in=country_ids_seen).order_by(localized_expression("name"))
    matrix = [
        MatrixRow(country=c, cells=[(o, cell(per_objective[o.id].cells.get(c.id))) for o in objectives])
        for c in countries
    ]
    return RegionalPicture(
        objectives=[objective_row(o, per_objective[o.id].figures) for o in objectives],
        matrix=matrix,
        objective_columns=objectives,
    )


@cached_figures
def country_rows(actions, country_ids=None) -> list[dict]:
    """Per country, by name: actions, completed, overdue, mean percent, each from that country's own
    state on the action: a joint action counts for each of its countries, with its own values."""
    figures = live.by_country(actions, country_ids)  # once for both languages, as the picture's
    rows = [country_row(c.code, c.name, c.figures) for c in figures]
    return sorted(rows, key=lambda r: r["name"])


@cached_figures
def objective_country_rows(actions, objective_id: int) -> list[dict]:
    """`country_rows(actions.serving_objective(objective_id))`, read off the objective's cells of the
    shared per-objective grouping (`live.of_objective`): the same figures, no grouping of its own."""
    cells = live.of_objective(actions, objective_id).cells
    countries = Country.objects.filter(id__in=cells).only("id", "code", "name_en", "name_es")
    return sorted((country_row(c.code, c.name, cells[c.id]) for c in countries), key=lambda r: r["name"])


def action_list(actions):
    """Actions with what a list shows (the roadmap timeline; the tables read `action_table`): the roadmap and
    each country's state, prefetched — and nothing it does not show (issue 22: the action's countries
    and both sets of objectives were three more queries a page, 10–13 ms at stress, never read)."""
    states = Prefetch(
        "country_progress", queryset=CountryProgress.objects.select_related("country").order_by("country__code")
    )
    return actions.select_related("roadmap").prefetch_related(states)


#: The columns an action table's row shows (`regional.table_rows.action_rows`), and no more.
ACTION_TABLE_FIELDS = (
    *("id", "code", "title_en", "title_es", "status", "percent_complete", "due_date", "roadmap_id"),
    *("roadmap__slug", "roadmap__title_en", "roadmap__title_es"),
)
COUNTRY_STATE_FIELDS = (
    "action_id",
    "status",
    "percent_complete",
    "country__code",
    "country__name_en",
    "country__name_es",
)


def action_table(actions):
    """`action_list` for the action tables (country, objective and dashboard pages) only: the columns
    their rows show, so that a page of 50 actions builds no model with forty fields it never reads
    (issue 22: 5–10 ms of a country or objective page's first rendering). Same two queries."""
    states = Prefetch(
        "country_progress",
        queryset=CountryProgress.objects.select_related("country")
        .only(*COUNTRY_STATE_FIELDS)
        .order_by("country__code"),
    )
    return actions.select_related("roadmap").only(*ACTION_TABLE_FIELDS).prefetch_related(states)


def latest_approved_updates(roadmaps, *, country=None, objective_id=None, limit=10):
    """The latest approved progress updates on actions of `roadmaps` (already visible), newest first;
    `country`: that country's updates; `objective_id`: on actions working on that objective.

    Approved updates of a visible action are visible to everyone (ProgressUpdate.visible_to). The
    roadmaps are joined, not the visible actions listed (`action IN (…)`), so that PostgreSQL walks
    `update_approved_latest_idx` newest first and stops after `limit` rows (issue 22: a country page's
    list took 55 ms at 20 000 actions, 4 ms so).
    """
    updates = ProgressUpdate.objects.approved().filter(action__roadmap__in=roadmaps)
    if country is not None:
        updates = updates.filter(country=country)
    if objective_id is not None:
        updates = updates.filter(action__in=Action.objects.serving_objective(objective_id))
    return updates.select_related("action", "action__roadmap", "country").latest_first()[:limit]
