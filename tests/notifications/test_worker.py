"""The queue for real: a worker in its own process sends over SMTP, retries a refusal, and a request
never waits on the mail server."""

import os
import subprocess
import sys
import time
from email import message_from_bytes
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.admin import helpers
from django.core import mail
from django.db import connection
from django.urls import reverse
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from core.queue import MAIL_QUEUE, REMINDERS_QUEUE
from notifications.models import MessageKind, MessageStatus, SentMessage
from notifications.tasks import reminders
from roadmaps.models import ActionStatus, ReviewState
from roadmaps.services import progress_update_approve, progress_update_submit
from tests.factories import ActionFactory, ProgressUpdateFactory
from tests.notifications.conftest import NOW, days, prefer
from tests.notifications.smtp import HangingServer, SmtpServer
from tests.queue import run_queue

pytestmark = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(__file__).resolve().parents[2]


def worker_database_url() -> str:
    """The test database, as a URL another process can use: a TCP server or the embedded one's socket."""
    db = connection.settings_dict
    host = quote(db["HOST"] or "", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgresql://{db['USER']}@{host}{port}/{db['NAME']}"


def start_worker(smtp_port: int) -> subprocess.Popen:
    """`manage.py procrastinate worker`, as production runs it, on the test database and this SMTP port."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": worker_database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": "5",
        "MAIL_RETRY_SECONDS": "0",
        "SITE_URL": "https://gcm.example.org",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "procrastinate",
            "worker",
            "--queues",
            "mail",
            "--fetch-job-polling-interval",
            "0.2",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def submitted_update(author, country, **kwargs):
    return progress_update_submit(
        action=ActionFactory(countries=[country], **kwargs),
        country=country,
        author=author,
        status=ActionStatus.ON_TRACK,
        percent_complete=40,
        narrative="Two workshops held.",
    )


def test_worker_process_sends_the_approval_notice_once_after_a_refusal(focal_sv, el_salvador, secretariat_user):
    prefer(focal_sv, "en")
    update = submitted_update(focal_sv, el_salvador)

    with SmtpServer(refuse=1) as smtp:  # says "451 try again later" to the first message
        progress_update_approve(update=update, reviewer=secretariat_user)
        worker = start_worker(smtp.port)
        try:
            sent = wait_until(lambda: SentMessage.objects.filter(status=MessageStatus.SENT).exists())
        finally:
            worker.terminate()
            output = worker.communicate(timeout=30)[0]
        assert sent, output
        assert worker.returncode == 0, output

    [received] = smtp.messages
    email = message_from_bytes(received)
    code = update.action.code
    assert email["To"] == "focal-sv-test@example.org"
    assert email["Subject"] == f"Your progress update on {code} (El Salvador) was approved"
    [notice] = SentMessage.objects.all()
    assert (notice.kind, notice.status, notice.attempts, notice.error) == (
        MessageKind.UPDATE_APPROVED,
        MessageStatus.SENT,
        2,
        "",
    )
    assert "Job notifications.send_message[" in output


def test_bulk_approval_of_50_answers_at_once_while_the_mail_server_hangs(
    settings, client_for, focal_sv, el_salvador, secretariat_user
):
    prefer(focal_sv, "en")
    updates = [
        ProgressUpdateFactory(action=ActionFactory(countries=[el_salvador]), country=el_salvador, author=focal_sv)
        for _ in range(50)
    ]
    client = client_for(secretariat_user)
    with HangingServer() as hanging:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        # One send to this server would take the whole timeout; inside the request, fifty would take 25 min.
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", hanging.port, 30

        started = time.perf_counter()
        response = client.post(
            reverse("admin:roadmaps_progressupdate_changelist"),
            {"action": "approve_selected", "index": "0", helpers.ACTION_CHECKBOX_NAME: [u.pk for u in updates]},
        )
        elapsed = time.perf_counter() - started

    assert response.status_code == 302
    # Not one SMTP timeout. (The 50 approvals themselves, one batch of about 6 queries per action
    # (tests/admin/test_bulk_approval.py), take about 1 s on the shared 2-core CI machine; the request's
    # share of mail is one INSERT for all the notices.)
    assert elapsed < 10
    assert [u.review_state for u in type(updates[0]).objects.filter(pk__in=[u.pk for u in updates])] == [
        ReviewState.APPROVED
    ] * 50
    # One job per notice, waiting for a worker; nothing was handed to the mail server.
    assert ProcrastinateJob.objects.filter(task_name="notifications.review_notice", status="todo").count() == 50
    assert SentMessage.objects.count() == 0


def test_hourly_periodic_task_queues_the_digests_a_worker_sends(clock, focal_sv, el_salvador):
    prefer(focal_sv, "en")
    ActionFactory(countries=[el_salvador], due_date=days(3))
    assert app.periodic_registry.periodic_tasks  # registered: every worker defers it each hour

    reminders.defer(timestamp=int(NOW.timestamp()))
    run_queue(queues=[REMINDERS_QUEUE, MAIL_QUEUE])

    assert [m.subject for m in mail.outbox] == ["GCM roadmaps: your reporting reminder for 2 Mar 2026"]
    assert SentMessage.objects.get().status == MessageStatus.SENT
