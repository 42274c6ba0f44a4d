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

A scenario whose URL answers 404 (an endpoint not built yet) is reported as *not available*.
Only loopback addresses are used; every run is bounded in time.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench import varied

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
HOST = "127.0.0.1"
WORKERS = 2
SEARCH_TERM = "consular"
ROADMAP_SLUG = "bench-roadmap-1"

# Targets of issue 9 (for the stress scale on this 2-core machine).
TARGETS = {
    "actions_list": "p95 ≤ 50 ms, ≥ 50 % of floor req/s",
    "stats_objectives": "p95 ≤ 100 ms",
    "dashboard": "p95 ≤ 150 ms",
    "review": "p95 ≤ 150 ms",
    "csv_export": "≤ 2 s, flat memory",
    "review_docx": "bounded time and memory: one worker well under 1 GiB",
    "country_docx": "bounded time and memory",
    "mixed": "no errors; rows = 201s",
}
# Scenarios left out of the mixed scenario's reads (whole downloads, not page reads).
SLOW_READS = ("csv_export", "review", "review_docx", "country_docx")
TARGETS.update(varied.TARGETS)
P95_LIMITS_MS = {
    **varied.P95_LIMITS_MS,
    "actions_list": 50,
    "stats_objectives": 100,
    "dashboard": 150,
    "review": 150,
    "csv_export": 2000,
}

WRK_REPORT_LUA = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) created = 0 end
function response(status, headers, body) if status == 201 then created = created + 1 end end
function done(summary, latency, requests)
  local made = 0
  for _, t in ipairs(threads) do made = made + (t:get("created") or 0) end
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, '
    .. '"status": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "created": %d}\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max, made))
end
"""

# The mixed scenario: read-heavy (4 reads for 1 write); writes are focal points' progress updates.
WRK_MIXED_LUA = r"""
local counter = 0
function init(args)
  counter = tonumber(args[1] or "0")
end
function request()
  counter = counter + 1
  if counter % 5 == 0 then
    local w = WRITES[(counter / 5) % #WRITES + 1]
    return wrk.format("POST", w[1], {["Authorization"] = "Token " .. w[2],
      ["Content-Type"] = "application/json", ["Accept-Language"] = "en"}, w[3])
  end
  return wrk.format("GET", READS[counter % #READS + 1], {["Accept-Language"] = "en"})
end
"""


# --- helpers ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def log(message: str) -> None:
    print(f"[bench {datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if not path:
        raise SystemExit(
            "wrk is not installed. Install it (Debian/Ubuntu: `apt-get install wrk`; macOS: `brew install wrk`)"
            " and run again."
        )
    return path


def server_env(dj_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONWARNINGS")}
    env.update(
        {
            "DATABASE_URL": dj_url,
            "SECRET_KEY": env.get("BENCH_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789"),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            # Plain HTTP on loopback: no TLS proxy in front of the benchmark.
            "SECURE_SSL_REDIRECT": "0",
            # Throttling stays on (its cache lookups are part of the cost) at a rate one address can't hit.
            "API_ANON_RATE": "10000000/min",
            "API_USER_RATE": "10000000/min",
            "LOG_LEVEL": "WARNING",
            # X-Figures-Cache: hit / miss / none on every answer, tallied by the varied scenarios.
            "FIGURES_CACHE_HEADER": "1",
        }
    )
    return env


class Server:
    """A gunicorn with 2 sync workers on 127.0.0.1:<free port>."""

    def __init__(self, name: str, app: str, env: dict, settings: str | None):
        self.name = name
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        env = dict(env)
        if settings:
            env["DJANGO_SETTINGS_MODULE"] = settings
        self.log_path = RESULTS_DIR / f"gunicorn-{name}.log"
        self.log_file = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                app,
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(WORKERS),
                "--worker-class",
                "sync",
                "--timeout",
                "180",
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn ({self.name}) exited; see {self.log_path}")
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), timeout=0.5):
                if len(self.workers()) >= WORKERS:
                    return
            time.sleep(0.2)
        raise SystemExit(f"gunicorn ({self.name}) did not start in {timeout:.0f} s; see {self.log_path}")

    def workers(self):
        import psutil

        try:
            return psutil.Process(self.process.pid).children()
        except psutil.Error:
            return []

    def wait_idle(self, timeout: float = 180.0) -> None:
        """Wait until the workers have finished what an earlier scenario left in flight (CPU ~0)."""
        import psutil

        deadline = time.monotonic() + timeout
        workers = self.workers()
        for worker in workers:
            with contextlib.suppress(psutil.Error):
                worker.cpu_percent(None)
        while time.monotonic() < deadline:
            time.sleep(0.3)
            busy = 0.0
            for worker in workers:
                with contextlib.suppress(psutil.Error):
                    busy += worker.cpu_percent(None)
            if busy < 5.0:
                return

    def worker_rss_mib(self) -> float:
        import psutil

        total = 0
        for worker in self.workers():
            with contextlib.suppress(psutil.Error):
                total += worker.memory_info().rss
        return total / 2**20

    def largest_worker_rss_mib(self) -> float:
        import psutil

        largest = 0
        for worker in self.workers():
            with contextlib.suppress(psutil.Error):
                largest = max(largest, worker.memory_info().rss)
        return largest / 2**20

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


class MemorySampler:
    """Peak of the workers' resident memory (MiB, both workers together) while a scenario runs, and
    the peak of the largest one alone (what one request costs: a document is served by one worker)."""

    def __init__(self, server: Server, interval: float = 0.1):
        self.server = server
        self.interval = interval
        self.start_mib = server.worker_rss_mib()
        self.peak_mib = self.start_mib
        self.worker_start_mib = self.worker_peak_mib = server.largest_worker_rss_mib()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak_mib = max(self.peak_mib, self.server.worker_rss_mib())
            self.worker_peak_mib = max(self.worker_peak_mib, self.server.largest_worker_rss_mib())
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.end_mib = self.server.worker_rss_mib()


def probe(url: str, headers: dict, method: str = "GET", body: bytes | None = None):
    """(status, body bytes) of one request; status None when the server cannot be reached."""
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=180) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError as error:
        return None, str(error).encode()


def run_wrk(wrk: str, url: str, *, seconds: float, connections: int, threads: int, headers: dict, script: Path):
    args = [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s", "--timeout", "30s"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    args += ["-s", str(script), url]
    completed = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 60)
    for line in completed.stdout.splitlines():
        if line.startswith("WRKJSON "):
            return json.loads(line[len("WRKJSON ") :])
    raise RuntimeError(f"wrk printed no report:\n{completed.stdout}\n{completed.stderr}")


# --- scenarios -------------------------------------------------------------------------------------


# The same scenario on a server whose figures cache is off (FIGURES_CACHE_SECONDS=0): every request
# computes its figures, pages and JSON from the database, as on the first request after a change.
CACHE_OFF = "  same, figures cache off"
BEST_CASE = "**repeated URL, one at a time (the figures cache's best case)**"


def scenarios(tokens: dict) -> list[dict]:
    """Each: key, label, server (ours / uncached / floor / naive), path, headers, connections."""
    csv_headers = {"Authorization": f"Token {tokens['secretariat']}"}  # every action, whatever its visibility
    actions = "/api/v1/actions/?country=SV&objective=5&page_size=100"
    return [
        {"key": "actions_list", "label": "actions list (SV, objective 5, 100/page)", "server": "ours", "path": actions},
        {"key": "actions_list", "label": "  floor: one SQL query, bare WSGI", "server": "floor", "path": actions},
        {
            "key": "actions_list",
            "label": "  naive: plain ModelSerializer",
            "server": "naive",
            "path": "/bench/naive/actions/?country=SV&objective=5&page_size=100",
        },
        {"key": "actions_list", "label": CACHE_OFF, "server": "uncached", "path": actions},
        {
            "key": "actions_search",
            "label": f"actions list, search={SEARCH_TERM}",
            "server": "ours",
            "path": f"/api/v1/actions/?search={SEARCH_TERM}&page_size=100",
        },
        {
            "key": "roadmap_detail",
            "label": "roadmap detail",
            "server": "ours",
            "path": f"/api/v1/roadmaps/{ROADMAP_SLUG}/",
        },
        {
            "key": "stats_objectives",
            "label": "stats/objectives/",
            "server": "ours",
            "path": "/api/v1/stats/objectives/",
        },
        {"key": "stats_objectives", "label": CACHE_OFF, "server": "uncached", "path": "/api/v1/stats/objectives/"},
        {"key": "dashboard", "label": "dashboard page /en/", "server": "ours", "path": "/en/"},
        {"key": "dashboard", "label": CACHE_OFF, "server": "uncached", "path": "/en/"},
        {"key": "review", "label": "review report page /en/review/", "server": "ours", "path": "/en/review/"},
        {"key": "review", "label": CACHE_OFF, "server": "uncached", "path": "/en/review/"},
        {
            "key": "csv_export",
            "label": "CSV export, all actions",
            "server": "ours",
            "path": "/api/v1/actions/?format=csv",
            "headers": csv_headers,
            "connections": 1,
        },
        {
            # One document at a time, timed request by request (a wrk run would cut a long one off).
            "key": "review_docx",
            "label": "review report as Word, every row (anonymous)",
            "server": "ours",
            "path": "/en/review/?format=docx",
            "single": True,
        },
        {
            "key": "country_docx",
            "label": "a country's contribution as Word, El Salvador (anonymous)",
            "server": "ours",
            "path": "/en/countries/SV/report.docx",
            "single": True,
        },
        {"key": "mixed", "label": "mixed: reads + focal points' updates", "server": "ours", "path": None},
    ]


def bench_fixtures(url: str) -> dict:
    """Tokens and the focal points' (action, token, country) pairs, read from the bench database."""
    import psycopg

    with psycopg.connect(url) as conn:
        tokens = dict(
            conn.execute(
                "SELECT u.username, t.key FROM authtoken_token t JOIN auth_user u ON u.id = t.user_id"
                " WHERE u.username IN ('bench-secretariat', 'bench-partner')"
            ).fetchall()
        )
        writes = conn.execute(
            """
            SELECT DISTINCT ON (a.id) a.id, t.key, c.code
            FROM roadmaps_action a
            JOIN roadmaps_action_countries ac ON ac.action_id = a.id
            JOIN countries_country c ON c.id = ac.country_id
            JOIN countries_focalpoint fp ON fp.country_id = c.id AND fp.is_active
            JOIN authtoken_token t ON t.user_id = fp.user_id
            WHERE a.status NOT IN ('completed', 'cancelled')
            ORDER BY a.id, c.code, t.key
            LIMIT 2000
            """
        ).fetchall()
    return {
        "secretariat": tokens["bench-secretariat"],
        "partner": tokens["bench-partner"],
        "writes": writes,
    }


def update_body(action_id: int, country: str, n: int) -> str:
    return json.dumps(
        {
            "country": country,
            "status": "on_track",
            "percent_complete": 10 + n % 80,
            "narrative": f"Benchmark update {n}: two meetings held with the ministry; draft circulated.",
        }
    )


def lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal for these values


def write_mixed_script(path: Path, reads: list[str], writes: list[tuple]) -> None:
    lines = ["READS = {"] + [f"  {lua_string(p)}," for p in reads] + ["}", "WRITES = {"]
    for n, (action_id, token, country) in enumerate(writes):
        body = update_body(action_id, country, n)
        lines.append(
            f"  {{{lua_string(f'/api/v1/actions/{action_id}/progress-updates/')}, {lua_string(token)},"
            f" {lua_string(body)}}},"
        )
    lines.append("}")
    path.write_text("\n".join(lines) + "\n" + WRK_MIXED_LUA + WRK_REPORT_LUA)


def count_progress_updates(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM roadmaps_progressupdate").fetchone()[0]


# --- query counts, in-process ----------------------------------------------------------------------


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
        [sys.executable, "-m", "bench.run", "--count-queries", f.name],
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


# --- output ----------------------------------------------------------------------------------------


def fmt(value, digits=1):
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def queries_cell(row) -> str:
    """Queries of a repeated request, and of the first one (figures cache empty) when it differs."""
    first = row.get("queries_first")
    if row.get("server") == "ours" and first is not None and first != row.get("queries"):
        return f"{fmt(row.get('queries'))} (first: {first})"
    return fmt(row.get("queries"))


def hits_cell(row) -> str:
    rate = row.get("hit_rate")
    return "" if rate is None or row.get("server") == "floor" else f"{rate:.0%}"


def markdown_table(results: dict) -> str:
    rows = results["rows"]
    head = (
        "| scenario | req/s | p50 ms | p95 ms | p99 ms | SQL queries / request | worker RSS MiB (start → peak)"
        " | ours / floor | ours / naive | figures cache hits | errors | target (stress) |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n"
    )
    lines = []
    for row in rows:
        if row.get("heading"):
            lines.append(f"| {row['label']} | | | | | | | | | | | |")
            continue
        if row.get("unavailable"):
            lines.append(f"| {row['label']} | {row['unavailable']} | | | | | | | | | | {TARGETS.get(row['key'], '')} |")
            continue
        rss = f"{row['rss_start_mib']:.0f} → {row['rss_peak_mib']:.0f}"
        if row.get("no_response"):
            lines.append(
                f"| {row['label']} | 0 | {row['no_response']} | | | {fmt(row.get('queries'))} | {rss}"
                f" | | | | {row['errors']} | {TARGETS.get(row['key'], '')} |"
            )
            continue
        target = TARGETS.get(row["key"], "") if row["server"] == "ours" else ""
        lines.append(
            f"| {row['label']} | {fmt(row['rps'])} | {fmt(row['p50_ms'])} | {fmt(row['p95_ms'])} | {fmt(row['p99_ms'])}"
            f" | {queries_cell(row)} | {rss} | {row.get('vs_floor', '')} | {row.get('vs_naive', '')}"
            f" | {hits_cell(row)} | {row['errors']} | {target} |"
        )
    return head + "\n".join(lines) + "\n"


def write_outputs(results: dict) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    scale = results["scale"]
    name = scale + (f"-{results['tag']}" if results.get("tag") else "")
    md = [
        f"# Benchmark at scale `{scale}` — {results['finished_at']}",
        "",
        f"Machine: {results['machine']}. Code: {results.get('commit', '?')}. Seeding: {results['seed']}.",
        f"Load: wrk, {results['duration_s']:g} s per scenario, {results['connections']} connections"
        f" ({results['threads']} threads) unless noted; gunicorn {WORKERS} sync workers, production settings.",
        "",
        markdown_table(results),
    ]
    if results.get("pgoptions"):
        md[4:4] = [f"Experiment: PGOPTIONS=`{results['pgoptions']}` for every server.", ""]
    if results.get("notes"):
        md += ["", *[f"- {note}" for note in results["notes"]]]
    (RESULTS_DIR / f"{name}.md").write_text("\n".join(md) + "\n")
    (RESULTS_DIR / f"{name}.json").write_text(json.dumps(results, indent=2, default=str))
    chart = RESULTS_DIR / f"{name}-p95.png"
    try:
        draw_chart(results, chart)
    except Exception as error:  # noqa: BLE001 - the table matters more than the picture
        log(f"chart not drawn: {error!r}")
    return RESULTS_DIR / f"{name}.md"


def draw_chart(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in results["rows"] if not r.get("unavailable") and r.get("p95_ms") is not None]
    rows = [r for r in rows if not r.get("heading")]
    labels = [f"{r['key']}, figures cache off" if r["server"] == "uncached" else r["label"].strip() for r in rows]
    values = [r["p95_ms"] for r in rows]
    colours = [{"ours": "#1f6f8b", "uncached": "#8fc1d4", "floor": "#7a7a7a"}.get(r["server"], "#c8553d") for r in rows]
    fig, ax = plt.subplots(figsize=(10, 0.5 * len(rows) + 1.5))
    ax.barh(labels, values, color=colours)
    for i, r in enumerate(rows):
        limit = P95_LIMITS_MS.get(r["key"]) if r["server"] == "ours" else None
        if limit:
            ax.plot([limit, limit], [i - 0.4, i + 0.4], color="black", linewidth=2)
        ax.text(values[i], i, f" {values[i]:.1f}", va="center", fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("p95 latency, ms (log scale; black tick = target at stress scale)")
    ax.set_title(f"GCM Roadmap Tracker — p95 by scenario, scale {results['scale']}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --- the run ---------------------------------------------------------------------------------------


def collect_static(env: dict) -> None:
    """Production's static storage needs the manifest; collect when a static file is newer than it."""
    manifest = BASE_DIR / "staticfiles" / "staticfiles.json"
    sources = [BASE_DIR / "static", *BASE_DIR.glob("*/static")]
    newest = max(
        (p.stat().st_mtime for d in sources if d.is_dir() for p in d.rglob("*") if p.is_file()),
        default=0,
    )
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return
    log("collecting static files (production storage needs the manifest) …")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.production"},
        check=True,
    )


def measure(wrk, server: Server, item: dict, *, seconds, connections, threads, script: Path, headers: dict) -> dict:
    url = server.base + (item["path"] or "/")
    server.wait_idle()
    # Warm-up: the persistent connections, the workers' caches.
    warm = run_wrk(wrk, url, seconds=1, connections=min(connections, 2), threads=1, headers=headers, script=script)
    with MemorySampler(server) as memory:
        report = run_wrk(
            wrk, url, seconds=seconds, connections=connections, threads=threads, headers=headers, script=script
        )
    errors = report["connect"] + report["read"] + report["write"] + report["status"] + report["timeout"]
    if report["requests"] == 0:
        return {
            "rps": 0.0,
            "requests": 0,
            "p50_ms": None,
            "p95_ms": None,
            "p99_ms": None,
            "max_ms": None,
            "errors": errors,
            "created": report["created"] + warm["created"],
            "no_response": f"no response within the {seconds:g} s run",
            "rss_start_mib": memory.start_mib,
            "rss_peak_mib": memory.peak_mib,
        }
    return {
        "rps": report["requests"] / (report["duration_us"] / 1e6),
        "requests": report["requests"],
        "p50_ms": report["p50_us"] / 1000,
        "p95_ms": report["p95_us"] / 1000,
        "p99_ms": report["p99_us"] / 1000,
        "max_ms": report["max_us"] / 1000,
        "bytes_per_request": report["bytes"] / max(report["requests"], 1),
        "errors": errors,
        "created": report["created"] + warm["created"],  # 201s, warm-up included
        # Figures-cache answers (varied scripts only: the X-Figures-Cache header).
        "cache_hits": report.get("cache_hits"),
        "cache_misses": report.get("cache_misses"),
        "warmup_errors": warm["connect"] + warm["read"] + warm["write"] + warm["status"] + warm["timeout"],
        "rss_start_mib": memory.start_mib,
        "rss_peak_mib": memory.peak_mib,
    }


def measure_single(server: Server, item: dict, *, headers: dict, rounds: int = 3) -> dict:
    """`rounds` requests one after the other (after the probe's, which warmed the caches): each one's
    time, the workers' peak memory, the size of the answer."""
    url = server.base + item["path"]
    server.wait_idle()
    seconds, errors, size = [], 0, 0
    with MemorySampler(server) as memory:
        for _ in range(rounds):
            started = time.perf_counter()
            status, body = probe(url, headers)
            seconds.append(time.perf_counter() - started)
            errors += status != 200
            size = len(body)
    ordered = sorted(seconds)
    return {
        "rps": len(seconds) / sum(seconds),
        "requests": len(seconds),
        "p50_ms": ordered[len(ordered) // 2] * 1000,
        "p95_ms": ordered[-1] * 1000,  # of three requests: the slowest
        "p99_ms": ordered[-1] * 1000,
        "max_ms": ordered[-1] * 1000,
        "bytes_per_request": size,
        "errors": errors,
        "created": 0,
        "rss_start_mib": memory.start_mib,
        "rss_peak_mib": memory.peak_mib,
        "worker_start_mib": memory.worker_start_mib,
        "worker_peak_mib": memory.worker_peak_mib,
        "seconds": ordered,
    }


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
                    f" ({_created_verdict(row['created'], row['rows_created'], connections)});"
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
            f"{os.cpu_count()} cores, {_memory_gib():.0f} GiB; 1-minute load average {load_at_start:.1f} at the start,"
            f" {os.getloadavg()[0]:.1f} at the end (above {os.cpu_count()}: other work shared the cores)"
        ),
        "commit": _commit(),
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


def _created_verdict(accepted: int, created: int, connections: int) -> str:
    """wrk stops mid-flight: a POST sent just before its stop is stored but its 201 never counted."""
    if created == accepted:
        return "equal"
    in_flight = created - accepted
    if 0 < in_flight <= connections + 2:  # the measured run's connections and the warm-up's
        return f"the {in_flight} more were in flight when wrk stopped; `make soak` checks this exactly"
    return "MISMATCH"


def _commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=BASE_DIR, capture_output=True, text=True)
        return head.stdout.strip() + (" + uncommitted changes" if dirty.stdout.strip() else "")
    except OSError:
        return "unknown"


def _memory_gib() -> float:
    import psutil

    return psutil.virtual_memory().total / 2**30


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
    parser.add_argument("--count-queries", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.count_queries:
        return count_queries_main(args.count_queries)
    if args.duration is None:
        args.duration = 15.0 if args.scale == "stress" else 10.0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
