import os

from django.core.management.base import BaseCommand

from roadmaps.demo import ACCOUNTS, seed_demo


class Command(BaseCommand):
    help = (
        "Create demo roadmaps, actions, progress updates and four demo accounts (secretariat, focal-sv, "
        "focal-gt, partner). Idempotent. For local trial only: never on a server with real data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=None,
            help="password of the demo accounts (default: $DEMO_PASSWORD, else a generated one)",
        )

    def handle(self, *args, **options):
        password = options["password"] or os.environ.get("DEMO_PASSWORD") or None
        result = seed_demo(password, log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS("Demo data: " + ", ".join(f"{n} {name}" for name, n in result.counts.items()) + ".")
        )
        self.stdout.write("Demo accounts (local trial only):")
        for username, _first, _last, _language, _role, about in ACCOUNTS:
            self.stdout.write(f"  {username:<12} {about}")
        self.stdout.write(f"Password of every demo account: {result.password}")
        self.stdout.write(f"API token of 'partner': {result.token}")
