from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gcm.reference_loader import FORUMS_FILE, REFERENCE_FILE, ReferenceFileError, load_reference


class Command(BaseCommand):
    help = (
        "Load the official GCM reference data (objectives, principles, RCM countries, organisations, forums) "
        "from gcm/reference/. Idempotent; never overwrites a row the secretariat corrected in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=REFERENCE_FILE, help="the reference YAML file")
        parser.add_argument(
            "--forums-file",
            type=Path,
            default=FORUMS_FILE,
            help="the companion file with the Regional Forums of Champion Countries",
        )

    def handle(self, *args, **options):
        try:
            summary = load_reference(options["file"], options["forums_file"], log=self.stdout.write)
        except ReferenceFileError as error:
            raise CommandError(f"Reference data not loaded (nothing was written): {error}") from error
        except ValidationError as error:
            raise CommandError(f"Reference data not loaded (nothing was written): {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Reference data: {summary}."))
