"""`manage.py send_reminders`: run it every hour from cron (see README, "Reminders and notifications")."""

from django.core.management.base import BaseCommand
from django.db import connection

from notifications.digests import send_reminders

# An arbitrary constant naming this job's PostgreSQL advisory lock: two overlapping runs (a slow mail
# server, a cron line run by hand) must not both send the same digests.
ADVISORY_LOCK_ID = 0x6763_6D5F_7265_6D  # "gcm_rem"


class Command(BaseCommand):
    help = (
        "Send the daily reminder digests (focal points, secretariat), the hourly new-submissions notice, "
        "and retry failed review notices. Safe to run every hour: nothing is sent twice."
    )

    def handle(self, *args, **options):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_ID])
            (locked,) = cursor.fetchone()
        if not locked:
            self.stderr.write("Another send_reminders run is in progress; nothing done.")
            return
        try:
            summary = send_reminders()
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_ID])
        self.stdout.write(
            f"send_reminders: {summary.sent} sent, {summary.failed} failed, {summary.skipped} already sent."
        )
        if summary.failed:
            self.stderr.write(
                f"{summary.failed} message(s) failed; see Sent messages in the admin. The next run retries them."
            )
