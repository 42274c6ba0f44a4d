"""How the pages show figures and the report's rows: heat classes, the rows the templates read, grouping.

The numbers come from `roadmaps.figures` (the same as the API's); this module only adds what a page
needs to draw them: CSS class names (in regional.css) and the objective or country a row is about.
"""

from dataclasses import dataclass, field

from countries.models import Country
from gcm.models import Objective
from regional.review_rows import ReviewRow
from roadmaps.figures.states import Figures

# Colour bands of the country × objective matrix (class names in regional.css).
HEAT_BANDS = ((100, "heat-5"), (75, "heat-4"), (50, "heat-3"), (25, "heat-2"), (1, "heat-1"))


def heat_class(mean_percent: float | None) -> str:
    if mean_percent is None:
        return "heat-none"
    for floor, name in HEAT_BANDS:
        if mean_percent >= floor:
            return name
    return "heat-0"


@dataclass
class Cell(Figures):
    """Figures with the colour of their mean: a cell of the matrix."""

    @property
    def heat(self):
        return heat_class(self.mean_percent)


@dataclass
class ObjectiveRow(Cell):
    """An objective's figures (each action once, its overall state) and the objective."""

    objective: Objective | None = None


def objective_row(objective: Objective, figures: Figures) -> ObjectiveRow:
    return ObjectiveRow(objective=objective, **vars(figures))


def cell(figures: Figures | None) -> Cell:
    return Cell(**vars(figures)) if figures is not None else Cell()


@dataclass
class MatrixRow:
    country: Country
    cells: list = field(default_factory=list)  # (ObjectiveRow.objective, Cell) in objective order


@dataclass
class RegionalPicture:
    objectives: list  # ObjectiveRow, objectives 1–23 in order
    matrix: list  # MatrixRow, one per country with at least one action
    objective_columns: list  # Objective, 1–23


def country_row(code: str, name: str, figures: Figures) -> dict:
    """A row of the by-country tables (objective page, review report): its figures and its colour."""
    shown = figures.values("actions", "completed", "overdue", "cancelled", "mean_percent")
    return {"code": code, "name": name, **shown, "heat": heat_class(figures.mean_percent)}


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
