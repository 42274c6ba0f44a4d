"""The real task queue in tests: jobs in the test database's procrastinate tables, run by a real worker."""

from django.db import connection
from procrastinate.contrib.django import app

from core.queue import MAIL_QUEUE


def forget_jobs() -> None:
    """Jobs live in procrastinate's tables, which a transactional test's flush does not empty."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE procrastinate_jobs, procrastinate_periodic_defers RESTART IDENTITY CASCADE")


def run_queue() -> None:
    """The real worker, on its own connection, until the mail queue is empty (as `manage.py procrastinate
    worker` runs it, minus the waiting): the test's data must be committed (transactional tests)."""
    with app.replace_connector(app.connector.get_worker_connector()):
        app.run_worker(queues=[MAIL_QUEUE], wait=False, install_signal_handlers=False, listen_notify=False)
