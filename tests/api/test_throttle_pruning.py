"""The API's rate-limit counters do not pile up: a worker of the queue deletes the ended windows
every ten minutes (the periodic task `api.prune_throttles`), off the request path."""

import datetime

import pytest
from django.utils import timezone
from procrastinate.contrib.django import app

from api.models import ThrottleCounter
from api.tasks import prune_throttles
from core.queue import REMINDERS_QUEUE
from tests.queue import forget_jobs, run_queue

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_deletes_the_ended_windows_and_keeps_the_running_ones():
    forget_jobs()
    now = timezone.now()
    ThrottleCounter.objects.create(
        key="throttle_anon_198.51.100.1", expires_at=now - datetime.timedelta(minutes=1), count=9
    )
    ThrottleCounter.objects.create(
        key="throttle_anon_198.51.100.2", expires_at=now + datetime.timedelta(minutes=1), count=3
    )
    assert any(task.task.name == "api.prune_throttles" for task in app.periodic_registry.periodic_tasks.values())

    prune_throttles.defer(timestamp=int(now.timestamp()))
    run_queue(queues=[REMINDERS_QUEUE])

    assert list(ThrottleCounter.objects.values_list("key", flat=True)) == ["throttle_anon_198.51.100.2"]
    forget_jobs()
