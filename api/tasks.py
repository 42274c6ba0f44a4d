"""The API's periodic work on the task queue: ended rate-limit windows deleted off the request path."""

import datetime
import logging

from procrastinate.contrib.django import app

from core.queue import REMINDERS_QUEUE

logger = logging.getLogger(__name__)


def prune_throttle_counters(now: datetime.datetime) -> int:
    """Delete the counters whose window ended before `now` (a request would restart them anyway)."""
    from api.models import ThrottleCounter

    deleted, _ = ThrottleCounter.objects.filter(expires_at__lt=now).delete()
    return deleted


@app.periodic(cron="*/10 * * * *", periodic_id="prune_throttles")
@app.task(name="api.prune_throttles", queue=REMINDERS_QUEUE, queueing_lock="api.prune_throttles")
def prune_throttles(timestamp: int) -> None:
    """Every ten minutes: the table keeps only the callers of the last window (one row each)."""
    deleted = prune_throttle_counters(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC))
    logger.info("prune_throttles: %s ended rate-limit windows deleted", deleted)
