"""The SQL queries of one request of each scenario, counted in-process under Django
(`CaptureQueriesContext`), in a child process: `python -m bench.queries SPEC.json`."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.servers import BASE_DIR, log


def count_queries_main(spec_path: str) -> int:
    """Run under Django (bench.settings_naive): one request per scenario inside CaptureQueriesContext."""
    import django

    sys.path.insert(0, str(BASE_DIR))
    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    CACHE_OFF_CACHES = {**settings.CACHES, "figures": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    spec = json.loads(Path(spec_path).read_text())
    client = Client()
    out = {}

    def request(item, headers):
        with CaptureQueriesContext(connection) as ctx:
            if item.get("method") == "POST":
                response = client.post(item["path"], item["body"], content_type="application/json", **headers)
            else:
                response = client.get(item["path"], **headers)
            if getattr(response, "streaming", False):
                for _chunk in response.streaming_content:
                    pass
        return response, len(ctx.captured_queries)

    for item in spec:
        headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in item.get("headers", {}).items()}
        caching = contextlib.nullcontext() if item.get("cache", True) else override_settings(CACHES=CACHE_OFF_CACHES)
        try:
            with caching:
                caches["figures"].clear()
                response, first = request(item, headers)
                if item.get("method") == "POST":
                    out[item["name"]] = {"status": response.status_code, "queries": first}
                    continue
                response, again = request(item, headers)
            out[item["name"]] = {"status": response.status_code, "queries": again, "queries_first": first}
        except Exception as error:  # noqa: BLE001 - reported, not fatal: the table shows it
            out[item["name"]] = {"status": None, "queries": None, "error": repr(error)[:200]}
    print("QUERYCOUNTS " + json.dumps(out))
    return 0


def count_queries(env: dict, spec: list[dict]) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(spec, f)
    env = {**env, "DJANGO_SETTINGS_MODULE": "bench.settings_naive"}
    completed = subprocess.run(
        [sys.executable, "-m", "bench.queries", f.name],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    os.unlink(f.name)
    for line in completed.stdout.splitlines():
        if line.startswith("QUERYCOUNTS "):
            return json.loads(line[len("QUERYCOUNTS ") :])
    log(f"query counting failed:\n{completed.stdout[-2000:]}\n{completed.stderr[-3000:]}")
    return {}


if __name__ == "__main__":
    sys.exit(count_queries_main(sys.argv[1]))
