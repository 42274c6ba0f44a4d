"""`manage.py send_reminders`: queue now what the hourly periodic task queues (see README, "Reminders").

The workers send it: this command never talks to the mail server. Useful by hand, e.g. after changing
DIGEST_HOUR; the periodic task `notifications.reminders` does the same every hour.
"""

from django.core.management.base import BaseCommand
from django.db import connection

from notifications.digests import send_reminders

# An arbitrary constant naming this job's PostgreSQL advisory lock: two overlapping runs must not both
# queue the same digests.
ADVISORY_LOCK_ID = 0x6763_6D5F_7265_6D  # "gcm_rem"


class Command(BaseCommand):
    help = (
        "Queue the daily reminder digests due now (focal points, secretariat) and the hourly new-submissions "
        "notice; a worker sends them. Safe to run at any time: nothing is queued twice."
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
        self.stdout.write(f"send_reminders: {summary.queued} queued, {summary.skipped} already queued or sent.")
