"""The ground floor's periodic work on the task queue: the data-change counter compacted off the read path."""

import logging

from procrastinate.contrib.django import app

from core.queue import REMINDERS_QUEUE

logger = logging.getLogger(__name__)


@app.periodic(cron="*/10 * * * *", periodic_id="compact_data_generation")
@app.task(name="core.compact_data_generation", queue=REMINDERS_QUEUE, queueing_lock="core.compact_data_generation")
def compact_data_generation(timestamp: int) -> None:
    """Every ten minutes: the rows of closed connections folded into one, so reading the count stays one
    quick query however many connections have written (`figures_cache.compact`)."""
    from core import figures_cache

    folded = figures_cache.compact()
    logger.info("compact_data_generation: %s rows of closed connections folded", folded)
