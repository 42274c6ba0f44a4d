"""The benchmark: `make bench SCALE=regional|stress` (or `python -m bench.run --scale regional`).

1. Seeds `gcm_bench_<scale>` with `bench/seed.py` (on DATABASE_URL's server, or on the embedded one
   when DATABASE_URL is unset), unless it already holds that scale.
2. Starts three gunicorn servers on 127.0.0.1 (free ports, 2 sync workers each, production settings,
   DEBUG off): **ours** (`config.wsgi`), **naive** (`bench.settings_naive`: a plain ModelSerializer
   list) and **floor** (`bench.floor_app`: one SQL query in a bare WSGI app).
3. Drives each scenario from a separate process with `wrk` over loopback for a fixed time, measures
   latency percentiles and throughput, and samples the workers' memory (psutil).
4. Counts the SQL queries of one request of each scenario in-process (`CaptureQueriesContext`).
5. Prints the table and writes `bench/results/<scale>.md`, `.json` and `<scale>-p95.png`.

The pieces: bench/scenarios.py (what is measured), servers.py (gunicorn, memory), wrk.py (driving wrk),
queries.py (the query counts), report.py (the table, files and chart), varied.py (varied URLs).

A scenario whose URL answers 404 (an endpoint not built yet) is reported as *not available*.
Only loopback addresses are used; every run is bounded in time.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time

from bench import varied
from bench.queries import count_queries
from bench.report import commit, fmt, markdown_table, memory_gib, write_outputs
from bench.scenarios import BEST_CASE, SLOW_READS, bench_fixtures, count_progress_updates, created_verdict, scenarios
from bench.servers import BASE_DIR, RESULTS_DIR, Server, collect_static, log, probe, server_env
from bench.wrk import WRK_REPORT_LUA, ensure_wrk, measure, measure_single, update_body, write_mixed_script


def run(args) -> int:
    sys.path.insert(0, str(BASE_DIR))
    from bench.seed import bench_database_name, create_and_seed

    wrk = ensure_wrk()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    load_at_start = os.getloadavg()[0]
    db = create_and_seed(args.scale, reseed=args.reseed, log=log)
    env = server_env(db["dj_url"])

    collect_static(env)
    fixtures = bench_fixtures(db["url"])
    items = scenarios(fixtures)
    varied_keys = [k for k in varied.VARIED_KEYS if not args.only or k in args.only or "varied" in args.only]
    if args.only:
        items = [i for i in items if i["key"] in args.only]

    servers = {
        "ours": Server("ours", "config.wsgi:application", env, "config.settings.production"),
        "uncached": Server(
            "uncached", "config.wsgi:application", {**env, "FIGURES_CACHE_SECONDS": "0"}, "config.settings.production"
        ),
        "naive": Server("naive", "config.wsgi:application", env, "bench.settings_naive"),
        "floor": Server("floor", "bench.floor_app:application", env, None),
    }
    rows = []
    notes = []
    try:
        for server in servers.values():
            server.wait_ready()
        log("servers up: " + ", ".join(f"{n} {s.base}" for n, s in servers.items()))
        report_script = RESULTS_DIR / "wrk-report.lua"
        report_script.write_text(WRK_REPORT_LUA)

        # What users get first: varied URLs (bench/varied.py), the floor given the same actions URLs.
        if varied_keys:
            varied_rows, varied_notes = varied.run_varied(wrk, servers, fixtures, db, args, varied_keys, log)
            rows += varied_rows
            notes += varied_notes
            if items:
                rows.append({"key": "", "label": BEST_CASE, "server": "", "heading": True})

        # Query counts (one request of each scenario, in-process).
        spec = []
        for item in items:
            if item["path"]:
                spec.append(
                    {
                        "name": f"{item['server']}: {item['key']}: {item['label']}",
                        "path": item["path"],
                        "headers": item.get("headers", {}),
                        "cache": item["server"] != "uncached",
                    }
                )
        if fixtures["writes"]:
            action_id, token, country = fixtures["writes"][-1]
            spec.append(
                {
                    "name": "POST progress update",
                    "method": "POST",
                    "path": f"/api/v1/actions/{action_id}/progress-updates/",
                    "headers": {"Authorization": f"Token {token}"},
                    "body": json.loads(update_body(action_id, country, 0)),
                }
            )
        query_counts = count_queries(env, spec)

        trio = []

        def run_jobs(jobs, rounds):
            """Measure jobs, `rounds` times each, alternating between them; keep each one's median round."""
            measured = {id(job): [] for job in jobs}
            for _ in range(rounds):
                for job in jobs:
                    measured[id(job)].append(
                        measure(
                            wrk,
                            job["server"],
                            job["item"],
                            seconds=args.duration,
                            connections=job["connections"],
                            threads=job["threads"],
                            script=report_script,
                            headers=job["headers"],
                        )
                    )
            for job in jobs:
                runs = measured[id(job)]
                median = sorted(runs, key=lambda m: m["rps"])[len(runs) // 2]  # the median round by req/s
                median["errors"] = sum(m["errors"] for m in runs)
                median["rss_peak_mib"] = max(m["rss_peak_mib"] for m in runs)
                median["rounds_rps"] = [round(m["rps"], 1) for m in runs]
                row, item = job["row"], job["item"]
                row.update(median)
                counted = query_counts.get(f"{item['server']}: {item['key']}: {item['label']}", {})
                row["queries"] = 1 if item["server"] == "floor" else counted.get("queries")
                row["queries_first"] = counted.get("queries_first")
                log(f"{item['label']}: {fmt(row['rps'])} req/s, p95 {fmt(row['p95_ms'])} ms, {row['errors']} errors")
            jobs.clear()

        for item in items:
            if item["key"] != "actions_list" and trio:
                run_jobs(trio, args.rounds)
            server = servers[item["server"]]
            headers = {"Accept-Language": "en", **item.get("headers", {})}
            row = {"key": item["key"], "label": item["label"], "server": item["server"], "path": item["path"]}
            connections = item.get("connections", args.connections)
            threads = min(args.threads, connections)
            if item["key"] == "mixed":
                reads = [
                    i["path"] for i in items if i["server"] == "ours" and i["path"] and i["key"] not in SLOW_READS
                ] or ["/en/"]
                available = [p for p in reads if probe(server.base + p, headers)[0] == 200]
                post = query_counts.get("POST progress update", {})
                if not available or post.get("status") != 201:
                    row["unavailable"] = "not available (progress-update POST or reads missing)"
                    rows.append(row)
                    continue
                script = RESULTS_DIR / "wrk-mixed.lua"
                # The in-process count above created one update; writes start after it.
                write_mixed_script(script, available, fixtures["writes"][:-1])
                before = count_progress_updates(db["url"])
                row.update(
                    measure(
                        wrk,
                        server,
                        item,
                        seconds=args.duration,
                        connections=connections,
                        threads=threads,
                        script=script,
                        headers={},
                    )
                )
                server.wait_idle()  # let the POSTs still in flight at wrk's stop finish
                after = count_progress_updates(db["url"])
                row["rows_created"] = after - before
                row["queries"] = post.get("queries")
                notes.append(
                    f"mixed: {row['created']} updates accepted (201) during the measured run and its warm-up,"
                    f" {row['rows_created']} progress-update rows created"
                    f" ({created_verdict(row['created'], row['rows_created'], connections)});"
                    f" reads: {', '.join(available)}; SQL queries shown are the POST's."
                )
                rows.append(row)
                log(f"{item['label']}: {fmt(row['rps'])} req/s, p95 {fmt(row['p95_ms'])} ms, {row['errors']} errors")
                continue

            server.wait_idle()
            status, body = probe(server.base + item["path"], headers)
            if status == 404:
                row["unavailable"] = "not available (404)"
                rows.append(row)
                log(f"{item['label']}: not available (404)")
                continue
            if status is None or status >= 400:
                row["unavailable"] = f"error {status}"
                rows.append(row)
                log(f"{item['label']}: error {status}: {body[:300]!r}")
                continue
            if item["key"] == "csv_export":
                row["csv_rows"] = max(body.count(b"\n") - 1, 0)
                notes.append(f"CSV export: {row['csv_rows']} data lines, {len(body) / 2**20:.1f} MiB per download.")
            if item.get("single"):
                row.update(measure_single(server, item, headers=headers))
                counted = query_counts.get(f"{item['server']}: {item['key']}: {item['label']}", {})
                row["queries"] = counted.get("queries")
                notes.append(
                    f"{item['label']}: {len(body) / 2**20:.1f} MiB per document; {row['requests']} requests one"
                    f" after the other, {row['p50_ms'] / 1000:.1f} s median, {row['max_ms'] / 1000:.1f} s slowest;"
                    f" peak RSS of the worker serving it {row['worker_peak_mib']:.0f} MiB"
                    f" ({row['worker_start_mib']:.0f} MiB before)."
                )
                rows.append(row)
                log(
                    f"{item['label']}: {', '.join(f'{s:.1f}' for s in row['seconds'])} s,"
                    f" peak RSS of one worker {row['worker_peak_mib']:.0f} MiB"
                    f" (both {row['rss_peak_mib']:.0f} MiB), {len(body) / 2**20:.1f} MiB"
                )
                continue
            job = {"row": row, "item": item, "server": server, "headers": headers}
            job.update(connections=connections, threads=threads)
            if item["key"] == "actions_list":
                trio.append(job)  # measured together below, alternating, once all three are probed
                rows.append(row)
                continue
            run_jobs([job], 1)
            rows.append(row)
        run_jobs(trio, args.rounds)
    finally:
        for server in servers.values():
            server.stop()

    # Ratios ours/floor and ours/naive on the actions list.
    by_server = {r["server"]: r for r in rows if r["key"] == "actions_list" and not r.get("unavailable")}
    for ours in filter(None, (by_server.get("ours"), by_server.get("uncached"))):
        for other in ("floor", "naive"):
            if other in by_server:
                rps = ours["rps"] / by_server[other]["rps"]
                p95 = ours["p95_ms"] / by_server[other]["p95_ms"]
                ours[f"vs_{other}"] = f"{rps:.2f}× req/s, {p95:.2f}× p95"
    results = {
        "scale": args.scale,
        "tag": args.tag,
        "pgoptions": os.environ.get("PGOPTIONS", ""),
        "finished_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": (
            f"{os.cpu_count()} cores, {memory_gib():.0f} GiB; 1-minute load average {load_at_start:.1f} at the start,"
            f" {os.getloadavg()[0]:.1f} at the end (above {os.cpu_count()}: other work shared the cores)"
        ),
        "commit": commit(),
        "figures_cache": (
            "shared by the workers (Redis, REDIS_URL)"
            if os.environ.get("REDIS_URL")
            else "each worker's own memory (no REDIS_URL)"
        ),
        "seed": (
            f"reused {bench_database_name(args.scale)} (seeded earlier in {db['seed_seconds']:.1f} s)"
            if db["reused"]
            else f"{bench_database_name(args.scale)} seeded in {db['seed_seconds']:.1f} s"
            f" (migrate {db['migrate_seconds']:.1f} s)"
        ),
        "duration_s": args.duration,
        "connections": args.connections,
        "threads": args.threads,
        "rows": rows,
        "notes": notes,
        "total_seconds": time.perf_counter() - started,
    }
    path = write_outputs(results)
    print()
    print(markdown_table(results))
    for note in notes:
        print(f"- {note}")
    log(f"done in {results['total_seconds']:.0f} s; wrote {path}, {path.with_suffix('.json')} and the p95 chart")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the API and pages against the floor and a naive build.")
    parser.add_argument("--scale", choices=["tiny", "small", "regional", "stress"], default="regional")
    parser.add_argument("--duration", type=float, default=None, help="seconds per scenario (10 regional, 15 stress)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the actions-list trio (median kept)")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--tag", default="", help="suffix of the result files, e.g. jit-off → stress-jit-off.md")
    parser.add_argument("--only", nargs="*", help="scenario keys to run (actions_list, csv_export, mixed, …)")
    args = parser.parse_args(argv)
    if args.duration is None:
        args.duration = 15.0 if args.scale == "stress" else 10.0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
