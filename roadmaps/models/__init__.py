"""The work: themes, roadmaps, actions and progress updates (core), reporting cycles (cycles), indicators
(indicators, disaggregation), progress per country (progress); their statuses and kinds (choices) and
the rules they share (rules: overdue, due soon, a roadmap's countries and objectives, completed means 100 %)."""

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
from roadmaps.models.core import (  # noqa: F401
    Action,
    ActionQuerySet,
    ProgressUpdate,
    ProgressUpdateQuerySet,
    Roadmap,
    RoadmapQuerySet,
    Theme,
)
from roadmaps.models.cycles import ReportingCycle, SnapshotRow  # noqa: F401
from roadmaps.models.disaggregation import CATEGORIES, Dimension, disaggregation_error  # noqa: F401
from roadmaps.models.indicators import (  # noqa: F401
    Indicator,
    IndicatorCountryTarget,
    IndicatorSnapshotRow,
    IndicatorValue,
    indicator_value_errors,
)
from roadmaps.models.progress import CountryProgress, overall_progress  # noqa: F401
from roadmaps.models.rules import (  # noqa: F401
    CLOSED_STATUSES,
    COMPLETED_MEANS_100,
    COMPLETED_MEANS_100_MESSAGE,
    GCM_ADOPTION,
    PERCENT_RANGE,
    due_soon_q,
    due_soon_sql,
    involving_q,
    is_due_soon,
    is_overdue,
    objective_numbers_of_action,
    overdue_q,
    overdue_sql,
    reporter_today,
    serving_q,
)
