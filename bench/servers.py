"""The benchmark's servers: gunicorn on 127.0.0.1 (free ports, 2 sync workers), their environment,
their workers' memory, and one request to them (`probe`)."""

from __future__ import annotations

import contextlib
import datetime
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


RESULTS_DIR = BASE_DIR / "bench" / "results"


HOST = "127.0.0.1"


WORKERS = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def log(message: str) -> None:
    print(f"[bench {datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


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
            # With REDIS_URL the figures cache is shared and outlives the servers: a prefix of this
            # run's own, so no run starts with another's entries.
            "FIGURES_CACHE_PREFIX": f"bench-{os.getpid()}-{time.time_ns()}",
        }
    )
    return env


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
