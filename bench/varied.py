"""Varied traffic for the benchmark: URL lists drawn as users draw them, seeded so a run can be repeated.

A benchmark that repeats one URL measures the figures cache's best case; users vary country,
objective, page and language, partners sync from their own last instant, readers open different
pages. Each list here is drawn once from the bench database with a fixed seed (`SEED`), shuffled,
and written into a wrk script that walks it in order (each wrk thread from its own offset), so two
runs on the same data request the same URLs in the same order. The floor app gets the very same
actions-list URLs.

Every answer is also tallied by the `X-Figures-Cache` header the app sends when
`FIGURES_CACHE_HEADER=1` (`core.figures_cache`): `hit` (every cache lookup of the request found
its entry), `miss` (at least one computed) or `none` (no lookup): the hit rate of the run.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

from bench.scenarios import count_progress_updates
from bench.servers import RESULTS_DIR
from bench.wrk import measure, write_entries

SEED = 20261201
PAGE_SIZE = 100
SYNC_PAGE_SIZE = 200

# Walks URLS (a list of {path, headers}) from a per-thread offset; counts the figures cache's answers.
WRK_VARIED_LUA = r"""
local threads = {}
local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("id", thread_count)
  table.insert(threads, thread)
end
function init(args)
  created = 0; hits = 0; misses = 0; nones = 0; writes = 0
  counter = math.floor((id - 1) * #URLS / 4)
  last_write = 0
end
function request()
  -- One write a second from the first thread, when the script has WRITES and WRITE_EVERY_SECOND.
  if WRITE_EVERY_SECOND and id == 1 and #WRITES > 0 then
    local now = os.time()
    if now ~= last_write then
      last_write = now
      writes = writes + 1
      local w = WRITES[writes % #WRITES + 1]
      return wrk.format("POST", w[1], {["Authorization"] = "Token " .. w[2],
        ["Content-Type"] = "application/json", ["Accept-Language"] = "en"}, w[3])
    end
  end
  counter = counter + 1
  local u = URLS[counter % #URLS + 1]
  return wrk.format("GET", u[1], u[2])
end
function response(status, headers, body)
  if status == 201 then created = created + 1 end
  local c = headers["X-Figures-Cache"] or headers["x-figures-cache"]
  if c == "hit" then hits = hits + 1 elseif c == "miss" then misses = misses + 1 else nones = nones + 1 end
end
function done(summary, latency, requests)
  local made, h, m, n = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    made = made + (t:get("created") or 0)
    h = h + (t:get("hits") or 0); m = m + (t:get("misses") or 0); n = n + (t:get("nones") or 0)
  end
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, '
    .. '"status": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "created": %d, '
    .. '"cache_hits": %d, "cache_misses": %d, "cache_none": %d}\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max, made, h, m, n))
end
"""


def _lang(rng: random.Random) -> str:
    return rng.choice(("en", "es"))


def _entry(path: str, lang: str, token: str | None = None) -> dict:
    headers = {"Accept-Language": lang}
    if token:
        headers["Authorization"] = f"Token {token}"
    return {"path": path, "headers": headers}


def actions_urls(conn, rng: random.Random, n: int) -> list[dict]:
    """country × objective × page × language, each page one that exists for an anonymous caller."""
    from bench.floor_app import actions_page

    countries = [r[0] for r in conn.execute("SELECT code FROM countries_country ORDER BY code").fetchall()]
    objectives = [r[0] for r in conn.execute("SELECT number FROM gcm_objective ORDER BY number").fetchall()]
    pages = {}
    with conn.cursor() as cursor:
        for country in countries:
            for objective in objectives:
                count, _rows = actions_page(cursor, country=country, objective=objective, page=1, page_size=1)
                if count:
                    pages[(country, objective)] = math.ceil(count / PAGE_SIZE)
    cells = sorted(pages)
    urls = []
    for _ in range(n):
        country, objective = rng.choice(cells)
        page = rng.randint(1, pages[(country, objective)])
        query = f"country={country}&objective={objective}&page_size={PAGE_SIZE}" + (f"&page={page}" if page > 1 else "")
        urls.append(_entry(f"/api/v1/actions/?{query}", _lang(rng)))
    return urls


def sync_urls(conn, rng: random.Random, n: int, partner_token: str) -> list[dict]:
    """A partner's sync: progress updates since a random instant (by updated_at, 200 a page), and the
    change feed from a random position of its log, half each."""
    import base64

    low, high = conn.execute("SELECT min(updated_at), max(updated_at) FROM roadmaps_progressupdate").fetchone()
    conn.execute("SELECT setseed(0.22)")
    positions = conn.execute(
        "SELECT xid::text, id FROM (SELECT xid, id FROM changefeed_change ORDER BY id DESC LIMIT 50000) c"
        " ORDER BY random() LIMIT %s",
        [n],
    ).fetchall()
    urls = []
    for i in range(n):
        if i % 2 == 0 or not positions:
            # Skewed towards recent instants: most partners sync often, a few from long ago.
            since = high - (high - low) * (rng.random() ** 3)
            stamp = since.strftime("%Y-%m-%dT%H:%M:%SZ")
            path = f"/api/v1/progress-updates/?updated_since={stamp}&ordering=updated_at&page_size={SYNC_PAGE_SIZE}"
        else:
            xid, entry = positions[i // 2 % len(positions)]
            cursor = base64.urlsafe_b64encode(f"c1.{xid}.{entry}".encode()).decode().rstrip("=")
            path = f"/api/v1/changes/?cursor={cursor}&page_size={SYNC_PAGE_SIZE}"
        urls.append(_entry(path, "en", partner_token))
    return urls


def page_urls(conn, rng: random.Random, n: int) -> list[dict]:
    """Dashboards, country, objective and roadmap-list pages, in either language."""
    countries = [r[0] for r in conn.execute("SELECT code FROM countries_country ORDER BY code").fetchall()]
    objectives = [r[0] for r in conn.execute("SELECT number FROM gcm_objective ORDER BY number").fetchall()]
    roadmap_pages = max(1, math.ceil(conn.execute("SELECT count(*) FROM roadmaps_roadmap").fetchone()[0] / 25))
    urls = []
    for _ in range(n):
        lang = _lang(rng)
        kind = rng.choice(("dashboard", "country", "objective", "roadmaps"))
        if kind == "dashboard":
            path = f"/{lang}/"
        elif kind == "country":
            path = f"/{lang}/countries/{rng.choice(countries)}/"
        elif kind == "objective":
            path = f"/{lang}/objectives/{rng.choice(objectives)}/"
        else:
            page = rng.randint(1, min(roadmap_pages, 5))
            path = f"/{lang}/roadmaps/" + (f"?page={page}" if page > 1 else "")
        urls.append(_entry(path, lang))
    return urls


def review_urls(conn, rng: random.Random, n: int) -> list[dict]:
    """The review report of one country, pages 1–5."""
    codes = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT c.code FROM countries_country c"
            " JOIN roadmaps_action_countries ac ON ac.country_id = c.id ORDER BY c.code"
        ).fetchall()
    ]
    urls = []
    for _ in range(n):
        lang = _lang(rng)
        page = rng.randint(1, 5)
        query = f"countries={rng.choice(codes)}" + (f"&page={page}" if page > 1 else "")
        urls.append(_entry(f"/{lang}/review/?{query}", lang))
    return urls


def url_sets(db_url: str, partner_token: str, n: int = 600) -> dict[str, list[dict]]:
    """Every varied list, drawn from the bench database with the fixed seed."""
    import psycopg

    with psycopg.connect(db_url, autocommit=True, options="-c TimeZone=UTC") as conn:
        return draw_url_sets(conn, partner_token, n)


def draw_url_sets(conn, partner_token: str, n: int) -> dict[str, list[dict]]:
    """`url_sets` on an open psycopg connection."""
    sets = {
        "varied_actions": actions_urls(conn, random.Random(SEED + 1), n),
        "varied_sync": sync_urls(conn, random.Random(SEED + 2), n, partner_token),
        "varied_pages": page_urls(conn, random.Random(SEED + 3), n),
        "varied_review": review_urls(conn, random.Random(SEED + 4), n),
    }
    mixed = [u for urls in sets.values() for u in urls[: n // 4]]
    random.Random(SEED + 5).shuffle(mixed)
    sets["varied_mixed"] = mixed
    return sets


def write_script(path: Path, urls: list[dict], writes: list[str] | None = None, *, every_second: bool = False) -> None:
    """The wrk script of one list; `writes` are Lua entries {path, token, body} (see wrk.write_entries)."""
    lines = ["URLS = {"]
    for url in urls:
        headers = ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in url["headers"].items())
        lines.append(f"  {{{json.dumps(url['path'])}, {{{headers}}}}},")
    lines.append("}")
    lines.append("WRITES = {" + "".join(writes or []) + "}")
    lines.append(f"WRITE_EVERY_SECOND = {'true' if every_second else 'false'}")
    path.write_text("\n".join(lines) + "\n" + WRK_VARIED_LUA)


def hit_rate(report: dict) -> float | None:
    """Share of the answers the figures cache gave whole (hits / (hits + misses)); None when no lookup."""
    looked_up = report.get("cache_hits", 0) + report.get("cache_misses", 0)
    return report["cache_hits"] / looked_up if looked_up else None


# --- the varied scenarios of a run (bench.run calls `run_varied`) ------------------------------------

VARIED_KEYS = ("varied_actions", "varied_sync", "varied_pages", "varied_review", "varied_mixed")
LABELS = {
    "varied_actions": "actions list, varied country × objective × page × language",
    "varied_sync": "partner sync: progress updates since a random instant, and the change feed (200/page)",
    "varied_pages": "pages: dashboards, country, objective, roadmaps list (varied)",
    "varied_review": "review report per country, pages 1–5 (varied)",
    "varied_mixed": "mixed: the varied reads above + one focal-point update a second",
}
TARGETS = {
    "varied_actions": "p95 ≤ 50 ms, ≥ 0.5× floor req/s",
    "varied_sync": "p95 ≤ 100 ms",
    "varied_pages": "p95 ≤ 200 ms",
    "varied_review": "p95 ≤ 200 ms",
    "varied_mixed": "p95 ≤ 250 ms, no errors",
}
P95_LIMITS_MS = {
    "varied_actions": 50,
    "varied_sync": 100,
    "varied_pages": 200,
    "varied_review": 200,
    "varied_mixed": 250,
}


def run_varied(wrk, servers: dict, fixtures: dict, db: dict, args, keys, log) -> tuple[list[dict], list[str]]:
    """Measure the varied scenarios in `keys`; the actions list alternates ours / floor / ours with the
    cache off over `args.rounds` rounds (median by req/s kept). Returns (rows, notes)."""
    sets = url_sets(db["url"], fixtures["partner"])
    rows, notes = [], []

    def one(server_name, key, label, script, connections=None):
        item = {"key": key, "label": label, "path": None}
        connections = connections or args.connections
        result = measure(
            wrk,
            servers[server_name],
            item,
            seconds=args.duration,
            connections=connections,
            threads=min(args.threads, connections),
            script=script,
            headers={},
        )
        result.update(key=key, label=label, server=server_name, path=None, hit_rate=hit_rate(result))
        return result

    for key in keys:
        script = RESULTS_DIR / f"wrk-{key}.lua"
        if key == "varied_mixed":
            writes = list(reversed(fixtures["writes"][:-1]))
            write_script(script, sets[key], write_entries(writes), every_second=True)
            before = count_progress_updates(db["url"])
            row = one("ours", key, LABELS[key], script)
            servers["ours"].wait_idle()
            row["rows_created"] = count_progress_updates(db["url"]) - before
            notes.append(
                f"varied mixed: {row['created']} updates accepted (201), {row['rows_created']} rows created;"
                f" {row['errors']} errors (non-2xx or broken connections) over {row['requests']} requests."
            )
            rows.append(row)
        elif key == "varied_actions":
            write_script(script, sets[key])
            trio = [
                ("ours", LABELS[key]),
                ("floor", "  floor, the same URLs"),
                ("uncached", "  same, figures cache off"),
            ]
            measured = {name: [] for name, _label in trio}
            for _ in range(args.rounds):
                for name, label in trio:
                    measured[name].append(one(name, key, label, script))
            by_name = {}
            for name, _label in trio:
                runs = measured[name]
                median = sorted(runs, key=lambda m: m["rps"])[len(runs) // 2]
                median["errors"] = sum(m["errors"] for m in runs)
                median["rounds_rps"] = [round(m["rps"], 1) for m in runs]
                by_name[name] = median
            for name in ("ours", "uncached"):
                ours, floor = by_name[name], by_name["floor"]
                if floor["rps"] and floor["p95_ms"]:
                    ours["vs_floor"] = (
                        f"{ours['rps'] / floor['rps']:.2f}× req/s, {ours['p95_ms'] / floor['p95_ms']:.2f}× p95"
                    )
            rows += [by_name[name] for name, _label in trio]
        else:
            write_script(script, sets[key])
            rows.append(one("ours", key, LABELS[key], script))
        for row in rows[-3:] if key == "varied_actions" else rows[-1:]:
            rate = row.get("hit_rate")
            log(
                f"{row['label'].strip()}: {row['rps']:.1f} req/s, p95 {row['p95_ms'] or 0:.1f} ms,"
                f" {row['errors']} errors" + (f", cache hits {rate:.0%}" if rate is not None else "")
            )
    notes.append(
        f"varied lists: {len(sets['varied_actions'])} URLs each, drawn with seed {SEED} (bench/varied.py);"
        " the cache-hit column is the share of answers whose every figures-cache lookup hit."
    )
    return rows, notes
