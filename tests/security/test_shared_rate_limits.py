"""The API's rate limits are shared by every worker (issue 19: each worker counted in its own memory,
so the real limit was rate × workers × servers). Two separate processes, one after the other, share
one budget: through the database cache (the default; its table in DATABASE_URL's database, keyed on
an address no other run used) and through Redis (REDIS_URL; database 15 of the local server)."""

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# One "worker": n anonymous requests from one client address through the API's throttle.
WORKER = """
import sys
import django
django.setup()
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from rest_framework.test import APIRequestFactory
from api.throttling import AnonThrottle
call_command("createcachetable", verbosity=0)
factory = APIRequestFactory()
allowed = 0
for _ in range(int(sys.argv[2])):
    request = factory.get("/api/v1/countries/", REMOTE_ADDR=sys.argv[1])
    request.user = AnonymousUser()
    allowed += AnonThrottle().allow_request(request, None)
print(allowed)
"""


def run_worker(address, requests, **env):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "API_ANON_RATE": "10/min",
        "PYTHONPATH": str(ROOT),
        **env,
    }
    if "REDIS_URL" not in env:
        environment.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", WORKER, address, str(requests)],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stdout.strip().splitlines()[-1])


def fresh_address():
    # A client address no earlier run used, so the shared counters start from zero.
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs the PostgreSQL server of DATABASE_URL")
def test_two_processes_share_one_budget_in_the_database_cache(transactional_db):
    from django.db import connection

    # The processes use the test database (DATABASE_URL names one that CI never creates).
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    address = fresh_address()
    assert [run_worker(address, 6, DATABASE_URL=url), run_worker(address, 6, DATABASE_URL=url)] == [6, 4]


def test_two_processes_share_one_budget_in_redis():
    redis = pytest.importorskip("redis")
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    address = fresh_address()
    assert [run_worker(address, 6, REDIS_URL=url), run_worker(address, 6, REDIS_URL=url)] == [6, 4]


def test_the_counters_are_read_on_the_primary_even_when_api_reads_go_to_the_replica(settings):
    from django.core.cache.backends.db import DatabaseCache

    from ops.db_router import ReplicaRouter, _read_only_request
    from roadmaps.models import Action

    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}
    cache_entry = DatabaseCache("gcm_shared_cache", {}).cache_model_class
    token = _read_only_request.set(True)
    try:
        assert ReplicaRouter().db_for_read(Action) == "replica"
        assert ReplicaRouter().db_for_read(cache_entry) == "default"
    finally:
        _read_only_request.reset(token)
