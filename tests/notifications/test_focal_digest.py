"""Focal points' daily digest: who gets what, in which language, once a day."""

import datetime

import psycopg
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from notifications.management.commands.send_reminders import ADVISORY_LOCK_ID
from notifications.models import MessageKind, MessageStatus, SentMessage
from roadmaps.models import ActionStatus, ReviewState, RoadmapStatus
from tests.factories import (
    ActionFactory,
    CountryFactory,
    FocalPointFactory,
    ProgressUpdateFactory,
    RoadmapFactory,
    UserFactory,
)
from tests.notifications.conftest import NOW, ZONE, days, prefer, remind, run_queue

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "https://gcm.example.org"


def returned_update(*, action, country, author, reviewer, comment):
    return ProgressUpdateFactory(
        action=action,
        country=country,
        author=author,
        review_state=ReviewState.RETURNED,
        reviewer=reviewer,
        reviewed_at=timezone.now(),
        review_comment=comment,
    )


def test_focal_digest_lists_due_soon_overdue_and_returned_of_own_countries(
    clock, focal_sv, el_salvador, guatemala, secretariat_user
):
    prefer(focal_sv, "en")
    due_soon = ActionFactory(countries=[el_salvador], due_date=days(5), title_en="Train border officials")
    overdue = ActionFactory(countries=[el_salvador], due_date=days(-3), title_en="Publish the protocol")
    ActionFactory(countries=[el_salvador], due_date=days(15))  # beyond DUE_SOON_DAYS
    ActionFactory(countries=[el_salvador], due_date=days(-3), status=ActionStatus.COMPLETED, percent_complete=100)
    ActionFactory(countries=[el_salvador], due_date=days(-3), status=ActionStatus.CANCELLED)
    ActionFactory(countries=[guatemala], due_date=days(2))  # another country's
    draft = RoadmapFactory(status=RoadmapStatus.DRAFT)
    ActionFactory(roadmap=draft, countries=[el_salvador], due_date=days(2))  # roadmap not active
    returned = returned_update(
        action=overdue, country=el_salvador, author=focal_sv, reviewer=secretariat_user, comment="Attach the decree."
    )

    summary = remind()

    assert (summary.queued, summary.skipped) == (1, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["focal-sv-test@example.org"]
    assert message.subject == "GCM roadmaps: your reporting reminder for 2 Mar 2026"
    assert message.extra_headers["Content-Language"] == "en"
    body = message.body
    assert (
        f"Overdue actions (1)\n\n* {overdue.code} Publish the protocol — {overdue.roadmap.title_en}\n"
        f"  Due 27 Feb 2026: 3 days overdue.\n  {SITE}/en/actions/{overdue.pk}/report/\n"
    ) in body
    assert (
        f"Due soon (1)\n\n* {due_soon.code} Train border officials — {due_soon.roadmap.title_en}\n"
        f"  Due 7 Mar 2026: in 5 days.\n  {SITE}/en/actions/{due_soon.pk}/report/\n"
    ) in body
    assert (
        f"Updates returned to you (1)\n\n* {overdue.code} Publish the protocol — El Salvador\n"
        "  Reported 2 Mar 2026.\n  Reviewer's comment: Attach the decree.\n"
        f"  {SITE}/en/actions/{overdue.pk}/report/\n"
    ) in body
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    assert f'<a href="{SITE}/en/actions/{due_soon.pk}/report/">{due_soon.code} Train border officials</a>' in html
    assert "Attach the decree." in html

    record = SentMessage.objects.get()
    assert record.recipient == focal_sv
    assert record.email == "focal-sv-test@example.org"
    assert record.kind == MessageKind.FOCAL_DIGEST
    assert record.status == MessageStatus.SENT
    assert record.language == "en"
    assert record.digest_date == datetime.date(2026, 3, 2)
    assert record.subject == message.subject
    assert record.sent_at == NOW
    assert set(record.actions.all()) == {due_soon, overdue}
    assert list(record.progress_updates.all()) == [returned]


def test_focal_digest_follows_spanish_preference(clock, focal_sv, el_salvador):
    prefer(focal_sv, "es")
    action = ActionFactory(countries=[el_salvador], due_date=days(1), title_en="Train officials", title_es="Capacitar")

    remind()

    [message] = mail.outbox
    assert message.subject == "Hojas de ruta del PMM: su recordatorio de informes del 2 mar 2026"
    assert message.extra_headers["Content-Language"] == "es"
    assert message.body.startswith("Hola, focal-sv-test:\n")
    assert (
        f"Vencen pronto (1)\n\n* {action.code} Capacitar — {action.roadmap.title_es}\n"
        f"  Vence el 3 mar 2026: en 1 día.\n  {SITE}/es/actions/{action.pk}/report/\n"
    ) in message.body
    assert "Train officials" not in message.body
    assert '<html lang="es">' in message.alternatives[0][0]
    assert SentMessage.objects.get().language == "es"


def test_each_recipient_gets_their_own_language(clock, focal_sv, focal_gt, el_salvador, guatemala):
    prefer(focal_sv, "es")
    prefer(focal_gt, "en")
    ActionFactory(countries=[el_salvador, guatemala], due_date=days(1))

    remind()

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        "focal-sv-test@example.org": "Hojas de ruta del PMM: su recordatorio de informes del 2 mar 2026",
        "focal-gt-test@example.org": "GCM roadmaps: your reporting reminder for 2 Mar 2026",
    }


def test_focal_point_with_nothing_due_gets_no_digest(clock, focal_sv, el_salvador):
    ActionFactory(countries=[el_salvador], due_date=days(30))

    assert remind().queued == 0
    assert mail.outbox == []
    assert SentMessage.objects.count() == 0


def test_inactive_focal_point_and_user_without_email_get_nothing(clock, el_salvador):
    FocalPointFactory(user=UserFactory(username="former"), country=el_salvador, is_active=False)
    FocalPointFactory(user=UserFactory(username="no-mail", email=""), country=el_salvador)
    FocalPointFactory(user=UserFactory(username="disabled", is_active=False), country=el_salvador)
    ActionFactory(countries=[el_salvador], due_date=days(1))

    remind()

    assert mail.outbox == []


def test_opted_out_focal_point_gets_no_digest(clock, focal_sv, focal_gt, el_salvador, guatemala):
    prefer(focal_sv, "en", digests=False)
    prefer(focal_gt, "en")
    ActionFactory(countries=[el_salvador, guatemala], due_date=days(1))

    remind()

    assert [message.to for message in mail.outbox] == [["focal-gt-test@example.org"]]


def test_corrected_returned_update_is_not_listed_again(clock, focal_sv, el_salvador, secretariat_user):
    prefer(focal_sv, "en")
    action = ActionFactory(countries=[el_salvador], due_date=days(60))
    returned_update(action=action, country=el_salvador, author=focal_sv, reviewer=secretariat_user, comment="Fix it.")
    clock.shift(datetime.timedelta(minutes=5))
    ProgressUpdateFactory(action=action, country=el_salvador, author=focal_sv)  # the correction, pending

    remind()

    assert SentMessage.objects.filter(kind=MessageKind.FOCAL_DIGEST).count() == 0


def test_action_with_pending_update_says_so(clock, focal_sv, el_salvador):
    prefer(focal_sv, "en")
    action = ActionFactory(countries=[el_salvador], due_date=days(-1))
    ProgressUpdateFactory(action=action, country=el_salvador, author=focal_sv)

    remind()

    [digest] = [m for m in mail.outbox if m.to == ["focal-sv-test@example.org"]]
    assert "Due 1 Mar 2026: 1 day overdue. An update is awaiting review.\n" in digest.body


def test_second_run_the_same_day_sends_nothing_new(clock, focal_sv, el_salvador):
    prefer(focal_sv, "en")
    ActionFactory(countries=[el_salvador], due_date=days(3))
    remind()
    clock.shift(datetime.timedelta(hours=1))

    summary = remind()

    assert (summary.queued, summary.skipped) == (0, 1)
    assert len(mail.outbox) == 1
    assert SentMessage.objects.count() == 1


def test_next_day_sends_again_while_still_due(clock, focal_sv, el_salvador):
    prefer(focal_sv, "en")
    action = ActionFactory(countries=[el_salvador], due_date=days(3))
    remind()
    clock.move_to(NOW + datetime.timedelta(days=1))

    remind()

    assert [m.subject for m in mail.outbox] == [
        "GCM roadmaps: your reporting reminder for 2 Mar 2026",
        "GCM roadmaps: your reporting reminder for 3 Mar 2026",
    ]
    assert "Due 5 Mar 2026: in 2 days.\n" in mail.outbox[1].body
    assert list(SentMessage.objects.order_by("digest_date").values_list("digest_date", flat=True)) == [
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 3),
    ]

    # Completed: nothing more to remind.
    action.status, action.percent_complete = ActionStatus.COMPLETED, 100
    action.save()
    clock.move_to(NOW + datetime.timedelta(days=2))
    remind()
    assert len(mail.outbox) == 2


def test_command_reports_what_it_did(clock, focal_sv, el_salvador, capsys):
    prefer(focal_sv, "en")
    ActionFactory(countries=[el_salvador], due_date=days(3))

    call_command("send_reminders")
    call_command("send_reminders")

    assert capsys.readouterr().out == (
        "send_reminders: 1 queued, 0 already queued or sent.\nsend_reminders: 0 queued, 1 already queued or sent.\n"
    )
    assert mail.outbox == []  # the command only queues: a worker sends
    run_queue()
    assert len(mail.outbox) == 1


def test_overlapping_run_sends_nothing(clock, focal_sv, el_salvador, capsys):
    prefer(focal_sv, "en")
    ActionFactory(countries=[el_salvador], due_date=days(3))
    params = {k: v for k, v in connection.get_connection_params().items() if k != "cursor_factory"}
    with psycopg.connect(**params, autocommit=True) as other_run:
        other_run.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_ID])
        call_command("send_reminders")

    assert capsys.readouterr().err == "Another send_reminders run is in progress; nothing done.\n"
    assert mail.outbox == []


def test_digest_goes_out_at_digest_hour_in_each_focal_points_country(clock, settings, focal_sv, el_salvador):
    settings.DIGEST_HOUR = 7
    panama = CountryFactory(code="PA")  # America/Panama: one hour ahead of San Salvador
    focal_pa = FocalPointFactory(user=UserFactory(username="focal-pa-test"), country=panama).user
    prefer(focal_sv, "en")
    prefer(focal_pa, "en")
    ActionFactory(countries=[el_salvador, panama], due_date=days(3))

    clock.move_to(datetime.datetime(2026, 3, 2, 5, 59, tzinfo=ZONE))  # 06:59 in Panama
    remind()
    assert mail.outbox == []

    clock.move_to(datetime.datetime(2026, 3, 2, 6, 0, tzinfo=ZONE))  # 07:00 in Panama, 06:00 here
    remind()
    assert [m.to for m in mail.outbox] == [["focal-pa-test@example.org"]]

    clock.move_to(datetime.datetime(2026, 3, 2, 7, 0, tzinfo=ZONE))
    remind()
    assert [m.to for m in mail.outbox] == [["focal-pa-test@example.org"], ["focal-sv-test@example.org"]]
    assert SentMessage.objects.filter(digest_date=datetime.date(2026, 3, 2)).count() == 2


def test_digest_hour_is_a_setting_and_a_late_worker_catches_up(clock, settings, focal_sv, el_salvador):
    settings.DIGEST_HOUR = 10
    prefer(focal_sv, "en")
    ActionFactory(countries=[el_salvador], due_date=days(3))

    remind()  # 09:00 in San Salvador
    assert mail.outbox == []

    clock.move_to(datetime.datetime(2026, 3, 2, 15, 30, tzinfo=ZONE))  # the worker was down at 10:00
    remind()
    assert [m.subject for m in mail.outbox] == ["GCM roadmaps: your reporting reminder for 2 Mar 2026"]


@pytest.mark.parametrize(
    ("language", "line"), [("es", "  Vence el 2 mar 2026: hoy.\n"), ("en", "  Due 2 Mar 2026: today.\n")]
)
def test_digest_says_today_on_the_due_date(clock, focal_sv, el_salvador, language, line):
    prefer(focal_sv, language)
    ActionFactory(countries=[el_salvador], due_date=days(0))

    remind()

    [message] = mail.outbox
    assert line in message.body
    assert "0 día" not in message.body and "0 days" not in message.body
