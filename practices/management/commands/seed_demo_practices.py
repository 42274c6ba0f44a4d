from django.core.management.base import BaseCommand

from practices.demo import seed_practices


class Command(BaseCommand):
    help = (
        "Create demo good practices (published, one submitted, one draft) for the demo accounts of seed_demo. "
        "Idempotent. For local trial only: never on a server with real data."
    )

    def handle(self, *args, **options):
        seed_practices(log=self.stdout.write)
