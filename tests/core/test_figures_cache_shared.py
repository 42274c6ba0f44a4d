"""With REDIS_URL the figures cache is one cache in Redis, shared by every worker (issue 22): an entry
one worker computed answers the others, a committed change is seen at once, and the benchmark still
counts hits. Runs against the local Redis (database 15, a prefix of its own)."""

import os
import subprocess
import sys
import threading
import uuid

import pytest
from django.core.cache import caches
from django.db import connections
from django.test import Client, override_settings

from core import figures_backend
from roadmaps.models import Action
from tests.factories import ActionFactory, ObjectiveFactory, RoadmapFactory

pytestmark = pytest.mark.django_db(transaction=True)

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_figures():
    redis = pytest.importorskip("redis")
    prefix = f"test-{uuid.uuid4().hex}"
    cache = {"BACKEND": "core.figures_backend.CountingRedisCache", "LOCATION": REDIS, "KEY_PREFIX": prefix}
    with override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared-test"},
            "figures": cache,
        }
    ):
        yield redis.Redis.from_url(REDIS), prefix
        caches["figures"].clear()


def in_another_worker(path: str) -> tuple[str, str]:
    """GET `path` from a thread of its own (its own cache connection, as another worker would have)."""
    answer = {}

    def get():
        figures_backend.reset()
        try:
            body = Client().get(path).content.decode()
            answer.update(body=body, outcome=figures_backend.outcome())
        finally:
            connections.close_all()  # the thread's own connection, or the test database stays in use

    thread = threading.Thread(target=get)
    thread.start()
    thread.join()
    return answer["body"], answer["outcome"]


def test_an_entry_computed_by_one_worker_answers_another_and_a_change_is_seen_at_once(redis_figures, el_salvador):
    redis, prefix = redis_figures
    objective = ObjectiveFactory(number=7)
    roadmap = RoadmapFactory(objectives=[objective], countries=[el_salvador])
    ActionFactory(roadmap=roadmap, code="P1", title_en="Train labour inspectors", countries=[el_salvador])

    first, outcome = in_another_worker("/api/v1/actions/?country=SV")
    assert outcome == "miss" and "Train labour inspectors" in first
    assert redis.keys(f"{prefix}:*"), "the entry is kept in Redis, not in the worker's memory"

    again, outcome = in_another_worker("/api/v1/actions/?country=SV")
    assert outcome == "hit" and again == first

    Action.objects.filter(code="P1").update(title_en="Train labour inspectors and judges")
    changed, outcome = in_another_worker("/api/v1/actions/?country=SV")
    assert outcome == "miss" and "Train labour inspectors and judges" in changed


def test_the_settings_choose_redis_when_redis_url_is_set_and_worker_memory_without():
    def backend(**env):
        code = "from django.conf import settings; print(settings.CACHES['figures']['BACKEND'])"
        environment = {k: v for k, v in os.environ.items() if k != "REDIS_URL"} | env
        environment["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        run = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
        return run.stdout.strip().splitlines()[-1]

    assert backend(REDIS_URL=REDIS) == "core.figures_backend.CountingRedisCache"
    assert backend() == "core.figures_backend.CountingLocMemCache"
    assert backend(FIGURES_CACHE_SECONDS="0") == "django.core.cache.backends.dummy.DummyCache"
