from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from core import figures_cache
from ops.pgtools import connection_args, run_pg_tool, server_major_version


class Command(BaseCommand):
    help = "Restore a dump made by `manage.py backup` into the configured database, replacing its contents."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .dump file written by `manage.py backup`")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if not options["yes"] and input(f"Replace the database's contents with {path}? [y/N] ").strip().lower() != "y":
            raise CommandError("restore cancelled")
        major = server_major_version()
        generation = figures_cache.data_generation()
        connections.close_all()
        args, env = connection_args()
        options = ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
        run_pg_tool("pg_restore", major, [*options, *args, str(path)], env)
        # The restored count is older: move it past today's so cached figures of the replaced data go.
        figures_cache.move_past(generation)
        self.stdout.write(self.style.SUCCESS(f"restored {path}"))
