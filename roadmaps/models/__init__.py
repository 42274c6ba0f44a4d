"""The work: themes, roadmaps, actions (core), progress updates (updates), reporting cycles (cycles),
indicators (indicators, disaggregation), progress per country (progress); their statuses and kinds
(choices) and the rules on statuses, dates and percents that they share (rules)."""

# isort: off
# In this order, the models register as they did in one module: the reverse relations (and so what
# a deletion in the admin lists) keep their order.
from roadmaps.models.core import (  # noqa: F401
    Action,
    ActionQuerySet,
    Roadmap,
    RoadmapQuerySet,
    Theme,
    involving_q,
    objective_numbers_of_action,
    serving_q,
)
from roadmaps.models.updates import ProgressUpdate, ProgressUpdateQuerySet  # noqa: F401
from roadmaps.models.cycles import ReportingCycle, SnapshotRow  # noqa: F401
from roadmaps.models.indicators import (  # noqa: F401
    Indicator,
    IndicatorCountryTarget,
    IndicatorSnapshotRow,
    IndicatorValue,
    indicator_value_errors,
)
from roadmaps.models.progress import CountryProgress, overall_progress  # noqa: F401

# isort: on
from roadmaps.models.choices import (  # noqa: F401
    ActionStatus,
    CountryCombine,
    CycleCombine,
    CycleState,
    Direction,
    IndicatorUnit,
    ReviewState,
    RoadmapStatus,
    Visibility,
)
from roadmaps.models.disaggregation import CATEGORIES, Dimension, disaggregation_error  # noqa: F401
from roadmaps.models.rules import (  # noqa: F401
    CLOSED_STATUSES,
    COMPLETED_MEANS_100,
    COMPLETED_MEANS_100_MESSAGE,
    GCM_ADOPTION,
    PERCENT_RANGE,
    due_soon_q,
    due_soon_sql,
    is_due_soon,
    is_overdue,
    overdue_q,
    overdue_sql,
    reporter_today,
)
