"""The benchmark's results: the targets, the Markdown table, the files under bench/results/ (`.md`,
`.json`) and the p95 chart."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from bench import varied
from bench.servers import BASE_DIR, RESULTS_DIR, WORKERS, log

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


TARGETS.update(varied.TARGETS)


P95_LIMITS_MS = {
    **varied.P95_LIMITS_MS,
    "actions_list": 50,
    "stats_objectives": 100,
    "dashboard": 150,
    "review": 150,
    "csv_export": 2000,
}


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
        f" ({results['threads']} threads) unless noted; gunicorn {WORKERS} sync workers, production settings;"
        f" figures cache {results.get('figures_cache', '?')}.",
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


def commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=BASE_DIR, capture_output=True, text=True)
        return head.stdout.strip() + (" + uncommitted changes" if dirty.stdout.strip() else "")
    except OSError:
        return "unknown"


def memory_gib() -> float:
    import psutil

    return psutil.virtual_memory().total / 2**30
