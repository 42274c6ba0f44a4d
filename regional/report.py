"""The review report read as frozen (a closed cycle's snapshot) or as of a day, and its summaries.

Today's report is computed by `regional.selectors` (live figures, paged in SQL). A frozen report reads
the snapshot rows (`roadmaps.SnapshotRow`) only, so its page and downloads stay the same whatever is
approved later; an as-of report reads each country's state on that day. Both summarise their own rows
here, with the one rule for an action's overall state (`roadmaps.models.overall_progress`), so the
summary tables always agree with the rows below them.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace

from django.db import connection
from django.utils import formats
from django.utils.translation import gettext as _

from core.bilingual import localized_sql
from gcm.models import Objective
from regional import selectors
from regional.selectors import REVIEW_PAGE_SIZE, ObjectiveRow, ReviewFilters, ReviewRow, ReviewRowList, heat_class
from roadmaps import figures
from roadmaps.cycles import frozen_rows
from roadmaps.models import ActionStatus, ReportingCycle, Roadmap, SnapshotRow


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
    labels = dict(ActionStatus.choices)
    closed_on = cycle.closed_at.date()
    return [
        ReviewRow(
            objective_number=r["objective_number"],
            objective_title=r["objective_title"],
            country_code=r["country_code"],
            country_name=r["country_name"],
            action_id=r["action_id"],
            action_code=r["action_code"],
            action_title=r["action_title"],
            roadmap_title=r["roadmap_title"],
            roadmap_slug=r["roadmap_slug"],
            status=r["status"],
            status_label=str(labels.get(r["status"], r["status"])),
            percent_complete=r["percent_complete"],
            due_date=r["due_date"],
            reported_on=r["reporting_date"],
            narrative=r["narrative"],
            challenges=r["challenges"],
            status_day=closed_on,
        )
        for r in records
    ]


def review_parts(user, filters: ReviewFilters, source: ReportSource, actions):
    """(rows, by-objective summary, by-country rows) of the report, its page and its downloads.

    Today's rows are `selectors.PagedReviewRows` (paged in SQL) and the summaries SQL aggregates; a
    frozen or as-of report's rows are a `RowsPage` over the whole list, summarised from it."""
    if source.frozen or source.status_day:
        if source.frozen:
            all_rows = frozen_review_rows(user, source.cycle, filters)
        else:
            all_rows = selectors.review_rows(user, filters)
        unfiltered = all_rows
        if filters.objective_number is not None and not source.frozen:
            unfiltered = selectors.review_rows(user, replace(filters, objective_number=None))
        elif filters.objective_number is not None:
            unfiltered = frozen_review_rows(user, source.cycle, replace(filters, objective_number=None))
        picture, countries = summaries(unfiltered)
        return RowsPage(all_rows), picture, countries
    picture = selectors.regional_picture(actions, country_ids=filters.country_ids)
    countries = selectors.country_rows(actions, country_ids=filters.country_ids)
    return selectors.PagedReviewRows(user, filters), picture, countries


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
    """(by objective, by country) of the report's rows, by `roadmaps.figures` (the API's code too)."""
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
            figures.State(
                action_id=row.action_id,
                country_code=row.country_code,
                objective_numbers=tuple(sorted(objectives_of[row.action_id])),
                status=row.status,
                percent_complete=row.percent_complete,
                due_date=row.due_date,
                day=row.status_day,
            )
        )
    per_objective = figures.by_objective(states)
    objective_rows = []
    for objective in Objective.objects.order_by("number"):
        f = per_objective.get(objective.number, figures.Figures())
        objective_rows.append(
            ObjectiveRow(
                objective=objective,
                actions=f.actions,
                percent_total=f.percent_total,
                countries=f.countries,
                cancelled=f.cancelled,
            )
        )
    country_rows = [
        {
            "code": code,
            "name": names[code],
            "actions": f.actions,
            "completed": f.completed,
            "overdue": f.overdue,
            "cancelled": f.cancelled,
            "mean_percent": f.mean_percent,
            "heat": heat_class(f.mean_percent),
        }
        for code, f in sorted(figures.by_country(states).items(), key=lambda item: names[item[0]])
    ]
    return Summary(objectives=objective_rows), country_rows


__all__ = ["ReportSource", "RowsPage", "SnapshotRow", "frozen_review_rows", "review_parts", "summaries"]
