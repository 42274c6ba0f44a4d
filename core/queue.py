"""The task queue's glue: procrastinate on the project's own PostgreSQL (`procrastinate.contrib.django`).

A lower floor (roadmaps, accounts) queues work that a higher floor (notifications) does by the task's
*name*, so it never imports the higher floor. Jobs are deferred once the caller's transaction commits:
a rolled-back write queues nothing, and the request only pays for one INSERT per job.
"""

import logging

from django.conf import settings
from django.db import transaction
from procrastinate import RetryDecision
from procrastinate.retry import BaseRetryStrategy

logger = logging.getLogger(__name__)

# Queues: mail is sent by every worker; the periodic reminders have their own queue so that a test's
# worker (or a busy mail queue) never runs them by surprise.
MAIL_QUEUE = "mail"
REMINDERS_QUEUE = "reminders"


def defer(task_name: str, *, queue: str = MAIL_QUEUE, **task_kwargs) -> None:
    """Queue the task called `task_name` now, in the caller's transaction (if any)."""
    from procrastinate.contrib.django import app  # the app is ready only once Django is

    app.configure_task(name=task_name, queue=queue).defer(**task_kwargs)


def defer_after_commit(task_name: str, *, queue: str = MAIL_QUEUE, **task_kwargs) -> None:
    """Queue the task once the current transaction commits; a failure to queue is logged, never raised."""
    transaction.on_commit(lambda: defer(task_name, queue=queue, **task_kwargs), robust=True)


def batch_defer_after_commit(task_name: str, jobs: list[dict], *, queue: str = MAIL_QUEUE) -> None:
    """Queue one job per kwargs dict in `jobs` once the transaction commits, in a single INSERT (a bulk
    review queues its fifty notices at once); a failure to queue is logged, never raised."""
    from procrastinate.contrib.django import app

    if jobs:
        task = app.configure_task(name=task_name, queue=queue)
        transaction.on_commit(lambda: task.batch_defer(*jobs), robust=True)


class SettingsBackoff(BaseRetryStrategy):
    """Exponential backoff read from settings when a job fails, so tests and deployments can tune it.

    Waits MAIL_RETRY_SECONDS × 2^(attempt − 1): 1, 2, 4, 8, 16 minutes with the default of 60 s, then
    gives up after MAIL_MAX_ATTEMPTS tries in all.
    """

    def get_retry_decision(self, *, exception, job):
        if is_last_attempt(job.attempts):
            return None
        return RetryDecision(retry_in={"seconds": settings.MAIL_RETRY_SECONDS * 2**job.attempts})


def is_last_attempt(previous_attempts: int) -> bool:
    """True for the attempt after which the queue gives up (`previous_attempts` as procrastinate counts)."""
    return previous_attempts + 1 >= settings.MAIL_MAX_ATTEMPTS
