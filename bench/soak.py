"""`make soak`: a 60-second mixed load against gunicorn on 127.0.0.1, then a count of what was stored.

1. Seeds `gcm_bench_small` (6 countries, 10 roadmaps, 200 actions, 2 000 updates) on the server in
   use (DATABASE_URL's, or the embedded one), unless it is already there.
2. Starts gunicorn (production settings, DEBUG off, 2 sync workers) on 127.0.0.1 and a free port.
3. Runs a read-heavy mixed load for `--seconds` (60): client threads loop over API lists and
   details, aggregates and pages; one request in five is a focal point POSTing a progress update
   with their token. Every loop is bounded by time *and* by count (`--max-requests`).
4. Checks: no error (anything but 2xx/3xx, or a failed connection), and the number of progress-update
   rows created equals the number of 201 answers, each 201's id being a stored row.
   Prints a summary and exits non-zero on any error or mismatch.

Only the loopback address is used.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import sys
import threading
import time
from pathlib import Path

from bench.scenarios import bench_fixtures
from bench.servers import HOST, RESULTS_DIR, Server, collect_static, log, probe, server_env
from bench.wrk import update_body

BASE_DIR = Path(__file__).resolve().parent.parent

READ_PATHS = [
    "/api/v1/actions/?page_size=50",
    "/api/v1/actions/?country=SV&page_size=100",
    "/api/v1/actions/?objective=5&ordering=-due_date",
    "/api/v1/actions/?search=consular",
    "/api/v1/roadmaps/",
    "/api/v1/roadmaps/bench-roadmap-1/",
    "/api/v1/progress-updates/?page_size=20",
    "/api/v1/stats/objectives/",
    "/api/v1/stats/countries/",
    "/en/",
    "/es/",
    "/en/roadmaps/",
    "/en/review/",
]
OK_STATUSES = {200, 201, 204, 301, 302, 304}
WRITE_EVERY = 5  # one request in five is a write


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = collections.Counter()  # (kind, status) -> n
        self.failures = collections.Counter()  # description -> n
        self.created_ids = []
        self.requests = 0
        self.latencies = []

    def add(self, kind, status, seconds, created_id=None, failure=None):
        with self.lock:
            self.requests += 1
            self.statuses[(kind, status)] += 1
            self.latencies.append(seconds)
            if created_id is not None:
                self.created_ids.append(created_id)
            if failure:
                self.failures[failure] += 1


def client_loop(port, reads, writes, offset, deadline, budget, tally, stride):
    """One client: a persistent connection, requests until the deadline or its share of the budget."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    n = offset
    sent = 0
    while time.monotonic() < deadline and sent < budget:
        n += stride
        sent += 1
        if n % WRITE_EVERY == 0 and writes:
            action_id, token, country = writes[(n // WRITE_EVERY) % len(writes)]
            method, path, kind = "POST", f"/api/v1/actions/{action_id}/progress-updates/", "write"
            body = update_body(action_id, country, n).encode()
            headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        else:
            method, path, kind = "GET", reads[n % len(reads)], "read"
            body, headers = None, {}
        headers["Accept-Language"] = "es" if n % 3 == 0 else "en"
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as error:
            tally.add(kind, "connection error", time.perf_counter() - started, failure=f"{method} {path}: {error!r}")
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            continue
        elapsed = time.perf_counter() - started
        created_id = None
        failure = None
        if response.status == 201:
            try:
                created_id = json.loads(payload)["id"]
            except (ValueError, KeyError, TypeError):
                failure = f"{method} {path}: 201 without an id"
        elif response.status not in OK_STATUSES:
            failure = f"{method} {path.split('?')[0]}: {response.status} {payload[:200]!r}"
        tally.add(kind, response.status, elapsed, created_id=created_id, failure=failure)
    conn.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="60-second mixed load against gunicorn on 127.0.0.1.")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--max-requests", type=int, default=60_000, help="upper bound on requests, all clients")
    parser.add_argument("--scale", default="small", choices=["tiny", "small", "regional"])
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args(argv)

    import psycopg

    from bench.seed import create_and_seed

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    db = create_and_seed(args.scale, reseed=args.reseed, log=log)
    env = server_env(db["dj_url"])
    collect_static(env)
    fixtures = bench_fixtures(db["url"])
    server = Server("soak", "config.wsgi:application", env, "config.settings.production")
    try:
        server.wait_ready()
        log(f"gunicorn up at {server.base}")
        reads = []
        for path in READ_PATHS:
            status, _ = probe(server.base + path, {"Accept-Language": "en"})
            if status == 404:
                log(f"left out of the load (404: not built yet): {path}")
            else:
                reads.append(path)  # any other failure shows up as errors of the load
        if not reads:
            log("no read endpoint answers 200: nothing to soak")
            return 1

        def count_rows():
            with psycopg.connect(db["url"]) as conn:
                return conn.execute("SELECT count(*) FROM roadmaps_progressupdate").fetchone()[0]

        before = count_rows()
        tally = Tally()
        deadline = time.monotonic() + args.seconds
        budget = max(1, args.max_requests // args.clients)
        threads = [
            threading.Thread(
                target=client_loop,
                args=(server.port, reads, fixtures["writes"], i, deadline, budget, tally, args.clients),
                daemon=True,
            )
            for i in range(args.clients)
        ]
        log(f"{args.clients} clients for {args.seconds:g} s (at most {args.max_requests} requests) …")
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.seconds + 120)
        elapsed = time.monotonic() - started
        after = count_rows()
        with psycopg.connect(db["url"]) as conn:
            stored = conn.execute(
                "SELECT count(*) FROM roadmaps_progressupdate WHERE id = ANY(%s)", [tally.created_ids]
            ).fetchone()[0]
    finally:
        server.stop()

    accepted = sum(n for (kind, status), n in tally.statuses.items() if status == 201)
    errors = sum(tally.failures.values())
    latencies = sorted(tally.latencies) or [0.0]
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000
    by_kind = collections.Counter()
    for (kind, _status), n in tally.statuses.items():
        by_kind[kind] += n
    print()
    print(f"soak: {tally.requests} requests in {elapsed:.1f} s ({tally.requests / elapsed:.0f}/s), p95 {p95:.0f} ms")
    print(f"  reads: {by_kind['read']}   writes: {by_kind['write']}   statuses: {dict(sorted(_flat(tally)))}")
    print(f"  errors: {errors}")
    for failure, n in tally.failures.most_common(10):
        print(f"    {n} × {failure}")
    print(f"  progress updates accepted (201): {accepted}; rows created: {after - before}; 201 ids stored: {stored}")
    ok = errors == 0 and accepted == after - before == stored and tally.requests > 0
    print("soak: OK" if ok else "soak: FAILED")
    return 0 if ok else 1


def _flat(tally):
    counts = collections.Counter()
    for (_kind, status), n in tally.statuses.items():
        counts[str(status)] += n
    return counts.items()


if __name__ == "__main__":
    sys.exit(main())
