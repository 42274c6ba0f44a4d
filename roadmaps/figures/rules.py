"""What a mean progress counts and how it is rounded: the one rule, in Python, ORM and SQL.

A mean progress leaves cancelled work out (issue 20): a cancelled action — or a country's cancelled
state on one — is no longer being done, and its percent would move the mean without meaning anything.
`counted_in_mean` (Python), `COUNTED_IN_MEAN` / `counted_q` (ORM) and `counted_total_sql` /
`cancelled_count_sql` (SQL) are the same rule; the pages say so under each mean.
"""

from django.db.models import Q

from roadmaps.models import ActionStatus

COUNTED_IN_MEAN = ~Q(status=ActionStatus.CANCELLED)
CANCELLED_SQL = "'cancelled'"  # for raw SQL: `… FILTER (WHERE status <> 'cancelled')`


def counted_in_mean(status: str) -> bool:
    return status != ActionStatus.CANCELLED


def counted_q(prefix: str = "") -> Q:
    """COUNTED_IN_MEAN on a related row's status: counted_q("action__") → ~Q(action__status=cancelled)."""
    return ~Q(**{f"{prefix}status": ActionStatus.CANCELLED})


def counted_total_sql(percent: str, status: str) -> str:
    """SQL: the sum of the percents a mean counts (0 when none), over two column expressions."""
    return f"COALESCE(SUM({percent}) FILTER (WHERE {status} <> {CANCELLED_SQL}), 0)"


def cancelled_count_sql(status: str) -> str:
    """SQL: how many rows the mean leaves out."""
    return f"COUNT(*) FILTER (WHERE {status} = {CANCELLED_SQL})"


def mean_percent(total: int, counted: int) -> float | None:
    """The mean of `counted` percents summing to `total`, to one decimal; None when nothing counts.

    Rounded half away from zero on the exact quotient, as PostgreSQL's `ROUND(AVG(x)::numeric, 1)`
    (which the API's figures were written in): 26.65 is 26.7, where `round(26.65, 1)` gives 26.6."""
    if not counted:
        return None
    return ((20 * total + counted) // (2 * counted)) / 10
