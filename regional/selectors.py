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

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from config.bilingual import localized_expression, pick
from countries.models import Country
from gcm.models import Objective
from roadmaps.models import CLOSED_STATUSES, Action, ActionStatus, ProgressUpdate, Roadmap

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
    return round(total / count, 1) if count else None


def normalized(actions):
    """The same actions as a plain `id IN (…)` filter, so joins in the caller's filters cannot
    multiply rows in the GROUP BY queries below."""
    return Action.objects.filter(id__in=actions.order_by().values("id"))


def _with_own_flag(actions):
    return actions.annotate(has_own_objectives=Exists(ActionObjective.objects.filter(action_id=OuterRef("pk"))))


def actions_for_objective(actions, objective_id: int):
    """The actions (of `actions`) that work on the objective, their own or by their roadmap's."""
    own = ActionObjective.objects.filter(objective_id=objective_id).values("action_id")
    by_roadmap = RoadmapObjective.objects.filter(objective_id=objective_id).values("roadmap_id")
    return _with_own_flag(actions).filter(Q(id__in=own) | Q(has_own_objectives=False, roadmap_id__in=by_roadmap))


def actions_for_countries(actions, country_ids):
    return actions.filter(id__in=ActionCountry.objects.filter(country_id__in=country_ids).values("action_id"))


# --- dashboard and report figures --------------------------------------------------------------


@dataclass
class ObjectiveRow:
    objective: Objective
    actions: int = 0
    percent_total: int = 0
    countries: int = 0

    @property
    def mean_percent(self):
        return _mean(self.percent_total, self.actions)

    @property
    def heat(self):
        return heat_class(self.mean_percent)


@dataclass
class Cell:
    actions: int = 0
    percent_total: int = 0

    @property
    def mean_percent(self):
        return _mean(self.percent_total, self.actions)

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


def regional_picture(actions, country_ids=None) -> RegionalPicture:
    """Per objective: actions, countries, mean percent; the country × objective matrix.

    `country_ids` restricts the matrix (and the countries counted) to those countries.
    Six queries whatever the number of actions.
    """
    base = normalized(actions)
    with_flag = _with_own_flag(base)

    # Per objective (each action counted once per objective, however many countries it has).
    per_objective = defaultdict(lambda: [0, 0])
    own = (
        ActionObjective.objects.filter(action_id__in=base.values("id"))
        .values("objective_id")
        .annotate(n=Count("action_id"), total=Sum("action__percent_complete"))
        .order_by()
    )
    by_roadmap = (
        with_flag.filter(has_own_objectives=False)
        .values(obj=F("roadmap__objectives"))
        .annotate(n=Count("id"), total=Sum("percent_complete"))
        .order_by()
    )
    for row in own:
        per_objective[row["objective_id"]][0] += row["n"]
        per_objective[row["objective_id"]][1] += row["total"] or 0
    for row in by_roadmap:
        if row["obj"] is None:  # the roadmap has no objectives either
            continue
        per_objective[row["obj"]][0] += row["n"]
        per_objective[row["obj"]][1] += row["total"] or 0

    # Per (objective, country).
    cells = defaultdict(Cell)
    # Filters on the aliases (`ctry__in`) reuse the join of values(): a second filter on
    # `countries__in` would join the link table again and count rows twice.
    own_cells = ActionObjective.objects.filter(action_id__in=base.values("id")).values(
        obj=F("objective_id"), ctry=F("action__countries")
    )
    by_roadmap_cells = with_flag.filter(has_own_objectives=False).values(
        obj=F("roadmap__objectives"), ctry=F("countries")
    )
    if country_ids is not None:
        own_cells = own_cells.filter(ctry__in=country_ids)
        by_roadmap_cells = by_roadmap_cells.filter(ctry__in=country_ids)
    for row in own_cells.annotate(n=Count("action_id"), total=Sum("action__percent_complete")).order_by():
        if row["ctry"] is None:
            continue
        cell = cells[(row["obj"], row["ctry"])]
        cell.actions += row["n"]
        cell.percent_total += row["total"] or 0
    for row in by_roadmap_cells.annotate(n=Count("id"), total=Sum("percent_complete")).order_by():
        if row["obj"] is None or row["ctry"] is None:
            continue
        cell = cells[(row["obj"], row["ctry"])]
        cell.actions += row["n"]
        cell.percent_total += row["total"] or 0

    objectives = list(Objective.objects.order_by("number"))
    countries_per_objective = defaultdict(int)
    for obj_id, _country_id in cells:
        countries_per_objective[obj_id] += 1
    objective_rows = [
        ObjectiveRow(
            objective=o,
            actions=per_objective[o.id][0],
            percent_total=per_objective[o.id][1],
            countries=countries_per_objective[o.id],
        )
        for o in objectives
    ]
    country_ids_seen = {country_id for _obj, country_id in cells}
    countries = Country.objects.filter(id__in=country_ids_seen).order_by(localized_expression("name"))
    matrix = [MatrixRow(country=c, cells=[(o, cells.get((o.id, c.id), Cell())) for o in objectives]) for c in countries]
    return RegionalPicture(objectives=objective_rows, matrix=matrix, objective_columns=objectives)


def overdue_q(today: datetime.date):
    return Q(due_date__lt=today) & ~Q(status__in=CLOSED_STATUSES)


def totals(actions, roadmaps) -> dict:
    """Headline figures: roadmaps, actions, countries, completed, overdue, due soon, mean percent."""
    today = timezone.localdate()
    base = normalized(actions)
    figures = base.aggregate(
        actions=Count("id"),
        completed=Count("id", filter=Q(status=ActionStatus.COMPLETED)),
        overdue=Count("id", filter=overdue_q(today)),
        due_soon=Count("id", filter=Q(id__in=Action.objects.due_soon(today).values("id"))),
        mean_percent=Avg("percent_complete"),
    )
    figures["mean_percent"] = round(figures["mean_percent"], 1) if figures["mean_percent"] is not None else None
    figures["roadmaps"] = roadmaps.count()
    figures["countries"] = (
        ActionCountry.objects.filter(action_id__in=base.values("id")).values("country_id").distinct().count()
    )
    return figures


def status_counts(actions) -> list[dict]:
    """[{status, label, count}] for every action status, in the order of the choices."""
    counts = {
        row["status"]: row["n"] for row in normalized(actions).values("status").annotate(n=Count("id")).order_by()
    }
    return [{"status": value, "label": label, "count": counts.get(value, 0)} for value, label in ActionStatus.choices]


def country_rows(actions, country_ids=None) -> list[dict]:
    """Per country: actions, completed, overdue, mean percent (an action counts for each of its countries)."""
    today = timezone.localdate()
    links = ActionCountry.objects.filter(action_id__in=normalized(actions).values("id"))
    if country_ids is not None:
        links = links.filter(country_id__in=country_ids)
    rows = (
        links.values("country_id", "country__code", "country__name_en", "country__name_es")
        .annotate(
            actions=Count("action_id"),
            completed=Count("action_id", filter=Q(action__status=ActionStatus.COMPLETED)),
            overdue=Count("action_id", filter=Q(action__due_date__lt=today) & ~Q(action__status__in=CLOSED_STATUSES)),
            mean_percent=Avg("action__percent_complete"),
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
    """Actions with what a list shows: roadmap, countries (prefetched), objectives (prefetched)."""
    return actions.select_related("roadmap").prefetch_related("countries", "objectives", "roadmap__objectives")


def latest_approved_updates(actions, *, country=None, limit=10):
    """The latest approved progress updates on `actions` (already visible), newest first.

    Approved updates of a visible action are visible to everyone (ProgressUpdate.visible_to).
    """
    updates = ProgressUpdate.objects.approved().filter(action_id__in=normalized(actions).values("id"))
    if country is not None:
        updates = updates.filter(country=country)
    return updates.select_related("action", "action__roadmap", "country").latest_first()[:limit]


# --- the regional review report -----------------------------------------------------------------


@dataclass
class ReviewFilters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    country_ids: list | None = None


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

    @property
    def is_overdue(self):
        return bool(self.due_date and self.due_date < timezone.localdate() and self.status not in CLOSED_STATUSES)


def review_rows(user, filters: ReviewFilters) -> list[ReviewRow]:
    """One row per (objective, country, action), ordered by objective, country, action code.

    The narrative and challenges are the country's latest approved update on the action (within
    the period when one is set). One query for the rows, one for the objective titles.
    """
    actions = review_actions(user, filters)
    latest = ProgressUpdate.objects.approved().filter(
        action_id=OuterRef("action_id"), country_id=OuterRef("country_id")
    )
    if filters.date_from:
        latest = latest.filter(reporting_date__gte=filters.date_from)
    if filters.date_to:
        latest = latest.filter(reporting_date__lte=filters.date_to)
    latest = latest.latest_first()
    links = ActionCountry.objects.filter(action_id__in=actions.values("id"))
    if filters.country_ids:
        links = links.filter(country_id__in=filters.country_ids)
    links = links.annotate(
        reported_on=Subquery(latest.values("reporting_date")[:1]),
        narrative=Subquery(latest.values("narrative")[:1]),
        challenges=Subquery(latest.values("challenges")[:1]),
        own_objectives=ArraySubquery(
            ActionObjective.objects.filter(action_id=OuterRef("action_id")).values("objective__number")
        ),
        roadmap_objectives=ArraySubquery(
            RoadmapObjective.objects.filter(roadmap_id=OuterRef("action__roadmap_id")).values("objective__number")
        ),
    ).values(
        "action_id",
        "action__code",
        "action__title_en",
        "action__title_es",
        "action__status",
        "action__percent_complete",
        "action__due_date",
        "action__roadmap__slug",
        "action__roadmap__title_en",
        "action__roadmap__title_es",
        "country__code",
        "country__name_en",
        "country__name_es",
        "reported_on",
        "narrative",
        "challenges",
        "own_objectives",
        "roadmap_objectives",
    )
    titles = {o.number: o.title for o in Objective.objects.all()}
    status_labels = dict(ActionStatus.choices)
    rows = []
    for link in links:
        numbers = link["own_objectives"] or link["roadmap_objectives"] or []
        for number in numbers:
            rows.append(
                ReviewRow(
                    objective_number=number,
                    objective_title=titles.get(number, ""),
                    country_code=link["country__code"],
                    country_name=pick({"en": link["country__name_en"], "es": link["country__name_es"]}),
                    action_id=link["action_id"],
                    action_code=link["action__code"],
                    action_title=pick({"en": link["action__title_en"], "es": link["action__title_es"]}),
                    roadmap_title=pick(
                        {"en": link["action__roadmap__title_en"], "es": link["action__roadmap__title_es"]}
                    ),
                    roadmap_slug=link["action__roadmap__slug"],
                    status=link["action__status"],
                    status_label=str(status_labels.get(link["action__status"], link["action__status"])),
                    percent_complete=link["action__percent_complete"],
                    due_date=link["action__due_date"],
                    reported_on=link["reported_on"],
                    narrative=link["narrative"] or "",
                    challenges=link["challenges"] or "",
                )
            )
    rows.sort(key=lambda r: (r.objective_number, r.country_name, r.action_code, r.action_id))
    return rows


def group_review_rows(rows: list[ReviewRow]) -> list[dict]:
    """[{number, title, countries: [{code, name, rows}]}] in the rows' order (already sorted)."""
    groups = []
    for row in rows:
        if not groups or groups[-1]["number"] != row.objective_number:
            groups.append({"number": row.objective_number, "title": row.objective_title, "countries": []})
        countries = groups[-1]["countries"]
        if not countries or countries[-1]["code"] != row.country_code:
            countries.append({"code": row.country_code, "name": row.country_name, "rows": []})
        countries[-1]["rows"].append(row)
    return groups
