"""The real task queue in tests: jobs in the test database's procrastinate tables, run by a real worker."""

import asyncio
import threading

from django.db import connection, connections
from procrastinate.contrib.django import app

from core.queue import MAIL_QUEUE


def forget_jobs() -> None:
    """Jobs live in procrastinate's tables, which a transactional test's flush does not empty."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE procrastinate_jobs, procrastinate_periodic_defers RESTART IDENTITY CASCADE")


def _work(queues) -> None:
    with app.replace_connector(app.connector.get_worker_connector()):
        app.run_worker(queues=queues, wait=False, install_signal_handlers=False, listen_notify=False)


def run_queue(queues=(MAIL_QUEUE,)) -> None:
    """The real worker, on its own connection, until the mail queue is empty (as `manage.py procrastinate
    worker` runs it, minus the waiting): the test's data must be committed (transactional tests).

    In a thread of its own when this one already runs an event loop (the browser tests' Playwright
    leaves one running for the session), since the worker starts its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        _work(list(queues))
        return
    failure = []

    def work():
        try:
            _work(list(queues))
        except BaseException as error:  # re-raised in the test's thread
            failure.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
