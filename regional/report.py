"""The review report read as frozen (a closed cycle's snapshot) or as of a day, and its summaries.

Today's report is read by `regional.review_rows` (rows paged in SQL) and `regional.selectors` (the
live figures). A frozen report reads the snapshot rows (`roadmaps.SnapshotRow`) only, so its page and
downloads stay the same whatever is approved later; an as-of report reads each country's state on that
day. Both summarise their own rows here, with the one rule for an action's overall state
(`roadmaps.models.overall_progress`), so the summary tables always agree with the rows below them.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace

from django.db import connection
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.bilingual import localized_sql
from gcm.models import Objective
from regional import review_rows, selectors
from regional.presentation import country_row, objective_row
from regional.review_rows import REVIEW_PAGE_SIZE, ReviewFilters, ReviewRow, ReviewRowList
from roadmaps.cycles import frozen_rows
from roadmaps.figures import states as figures_of_states
from roadmaps.models import ReportingCycle, Roadmap, SnapshotRow


@dataclass
class ReportSource:
    """Where the report's statuses come from: today's state, a day's, or a closed cycle's snapshot."""

    cycle: ReportingCycle | None = None
    status_day: datetime.date | None = None

    @property
    def label(self) -> str:
        if self.cycle is not None:
            return _("Snapshot %(key)s, frozen at %(time)s") % {
                "key": self.cycle.key,
                "time": formats.date_format(self.cycle.closed_at, "Y-m-d H:i e"),
            }
        if self.status_day is not None:
            return _("Status as of %(day)s") % {"day": self.status_day.isoformat()}
        return _("Status today")

    @property
    def frozen(self) -> bool:
        return self.cycle is not None

    @property
    def file_name(self) -> str:
        """The downloads' name: the cycle's key, or the day the statuses are read on."""
        day = self.cycle.key if self.frozen else (self.status_day or timezone.localdate()).isoformat()
        return f"gcm-regional-review-{day}"

    @property
    def stamp(self) -> datetime.datetime | None:
        """A frozen cycle's close time: the time its files are dated, so a snapshot keeps its bytes."""
        return self.cycle.closed_at if self.frozen else None


def frozen_review_rows(user, cycle: ReportingCycle, filters: ReviewFilters) -> list[ReviewRow]:
    """The snapshot's rows as report rows, one per (objective, country, action), in the report's order.

    Only rows of roadmaps the viewer may see today (the live visibility rule still applies to a
    snapshot: a roadmap turned internal since leaves the public's copy). One query."""
    visible = list(Roadmap.objects.visible_to(user).order_by().values_list("id", flat=True))
    snapshot = frozen_rows(cycle)
    where, params = (
        ["s.cycle_id = %s", "s.frozen_at = %s", "s.roadmap_id = ANY(%s)"],
        [
            cycle.pk,
            cycle.closed_at,
            visible,
        ],
    )
    if filters.country_ids:
        where.append("s.country_id = ANY(%s)")
        params.append(list(filters.country_ids))
    having = ""
    if filters.objective_number is not None:
        having = "WHERE u.objective_number = %s"
        params.append(filters.objective_number)
    table = connection.ops.quote_name(snapshot.model._meta.db_table)
    sql = f"""
        SELECT u.objective_number, {localized_sql("o", "title")} AS objective_title, u.* FROM (
            SELECT unnest(s.objective_numbers) AS objective_number, s.country_code,
                   {localized_sql("s", "country_name")} AS country_name, s.country_id, s.action_id, s.action_code,
                   {localized_sql("s", "action_title")} AS action_title,
                   {localized_sql("s", "roadmap_title")} AS roadmap_title, s.roadmap_slug,
                   s.status, s.percent_complete, s.due_date, s.reporting_date, s.narrative, s.challenges
            FROM {table} s WHERE {" AND ".join(where)}
        ) u
        JOIN gcm_objective o ON o.number = u.objective_number
        {having}
        ORDER BY u.objective_number, u.country_name COLLATE "C", u.country_id, u.action_code COLLATE "C", u.action_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        records = [dict(zip(names, values, strict=False)) for values in cursor.fetchall()]
    labels, closed_on = review_rows.status_labels(), cycle.closed_at.date()
    return [review_rows.review_row(r, labels, closed_on) for r in records]


def review_parts(user, filters: ReviewFilters, source: ReportSource, actions):
    """(rows, by-objective summary, by-country rows) of the report, its page and its downloads.

    Today's rows are `review_rows.PagedReviewRows` (paged in SQL) and the summaries the live figures; a
    frozen or as-of report's rows are a `RowsPage` over the whole list, summarised from it."""
    if source.frozen or source.status_day:
        if source.frozen:
            all_rows = frozen_review_rows(user, source.cycle, filters)
        else:
            all_rows = review_rows.review_rows(user, filters)
        unfiltered = all_rows
        if filters.objective_number is not None and not source.frozen:
            unfiltered = review_rows.review_rows(user, replace(filters, objective_number=None))
        elif filters.objective_number is not None:
            unfiltered = frozen_review_rows(user, source.cycle, replace(filters, objective_number=None))
        picture, countries = summaries(unfiltered)
        return RowsPage(all_rows), picture, countries
    picture = selectors.regional_picture(actions, country_ids=filters.country_ids)
    countries = selectors.country_rows(actions, country_ids=filters.country_ids)
    return review_rows.PagedReviewRows(user, filters), picture, countries


class RowsPage:
    """A list of report rows as the paginator's sequence, its slices knowing the row before them."""

    def __init__(self, rows: list[ReviewRow]):
        self.rows = rows

    def count(self):
        return len(self.rows)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index):
        page = ReviewRowList(self.rows[index])
        start = index.start or 0
        page.previous = self.rows[start - 1] if start > 0 else None
        return page

    def first_pages(self, per_page: int = REVIEW_PAGE_SIZE) -> dict[int, int]:
        pages = {}
        for position, row in enumerate(self.rows):
            pages.setdefault(row.objective_number, position // per_page + 1)
        return pages


@dataclass
class Summary:
    objectives: list  # ObjectiveRow, 1–23 in order (the shape of RegionalPicture.objectives)


def summaries(rows: list[ReviewRow]) -> tuple[Summary, list[dict]]:
    """(by objective, by country) of the report's rows, by `roadmaps.figures.states` (the API's code too)."""
    objectives_of = defaultdict(set)
    for row in rows:
        objectives_of[row.action_id].add(row.objective_number)
    states, names, seen = [], {}, set()
    for row in rows:
        if (row.action_id, row.country_code) in seen:
            continue
        seen.add((row.action_id, row.country_code))
        names[row.country_code] = row.country_name
        states.append(
            figures_of_states.State(
                action_id=row.action_id,
                country_code=row.country_code,
                objective_numbers=tuple(sorted(objectives_of[row.action_id])),
                status=row.status,
                percent_complete=row.percent_complete,
                due_date=row.due_date,
                day=row.status_day,
            )
        )
    per_objective = figures_of_states.by_objective(states)
    objective_rows = [
        objective_row(objective, per_objective.get(objective.number, figures_of_states.Figures()))
        for objective in Objective.objects.order_by("number")
    ]
    country_rows = [
        country_row(code, names[code], f)
        for code, f in sorted(figures_of_states.by_country(states).items(), key=lambda item: names[item[0]])
    ]
    return Summary(objectives=objective_rows), country_rows


__all__ = ["ReportSource", "RowsPage", "SnapshotRow", "frozen_review_rows", "review_parts", "summaries"]
