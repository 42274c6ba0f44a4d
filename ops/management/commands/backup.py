from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from ops.pgtools import connection_args, run_pg_tool, server_major_version


class Command(BaseCommand):
    help = "Dump the database (custom format, compressed) to backups/gcm-<timestamp>.dump or --output."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="file to write (default: backups/gcm-<timestamp>.dump)")

    def handle(self, *args, **options):
        output = Path(
            options["output"] or Path(settings.BASE_DIR) / "backups" / f"gcm-{timezone.now():%Y%m%d-%H%M%S}.dump"
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        args, env = connection_args()
        options = ["--format=custom", "--no-owner", "--no-privileges", "--file", str(output)]
        run_pg_tool("pg_dump", server_major_version(), [*options, *args], env)
        self.stdout.write(str(output))
