"""Reads behind the regional pages: figures computed in SQL (GROUP BY), small dicts for the templates.

Every function takes an *action queryset that is already scoped to the viewer*
(`Action.objects.visible_to(user)`, then any filters), so no figure can include what the viewer may
not see. An action works on its own GCM objectives, or on its roadmap's when it has none
(PRODUCT.md: "GCM objectives (defaults to its roadmap's)"): each aggregate below is therefore the
sum of two grouped queries over disjoint sets of actions — those with their own objectives and
those without — merged as (count, sum) pairs, never by looping over action rows.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import Avg, BigIntegerField, Count, Prefetch, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from core.bilingual import localized_expression, localized_sql, pick
from core.figures_cache import cached_figures
from countries.models import Country
from gcm.models import Objective
from roadmaps.figures import CANCELLED_SQL, COUNTED_IN_MEAN, mean_percent
from roadmaps.models import (
    Action,
    ActionStatus,
    CountryProgress,
    ProgressUpdate,
    Roadmap,
    due_soon_sql,
    is_overdue,
    overdue_q,
    overdue_sql,
)

ActionObjective = Action.objectives.through
ActionCountry = Action.countries.through
RoadmapObjective = Roadmap.objectives.through
RoadmapCountry = Roadmap.countries.through

# Colour bands of the country × objective matrix (class names in regional.css).
HEAT_BANDS = ((100, "heat-5"), (75, "heat-4"), (50, "heat-3"), (25, "heat-2"), (1, "heat-1"))


def heat_class(mean_percent: float | None) -> str:
    if mean_percent is None:
        return "heat-none"
    for floor, name in HEAT_BANDS:
        if mean_percent >= floor:
            return name
    return "heat-0"


def _mean(total, count):
    return mean_percent(total, count)


def normalized(actions):
    """The same actions as a plain `id IN (…)` filter, so joins in the caller's filters cannot
    multiply rows in the GROUP BY queries below."""
    return Action.objects.filter(id__in=actions.order_by().values("id"))


def actions_for_objective(actions, objective_id: int):
    """The actions (of `actions`) that work on the objective, their own or by their roadmap's."""
    return actions.serving_objective(objective_id)


def actions_for_countries(actions, country_ids):
    return actions.for_countries(country_ids)


# --- dashboard and report figures --------------------------------------------------------------


@dataclass
class ObjectiveRow:
    objective: Objective
    actions: int = 0
    percent_total: int = 0  # of the actions counted in the mean (roadmaps.figures: not cancelled)
    countries: int = 0
    cancelled: int = 0

    @property
    def mean_percent(self):
        return _mean(self.percent_total, self.actions - self.cancelled)

    @property
    def heat(self):
        return heat_class(self.mean_percent)


@dataclass
class Cell:
    actions: int = 0
    percent_total: int = 0
    cancelled: int = 0

    @property
    def mean_percent(self):
        return _mean(self.percent_total, self.actions - self.cancelled)

    @property
    def heat(self):
        return heat_class(self.mean_percent)


@dataclass
class MatrixRow:
    country: Country
    cells: list = field(default_factory=list)  # (ObjectiveRow.objective, Cell) in objective order


@dataclass
class RegionalPicture:
    objectives: list  # ObjectiveRow, objectives 1–23 in order
    matrix: list  # MatrixRow, one per country with at least one action
    objective_columns: list  # Objective, 1–23


# Per objective (each action once, overall state) and per (objective, country) (each country's own
# state, CountryProgress) in ONE statement: the visible actions are derived once (MATERIALIZED), not
# once per grouped query as the six ORM queries before did (issue 22: each re-read the visibility
# rules with two sequential scans). `links`: an action's own objectives, or its roadmap's if none.
PICTURE_SQL = """
    WITH chosen AS MATERIALIZED (
        SELECT a.id, a.roadmap_id, a.status, a.percent_complete
        FROM {action} a WHERE a.id IN (SELECT v.id FROM ({action_sql}) v)
    ),
    links AS (
        SELECT own.objective_id, c.id, c.status, c.percent_complete
        FROM chosen c JOIN {own_links} own ON own.action_id = c.id
        UNION ALL
        SELECT ro.objective_id, c.id, c.status, c.percent_complete
        FROM chosen c JOIN {roadmap_links} ro ON ro.roadmap_id = c.roadmap_id
        WHERE NOT EXISTS (SELECT 1 FROM {own_links} x WHERE x.action_id = c.id)
    )
    SELECT l.objective_id, NULL::bigint AS country_id, COUNT(*),
           COALESCE(SUM(l.percent_complete) FILTER (WHERE l.status <> {cancelled}), 0),
           COUNT(*) FILTER (WHERE l.status = {cancelled})
    FROM links l GROUP BY l.objective_id
    UNION ALL
    SELECT l.objective_id, cp.country_id, COUNT(*),
           COALESCE(SUM(cp.percent_complete) FILTER (WHERE cp.status <> {cancelled}), 0),
           COUNT(*) FILTER (WHERE cp.status = {cancelled})
    FROM links l JOIN {states} cp ON cp.action_id = l.id {in_countries}
    GROUP BY l.objective_id, cp.country_id
"""


@cached_figures
def regional_picture(actions, country_ids=None) -> RegionalPicture:
    """Per objective: actions, countries, mean percent; the country × objective matrix.

    `country_ids` restricts the matrix (and the countries counted) to those countries.
    Three queries whatever the number of actions: the figures, the objectives, the countries.
    """
    action_sql, params = _action_set_sql(actions)
    params = list(params)
    in_countries = ""
    if country_ids is not None:
        in_countries = "WHERE cp.country_id = ANY(%s)"
        params.append(list(country_ids))
    sql = PICTURE_SQL.format(
        action=_table(Action),
        action_sql=action_sql,
        own_links=_table(ActionObjective),
        roadmap_links=_table(RoadmapObjective),
        states=_table(CountryProgress),
        in_countries=in_countries,
        cancelled=CANCELLED_SQL,  # the mean leaves cancelled actions out (roadmaps.figures)
    )
    per_objective = defaultdict(lambda: [0, 0, 0])  # actions, percent total (counted ones), cancelled
    cells = defaultdict(Cell)
    with connections[actions.db].cursor() as cursor:
        cursor.execute(sql, params)
        for obj_id, country_id, n, total, cancelled in cursor.fetchall():
            if country_id is None:
                per_objective[obj_id] = [n, total, cancelled]
            else:
                cells[(obj_id, country_id)] = Cell(actions=n, percent_total=total, cancelled=cancelled)

    objectives = list(Objective.objects.order_by("number"))
    countries_per_objective = defaultdict(int)
    for obj_id, _country_id in cells:
        countries_per_objective[obj_id] += 1
    objective_rows = [
        ObjectiveRow(
            objective=o,
            actions=per_objective[o.id][0],
            percent_total=per_objective[o.id][1],
            cancelled=per_objective[o.id][2],
            countries=countries_per_objective[o.id],
        )
        for o in objectives
    ]
    country_ids_seen = {country_id for _obj, country_id in cells}
    countries = Country.objects.filter(id__in=country_ids_seen).order_by(localized_expression("name"))
    matrix = [MatrixRow(country=c, cells=[(o, cells.get((o.id, c.id), Cell())) for o in objectives]) for c in countries]
    return RegionalPicture(objectives=objective_rows, matrix=matrix, objective_columns=objectives)


TOTALS_SQL = """
    WITH chosen AS MATERIALIZED (
        SELECT a.id, a.status, a.percent_complete, a.due_date FROM {action} a
        WHERE a.id IN (SELECT v.id FROM ({action_sql}) v)
    )
    SELECT COUNT(*), COUNT(*) FILTER (WHERE c.status = %s), COUNT(*) FILTER (WHERE {overdue}),
           COUNT(*) FILTER (WHERE {due_soon}), COUNT(*) FILTER (WHERE c.status = {cancelled}),
           (AVG(c.percent_complete) FILTER (WHERE c.status <> {cancelled}))::float,
           (SELECT COUNT(*) FROM ({roadmap_sql}) r),
           (SELECT COUNT(DISTINCT ac.country_id) FROM {action_countries} ac JOIN chosen x ON x.id = ac.action_id)
    FROM chosen c
"""


@cached_figures
def totals(actions, roadmaps) -> dict:
    """Headline figures: roadmaps, actions, countries, completed, overdue, due soon, mean percent.
    One query: the visible actions are derived once for all of them."""
    action_sql, action_params = _action_set_sql(actions)
    try:
        roadmap_sql, roadmap_params = roadmaps.order_by().values("id").query.sql_with_params()
    except EmptyResultSet:
        roadmap_sql, roadmap_params = "SELECT NULL::bigint AS id WHERE false", ()
    overdue, overdue_params = overdue_sql("c.due_date", "c.status")
    due_soon, due_soon_params = due_soon_sql("c.due_date", "c.status")
    sql = TOTALS_SQL.format(
        action=_table(Action),
        action_sql=action_sql,
        overdue=overdue,
        due_soon=due_soon,
        roadmap_sql=roadmap_sql,
        action_countries=_table(ActionCountry),
        cancelled=CANCELLED_SQL,
    )
    params = (
        *action_params,
        ActionStatus.COMPLETED.value,
        *overdue_params,
        *due_soon_params,
        *roadmap_params,
    )
    with connections[actions.db].cursor() as cursor:
        cursor.execute(sql, params)
        n, completed, overdue_n, due_soon_n, cancelled, mean, roadmap_n, countries = cursor.fetchone()
    return {
        "actions": n,
        "completed": completed,
        "overdue": overdue_n,
        "due_soon": due_soon_n,
        "cancelled": cancelled,
        "mean_percent": round(mean, 1) if mean is not None else None,
        "roadmaps": roadmap_n,
        "countries": countries,
    }


@cached_figures
def status_counts(actions) -> list[dict]:
    """[{status, label, count}] for every action status, in the order of the choices."""
    counts = {
        row["status"]: row["n"] for row in normalized(actions).values("status").annotate(n=Count("id")).order_by()
    }
    return [{"status": value, "label": label, "count": counts.get(value, 0)} for value, label in ActionStatus.choices]


@cached_figures
def country_rows(actions, country_ids=None) -> list[dict]:
    """Per country: actions, completed, overdue, mean percent, each from that country's own state on
    the action (CountryProgress): a joint action counts for each of its countries, with its own values."""
    today = timezone.localdate()
    states = CountryProgress.objects.filter(action_id__in=normalized(actions).values("id"))
    if country_ids is not None:
        states = states.filter(country_id__in=country_ids)
    rows = (
        states.values("country_id", "country__code", "country__name_en", "country__name_es")
        .annotate(
            actions=Count("action_id"),
            completed=Count("action_id", filter=Q(status=ActionStatus.COMPLETED)),
            overdue=Count("action_id", filter=overdue_q(today, due_date="action__due_date")),
            cancelled=Count("action_id", filter=~COUNTED_IN_MEAN),
            mean_percent=Avg("percent_complete", filter=COUNTED_IN_MEAN),
        )
        .order_by("country__name_en")
    )
    result = []
    for row in rows:
        row["name"] = pick({"en": row["country__name_en"], "es": row["country__name_es"]})
        row["code"] = row["country__code"]
        row["mean_percent"] = round(row["mean_percent"], 1) if row["mean_percent"] is not None else None
        row["heat"] = heat_class(row["mean_percent"])
        result.append(row)
    result.sort(key=lambda r: r["name"])
    return result


def action_list(actions):
    """Actions with what a list shows: roadmap, each country's state, objectives (prefetched)."""
    states = Prefetch(
        "country_progress", queryset=CountryProgress.objects.select_related("country").order_by("country__code")
    )
    return actions.select_related("roadmap").prefetch_related("countries", states, "objectives", "roadmap__objectives")


def latest_approved_updates(actions, *, country=None, limit=10):
    """The latest approved progress updates on `actions` (already visible), newest first.

    Approved updates of a visible action are visible to everyone (ProgressUpdate.visible_to).
    """
    updates = ProgressUpdate.objects.approved().filter(action_id__in=normalized(actions).values("id"))
    if country is not None:
        updates = updates.filter(country=country)
    return updates.select_related("action", "action__roadmap", "country").latest_first()[:limit]


# --- the regional review report -----------------------------------------------------------------
#
# The detail of the report is one row per (GCM objective, country, action): tens of thousands at the
# scale of the region, so the page shows them 100 at a time and the downloads give them all. Both
# read the same SQL (`_review_rows_sql`), the page with LIMIT/OFFSET, the downloads without: one
# definition and one order of the rows. The objective of a row is the action's own objectives or,
# when it has none, its roadmap's; that unnesting is a UNION ALL of the two link tables, in SQL, so
# that only the rows of the page are fetched and only they look up their latest approved update.

REVIEW_PAGE_SIZE = 100


@dataclass
class ReviewFilters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    country_ids: list | None = None
    objective_number: int | None = None  # narrows the detail rows only, not the summary tables
    # Each country's status is its latest approved update reported on or before this day (None: today's
    # state). A period without an explicit `as_of` is read as of its end (`ReviewFilters.status_day`).
    as_of: datetime.date | None = None

    @property
    def status_day(self) -> datetime.date | None:
        return self.as_of or self.date_to


def review_actions(user, filters: ReviewFilters):
    """Visible actions running during the period (start ≤ to, due ≥ from) of the chosen countries."""
    actions = Action.objects.visible_to(user)
    if filters.date_from:
        actions = actions.filter(Q(due_date__gte=filters.date_from) | Q(due_date__isnull=True))
    if filters.date_to:
        actions = actions.filter(Q(start_date__lte=filters.date_to) | Q(start_date__isnull=True))
    if filters.country_ids:
        actions = actions_for_countries(actions, filters.country_ids)
    return actions


@dataclass
class ReviewRow:
    objective_number: int
    objective_title: str
    country_code: str
    country_name: str
    action_id: int
    action_code: str
    action_title: str
    roadmap_title: str
    roadmap_slug: str
    status: str
    status_label: str
    percent_complete: int
    due_date: datetime.date | None
    reported_on: datetime.date | None
    narrative: str
    challenges: str
    # The day the status is read on (overdue is judged then): None for today.
    status_day: datetime.date | None = None

    @property
    def is_overdue(self):
        return is_overdue(self.due_date, self.status, self.status_day)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _action_set_sql(actions) -> tuple[str, tuple]:
    try:
        sql, params = actions.order_by().values("id", "roadmap_id").query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (e.g. an empty list of ids)
        return "SELECT NULL::bigint AS id, NULL::bigint AS roadmap_id WHERE false", ()
    return sql, tuple(params)


# The order of the report: objective number, country name, action code (then ids, so that equal
# names or codes still give one stable order). Names and codes compare by code point (COLLATE "C"),
# as Python sorted them before the rows were paged, and as the country summary table does.
def _review_order(r: str) -> str:
    return (
        f'{r}.objective_number, {r}.country_name COLLATE "C", {r}.country_id, '
        f'{r}.action_code COLLATE "C", {r}.action_id'
    )


def _review_keys_sql(actions, country_ids=None, objective_numbers=None) -> tuple[str, tuple]:
    """`WITH … review_row AS (…)`: one row per (objective, country, action) with its sort keys.

    `actions` is the viewer's actions (`review_actions`: the ORM's `Action.objects.visible_to(user)`
    with the period and countries), compiled and used as the first CTE. `country_ids` and
    `objective_numbers` keep only those countries' and objectives' rows. The query starts from the
    (action, country) links, then adds each link's objectives: read this way, the rows of a few
    countries cost a few index lookups per link, not a pass over every link of the objectives.
    """
    action_sql, params = _action_set_sql(actions)
    params = list(params)
    own_links = _table(ActionObjective)
    in_countries = in_objectives = ""
    if country_ids:
        in_countries = "WHERE ac.country_id = ANY(%s)"
        params.append(list(country_ids))
    if objective_numbers is not None:
        in_objectives = "AND o.number = ANY(%s)"
        params += [list(objective_numbers), list(objective_numbers)]  # one for each branch
    sql = f"""
        WITH chosen AS NOT MATERIALIZED (  -- the visible actions of the period and countries: id, roadmap_id
            {action_sql}
        ),
        action_country AS (  -- their responsible countries
            SELECT ac.action_id, ac.country_id, c.roadmap_id
            FROM {_table(ActionCountry)} ac JOIN chosen c ON c.id = ac.action_id
            {in_countries}
        ),
        review_link AS (  -- × the action's own objectives, or its roadmap's when it has none
            SELECT l.action_id, l.country_id, o.number AS objective_number
            FROM action_country l
            JOIN {own_links} own ON own.action_id = l.action_id
            JOIN {_table(Objective)} o ON o.id = own.objective_id {in_objectives}
            UNION ALL
            SELECT l.action_id, l.country_id, o.number
            FROM action_country l
            JOIN {_table(RoadmapObjective)} by_roadmap ON by_roadmap.roadmap_id = l.roadmap_id
            JOIN {_table(Objective)} o ON o.id = by_roadmap.objective_id {in_objectives}
            WHERE NOT EXISTS (SELECT 1 FROM {own_links} x WHERE x.action_id = l.action_id)
        ),
        review_row AS (  -- with the keys the report is sorted on
            SELECT rl.objective_number, rl.country_id, {localized_sql("k", "name")} AS country_name,
                   rl.action_id, a.code AS action_code
            FROM review_link rl
            JOIN {_table(Country)} k ON k.id = rl.country_id
            JOIN {_table(Action)} a ON a.id = rl.action_id
        )
    """
    return sql, tuple(params)


@cached_figures
def review_row_counts(actions, country_ids=None) -> list[tuple[int, int, int]]:
    """[(objective number, country id, rows)] in the report's order, over `actions` (`review_actions`).

    One grouped query over every row of the report (~50–100 ms at the stress scale), cached until the
    data changes: it gives the number of pages, the page each objective starts on, and which
    (objective, country) groups a page spans, so the page's query reads those groups only.
    """
    keys_sql, params = _review_keys_sql(actions, country_ids)
    using = actions.db  # the connection the viewer's actions are read from (a replica, for API reads)
    sql = f"""
        {keys_sql}
        SELECT g.objective_number, g.country_id, g.rows FROM (
            SELECT objective_number, country_id, MIN(country_name) AS country_name, COUNT(*) AS rows
            FROM review_row GROUP BY objective_number, country_id
        ) g
        ORDER BY g.objective_number, g.country_name COLLATE "C", g.country_id
    """
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def review_rows(user, filters: ReviewFilters, *, groups=None, offset: int = 0, limit: int | None = None):
    """[ReviewRow] in the report's order: `limit` of them (all when None) from `offset`.

    `groups`, a list of (objective number, country id), reads only those groups' rows (the offset
    then counts from the first of them); by default the rows of the objective filter, or all rows.
    The narrative and challenges are the country's latest approved update on the action (within the
    period when one is set), looked up for the fetched rows only: a LATERAL join after the LIMIT.
    One query.
    """
    objective_numbers, country_ids, in_groups, group_params = None, filters.country_ids, "", ()
    if groups is not None:
        objective_numbers = sorted({number for number, _country in groups})
        country_ids = sorted({country for _number, country in groups})
        in_groups = "WHERE (objective_number, country_id) IN (SELECT * FROM unnest(%s::int[], %s::bigint[]))"
        group_params = ([number for number, _c in groups], [country for _n, country in groups])
    elif filters.objective_number is not None:
        objective_numbers = [filters.objective_number]
    sql, params, using = _review_rows_sql(
        user, filters, objective_numbers, country_ids, in_groups, group_params, offset, limit, document_order=False
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        labels = {value: str(label) for value, label in ActionStatus.choices}
        return [_review_row(dict(zip(names, values, strict=True)), filters, labels) for values in cursor.fetchall()]


# The order of the Word documents: objective, roadmap, action, then the action's countries in the
# report's order (names by code point, as Python sorts them).
def _document_order() -> str:
    return (
        f'page.objective_number, {localized_sql("r", "title")} COLLATE "C", page.action_code COLLATE "C", '
        'page.action_id, page.country_name COLLATE "C", page.country_id'
    )


def iter_review_rows(user, filters: ReviewFilters, *, chunk_size: int = 2000):
    """Every ReviewRow of the report (the objective filter applies) in the documents' order (objective,
    roadmap, action, country), read through a server-side cursor `chunk_size` rows at a time, so a
    region's report is never in memory at once. One query."""
    objective_numbers = None if filters.objective_number is None else [filters.objective_number]
    sql, params, using = _review_rows_sql(
        user, filters, objective_numbers, filters.country_ids, "", (), 0, None, document_order=True
    )
    with connections[using].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        names, labels = None, {value: str(label) for value, label in ActionStatus.choices}
        while rows := cursor.fetchmany(chunk_size):
            names = names or [column.name for column in cursor.description]
            for values in rows:
                yield _review_row(dict(zip(names, values, strict=True)), filters, labels)


def _review_rows_sql(
    user, filters, objective_numbers, country_ids, in_groups, group_params, offset, limit, *, document_order
):
    """(SQL, params, database alias) of the report's rows; see `review_rows`."""
    actions = review_actions(user, filters)
    keys_sql, key_params = _review_keys_sql(actions, country_ids, objective_numbers)
    # The latest approved update, as the ORM defines "approved" and "latest"; the outer row's action
    # and country are named (`page.…`), which makes it a subquery correlated with each row of the page.
    latest = ProgressUpdate.objects.approved().filter(
        action_id=RawSQL("page.action_id", (), output_field=BigIntegerField()),
        country_id=RawSQL("page.country_id", (), output_field=BigIntegerField()),
    )
    if filters.date_from:
        latest = latest.filter(reporting_date__gte=filters.date_from)
    if filters.date_to:
        latest = latest.filter(reporting_date__lte=filters.date_to)
    latest = latest.latest_first().values("reporting_date", "narrative", "challenges")[:1]
    latest_sql, latest_params = latest.query.sql_with_params()
    # The country's state: today's (CountryProgress), or as of a day — its latest update approved (at
    # any time) with a reporting date on or before that day, picked as `country_progress_refresh` picks
    # it; a country with none by then is *not started* at 0 %.
    select_params, join_params = (), ()
    status_sql = "s.status, s.percent_complete"
    state_join = f"JOIN {_table(CountryProgress)} s ON s.action_id = page.action_id AND s.country_id = page.country_id"
    if filters.status_day:
        state = ProgressUpdate.objects.approved().filter(
            action_id=RawSQL("page.action_id", (), output_field=BigIntegerField()),
            country_id=RawSQL("page.country_id", (), output_field=BigIntegerField()),
            reporting_date__lte=filters.status_day,
        )
        state = state.order_by("-reporting_date", "-reviewed_at", "-id").values("status", "percent_complete")[:1]
        state_sql, join_params = state.query.sql_with_params()
        state_join = f"LEFT JOIN LATERAL ({state_sql}) s ON true"
        status_sql = "COALESCE(s.status, %s) AS status, COALESCE(s.percent_complete, 0) AS percent_complete"
        select_params = (ActionStatus.NOT_STARTED.value,)
    sql = f"""
        {keys_sql}
        SELECT page.objective_number, {localized_sql("o", "title")} AS objective_title,
               k.code AS country_code, page.country_name,
               a.id AS action_id, a.code AS action_code, {localized_sql("a", "title")} AS action_title,
               {localized_sql("r", "title")} AS roadmap_title, r.slug AS roadmap_slug,
               {status_sql}, a.due_date,
               latest.reporting_date, latest.narrative, latest.challenges
        FROM (
            SELECT * FROM review_row {in_groups}
            {"" if document_order else f"ORDER BY {_review_order('review_row')}"} LIMIT %s OFFSET %s  -- NULL: all
        ) page
        JOIN {_table(Objective)} o ON o.number = page.objective_number
        JOIN {_table(Country)} k ON k.id = page.country_id
        JOIN {_table(Action)} a ON a.id = page.action_id
        {state_join}
        JOIN {_table(Roadmap)} r ON r.id = a.roadmap_id
        LEFT JOIN LATERAL ({latest_sql}) latest ON true
        ORDER BY {_document_order() if document_order else _review_order("page")}
    """
    # Placeholders in the order they appear in the SQL.
    params = (*key_params, *select_params, *group_params, limit, offset, *join_params, *latest_params)
    return sql, params, actions.db


def _review_row(rec: dict, filters: ReviewFilters, labels: dict) -> ReviewRow:
    return ReviewRow(
        objective_number=rec["objective_number"],
        objective_title=rec["objective_title"],
        country_code=rec["country_code"],
        country_name=rec["country_name"],
        action_id=rec["action_id"],
        action_code=rec["action_code"],
        action_title=rec["action_title"],
        roadmap_title=rec["roadmap_title"],
        roadmap_slug=rec["roadmap_slug"],
        status=rec["status"],
        status_label=str(labels.get(rec["status"], rec["status"])),
        percent_complete=rec["percent_complete"],
        due_date=rec["due_date"],
        reported_on=rec["reporting_date"],
        narrative=rec["narrative"] or "",
        challenges=rec["challenges"] or "",
        status_day=filters.status_day,
    )


class ReviewRowList(list):
    """Rows of one page, with the row just before them (None on the first page)."""

    previous: ReviewRow | None = None


class PagedReviewRows:
    """The report's rows as a lazy sequence for `django.core.paginator.Paginator`.

    `count()` adds up `review_row_counts` (rows per objective and country, cached until the data
    changes). Slicing runs `review_rows` once, on the (objective, country) groups the slice spans only,
    so PostgreSQL reads and sorts a few hundred rows, not the region's; it fetches one row more in
    front, so the page can tell whether its first objective and country continue from the page before.
    """

    def __init__(self, user, filters: ReviewFilters):
        self.user, self.filters = user, filters
        self._all_groups = None

    @property
    def all_groups(self) -> list[tuple[int, int, int]]:
        """(objective number, country id, rows) of the report without the objective filter."""
        if self._all_groups is None:
            actions = review_actions(self.user, self.filters)
            self._all_groups = review_row_counts(actions, self.filters.country_ids)
        return self._all_groups

    def _groups(self):
        number = self.filters.objective_number
        return [g for g in self.all_groups if number is None or g[0] == number]

    def count(self) -> int:
        return sum(n for _number, _country, n in self._groups())

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("PagedReviewRows can only be sliced")
        start = index.start or 0
        stop = self.count() if index.stop is None else index.stop
        before = 1 if start > 0 else 0
        first = start - before
        # The groups whose rows overlap [first, stop), and how many rows come before the first of them.
        spanned, skipped, seen = [], 0, 0
        for number, country_id, n in self._groups():
            if seen + n > first and seen < stop:
                if not spanned:
                    skipped = seen
                spanned.append((number, country_id))
            seen += n
        rows = ReviewRowList()
        if spanned:
            fetched = review_rows(self.user, self.filters, groups=spanned, offset=first - skipped, limit=stop - first)
            rows.extend(fetched[before:])
            rows.previous = fetched[0] if before and fetched else None
        return rows

    def first_pages(self, per_page: int = REVIEW_PAGE_SIZE) -> dict[int, int]:
        """{objective number: the page its rows start on} in the report without the objective filter."""
        pages, seen = {}, 0
        for number, _country, n in self.all_groups:
            pages.setdefault(number, seen // per_page + 1)
            seen += n
        return pages


def group_review_rows(rows: list[ReviewRow], previous: ReviewRow | None = None) -> list[dict]:
    """[{number, title, continued, countries: [{code, name, continued, rows}]}] in the rows' order.

    `previous` is the row before the first one (the last of the page before): the first objective
    and country groups are marked `continued` when they carry on from it.
    """
    groups = []
    for row in rows:
        if not groups or groups[-1]["number"] != row.objective_number:
            continued = bool(previous and previous.objective_number == row.objective_number and not groups)
            groups.append(
                {"number": row.objective_number, "title": row.objective_title, "continued": continued, "countries": []}
            )
        countries = groups[-1]["countries"]
        if not countries or countries[-1]["code"] != row.country_code:
            continued = bool(
                previous
                and not countries
                and groups[-1]["continued"]
                and len(groups) == 1
                and previous.country_code == row.country_code
            )
            countries.append({"code": row.country_code, "name": row.country_name, "continued": continued, "rows": []})
        countries[-1]["rows"].append(row)
    return groups
