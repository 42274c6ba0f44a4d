"""Driving wrk: its Lua scripts (the report line, the mixed reads and writes), one timed run, and the
measurement of a scenario (warm-up, the run, the workers' memory) or of one long request at a time."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

from bench.servers import MemorySampler, Server, probe

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


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if not path:
        raise SystemExit(
            "wrk is not installed. Install it (Debian/Ubuntu: `apt-get install wrk`; macOS: `brew install wrk`)"
            " and run again."
        )
    return path


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


def write_entries(writes: list[tuple]) -> list[str]:
    """The Lua entries {path, token, body} of the focal points' (action, token, country) writes."""
    entries = []
    for n, (action_id, token, country) in enumerate(writes):
        body = update_body(action_id, country, n)
        path = f"/api/v1/actions/{action_id}/progress-updates/"
        entries.append(f"{{{lua_string(path)}, {lua_string(token)}, {lua_string(body)}}},")
    return entries


def write_mixed_script(path: Path, reads: list[str], writes: list[tuple]) -> None:
    lines = ["READS = {"] + [f"  {lua_string(p)}," for p in reads] + ["}", "WRITES = {"]
    lines += [f"  {entry}" for entry in write_entries(writes)]
    lines.append("}")
    path.write_text("\n".join(lines) + "\n" + WRK_MIXED_LUA + WRK_REPORT_LUA)


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
