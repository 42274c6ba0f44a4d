"""`manage.py compact_changes`: keep the change log small (each row's latest entry only)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from changefeed import feed


class Command(BaseCommand):
    help = "Delete change-log entries that a later entry of the same row supersedes (safe while the feed is read)."

    def handle(self, *args, **options):
        with transaction.atomic():
            deleted = feed.compact()
        self.stdout.write(f"compacted the change log: {deleted} superseded entries deleted")
