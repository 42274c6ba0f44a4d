"""The work: themes, roadmaps, actions, progress updates, progress per country, reporting cycles."""

from roadmaps.models.core import (  # noqa: F401
    CLOSED_STATUSES,
    COMPLETED_MEANS_100,
    COMPLETED_MEANS_100_MESSAGE,
    GCM_ADOPTION,
    PERCENT_RANGE,
    Action,
    ActionQuerySet,
    ActionStatus,
    DataGeneration,
    ProgressUpdate,
    ProgressUpdateQuerySet,
    ReviewState,
    Roadmap,
    RoadmapQuerySet,
    RoadmapStatus,
    Theme,
    Visibility,
    due_soon_q,
    involving_q,
    is_due_soon,
    is_overdue,
    objective_numbers_of_action,
    overdue_q,
    overdue_sql,
    reporter_today,
    serving_q,
)
from roadmaps.models.cycles import CycleState, ReportingCycle, SnapshotRow  # noqa: F401
from roadmaps.models.progress import CountryProgress, overall_progress  # noqa: F401
