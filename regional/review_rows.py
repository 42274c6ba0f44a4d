"""The regional review report's rows: one per (GCM objective, country, action), paged in SQL.

The detail of the report is tens of thousands of rows at the scale of the region, so the page shows
them 100 at a time and the downloads give them all. Both read the same SQL (`_review_rows_sql`), the
page with LIMIT/OFFSET, the downloads without: one definition and one order of the rows. The
objective of a row is the action's own objectives or, when it has none, its roadmap's; that unnesting
is a UNION ALL of the two link tables, in SQL, so that only the rows of the page are fetched and only
they look up their latest approved update. The summaries above the rows are `roadmaps.figures`'.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import BigIntegerField, Q
from django.db.models.expressions import RawSQL

from core.bilingual import localized_sql
from core.figures_cache import cached_figures
from countries.models import Country
from gcm.models import Objective
from roadmaps.models import Action, ActionStatus, CountryProgress, ProgressUpdate, Roadmap, is_overdue
from roadmaps.models.choices import choice_labels

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
        actions = actions.for_countries(filters.country_ids)
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
    own_links = _table(Action.objectives.through)
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
            FROM {_table(Action.countries.through)} ac JOIN chosen c ON c.id = ac.action_id
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
            JOIN {_table(Roadmap.objectives.through)} by_roadmap ON by_roadmap.roadmap_id = l.roadmap_id
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
        labels, day = status_labels(), filters.status_day
        return [review_row(dict(zip(names, values, strict=True)), labels, day) for values in cursor.fetchall()]


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
        names, labels = None, status_labels()
        while rows := cursor.fetchmany(chunk_size):
            names = names or [column.name for column in cursor.description]
            for values in rows:
                yield review_row(dict(zip(names, values, strict=True)), labels, filters.status_day)


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


def status_labels() -> dict:
    return choice_labels(ActionStatus)


def review_row(rec: dict, labels: dict, status_day: datetime.date | None) -> ReviewRow:
    """A ReviewRow from a record of the report's columns (today's rows, or a frozen snapshot's)."""
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
        status_label=labels.get(rec["status"], rec["status"]),
        percent_complete=rec["percent_complete"],
        due_date=rec["due_date"],
        reported_on=rec["reporting_date"],
        narrative=rec["narrative"] or "",
        challenges=rec["challenges"] or "",
        status_day=status_day,
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
