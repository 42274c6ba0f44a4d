"""The embedded PostgreSQL stops when its last live user exits, even when another user died without
saying so (SIGTERM: no exit handlers run, its PID stays in .handle_pids.json).

Runs the real thing in a temporary data folder: two Python processes join the server, the first is
killed, the second exits normally, and the server must be gone.
"""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

BASE_DIR = Path(__file__).resolve().parents[2]

# Joins the server in the given folder, prints the postmaster's PID, then sleeps or exits.
USER = """
import sys, time
from pathlib import Path
sys.path.insert(0, {base!r})
from config.database import embedded_server
server = embedded_server(Path(sys.argv[1]))
print(server.get_pid(), flush=True)
if sys.argv[2] == "stay":
    time.sleep(120)
"""


def _user(pgdata: Path, mode: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", USER.format(base=str(BASE_DIR)), str(pgdata), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=BASE_DIR,
    )


def _gone(pid: int, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
            return True
        time.sleep(0.2)
    return False


def test_server_stops_when_the_last_live_user_exits_after_one_was_killed(tmp_path_factory):
    # A short path: the server's Unix socket lives inside the data folder (at most 107 bytes).
    pgdata = Path(tmp_path_factory.mktemp("pids")) / "pg"
    killed = _user(pgdata, "stay")
    postmaster = int(killed.stdout.readline())
    try:
        killed.send_signal(signal.SIGTERM)
        killed.wait(10)
        assert json.loads((pgdata / ".handle_pids.json").read_text()) == [killed.pid]

        last = _user(pgdata, "exit")
        assert int(last.stdout.readline()) == postmaster  # it joined the running server
        assert last.wait(30) == 0

        assert _gone(postmaster), "the server outlived its last user"
        assert json.loads((pgdata / ".handle_pids.json").read_text()) == []
    finally:
        if psutil.pid_exists(postmaster):
            psutil.Process(postmaster).terminate()
