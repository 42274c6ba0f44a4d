"""`make run` (scripts/run): the web server and a worker together, both stopped by one Ctrl-C."""

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.notifications.test_worker import worker_database_url
from tests.ops.test_database_outage import _free_port
from tests.queue import forget_jobs

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


def test_run_serves_with_a_worker_and_ctrl_c_stops_both():
    forget_jobs()  # jobs other tests committed would make the worker talk after the address
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DATABASE_URL": worker_database_url()}
    script = subprocess.Popen(
        [sys.executable, "scripts/run", "--skip-seed", "--port", str(port)],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(script.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 90
        while not any(line.startswith("Open http://") for line in lines) and time.monotonic() < deadline:
            assert script.poll() is None, "".join(lines)
            time.sleep(0.3)
        said_by_then = [line for line in lines if line.strip()]
        children = psutil.Process(script.pid).children(recursive=True)
        commands = [" ".join(child.cmdline()) for child in children]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            assert response.status == 200
    finally:
        script.send_signal(signal.SIGINT)  # what Ctrl-C in the terminal does
        script.wait(timeout=60)
        reader.join(timeout=10)
        forget_jobs()

    output = "".join(lines)
    assert script.returncode == 0, output
    assert any("procrastinate worker" in command for command in commands), commands
    assert any("runserver 127.0.0.1:" in command for command in commands), commands
    # The address comes after the web server's own banner (the sign-in details right above it).
    opened = next(i for i, line in enumerate(said_by_then) if line.startswith(f"Open http://127.0.0.1:{port}/en/"))
    banner = next(i for i, line in enumerate(said_by_then) if line.startswith("Quit the server with"))
    assert banner < opened, output
    assert not [child for child in children if child.is_running() and child.status() != psutil.STATUS_ZOMBIE]
