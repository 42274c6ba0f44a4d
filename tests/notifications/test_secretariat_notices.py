"""The secretariat's daily digest and the hourly batched notice of new submissions."""

import datetime

import pytest
from django.core import mail

from notifications.models import MessageKind, MessageStatus, SentMessage
from roadmaps.models import ActionStatus
from roadmaps.services import progress_update_submit
from tests.factories import ActionFactory, UserFactory
from tests.notifications.conftest import NOW, days, prefer, remind

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "https://gcm.example.org"


def submit(action, country, author):
    return progress_update_submit(
        action=action,
        country=country,
        author=author,
        status=ActionStatus.ON_TRACK,
        percent_complete=50,
        narrative="Half way.",
    )


def messages_of(kind):
    return list(SentMessage.objects.filter(kind=kind).order_by("id"))


def test_secretariat_digest_lists_pending_oldest_first_and_long_overdue(
    clock, secretariat_user, staff_outsider, focal_sv, el_salvador
):
    prefer(secretariat_user, "en")
    prefer(staff_outsider, "en")
    prefer(focal_sv, "en", digests=False)
    first_action = ActionFactory(countries=[el_salvador], due_date=days(60), title_en="First")
    second_action = ActionFactory(countries=[el_salvador], due_date=days(60), title_en="Second")
    clock.move_to(NOW - datetime.timedelta(days=3))
    older = submit(second_action, el_salvador, focal_sv)
    clock.move_to(NOW - datetime.timedelta(days=1))
    newer = submit(first_action, el_salvador, focal_sv)
    clock.move_to(NOW)
    long_overdue = ActionFactory(countries=[el_salvador], due_date=days(-31), title_en="Late")
    ActionFactory(countries=[el_salvador], due_date=days(-30))  # overdue, but not by more than 30 days

    remind()

    [digest] = [m for m in mail.outbox if m.subject.startswith("GCM roadmaps: 2 updates waiting")]
    assert digest.to == ["secretariat-test@example.org"]
    assert digest.subject == "GCM roadmaps: 2 updates waiting for review (2 Mar 2026)"
    assert (
        "Updates waiting for review, oldest first (2)\n\n"
        f"* {second_action.code} Second — El Salvador, focal-sv-test\n"
        "  Submitted 27 Feb 2026: waiting 3 days.\n"
        f"  {SITE}/admin/roadmaps/progressupdate/{older.pk}/change/\n\n"
        f"* {first_action.code} First — El Salvador, focal-sv-test\n"
        "  Submitted 1 Mar 2026: waiting 1 day.\n"
        f"  {SITE}/admin/roadmaps/progressupdate/{newer.pk}/change/\n"
    ) in digest.body
    assert (
        "Actions overdue by more than 30 days (1)\n\n"
        f"* {long_overdue.code} Late — {long_overdue.roadmap.title_en} (SV)\n"
        "  Due 30 Jan 2026: 31 days overdue.\n"
    ) in digest.body
    [record] = messages_of(MessageKind.SECRETARIAT_DIGEST)
    assert record.recipient == secretariat_user
    assert list(record.progress_updates.order_by("created_at")) == [older, newer]
    assert list(record.actions.all()) == [long_overdue]
    # Staff outside the Secretariat group receive nothing; the focal point opted out of digests.
    assert {tuple(m.to) for m in mail.outbox} == {("secretariat-test@example.org",)}


def test_secretariat_digest_in_spanish(clock, secretariat_user, focal_sv, el_salvador):
    prefer(secretariat_user, "es")
    prefer(focal_sv, "en", digests=False)
    action = ActionFactory(countries=[el_salvador], due_date=days(60))
    submit(action, el_salvador, focal_sv)

    remind()

    [record] = messages_of(MessageKind.SECRETARIAT_DIGEST)
    assert record.language == "es"
    assert record.subject == "Hojas de ruta del PMM: 1 informe pendiente de revisión (2 mar 2026)"
    assert "Actualizaciones pendientes de revisión, las más antiguas primero (1)" in record.body_text
    assert "  Enviada hoy.\n" in record.body_text


def test_opted_out_secretariat_member_gets_no_digest_but_the_submissions_notice(
    clock, secretariat_user, focal_sv, el_salvador
):
    prefer(secretariat_user, "en", digests=False)
    prefer(focal_sv, "en", digests=False)
    submit(ActionFactory(countries=[el_salvador], due_date=days(60)), el_salvador, focal_sv)

    remind()

    assert [m.subject for m in mail.outbox] == ["GCM roadmaps: 1 new progress update to review"]


def test_nothing_pending_nothing_overdue_sends_the_secretariat_nothing(clock, secretariat_user, el_salvador):
    ActionFactory(countries=[el_salvador], due_date=days(-10))

    remind()

    assert mail.outbox == []


def test_submissions_are_batched_into_one_notice_an_hour(clock, secretariat_user, focal_sv, focal_gt, guatemala):
    prefer(secretariat_user, "en", digests=False)
    prefer(focal_sv, "en", digests=False)
    prefer(focal_gt, "en", digests=False)
    el_salvador = focal_sv.focal_points.get().country
    actions = [ActionFactory(countries=[el_salvador, guatemala], due_date=days(60)) for _ in range(3)]
    first_batch = [submit(actions[0], el_salvador, focal_sv), submit(actions[1], guatemala, focal_gt)]

    remind()

    assert [m.subject for m in mail.outbox] == ["GCM roadmaps: 2 new progress updates to review"]
    [notice] = messages_of(MessageKind.SUBMISSIONS)
    assert set(notice.progress_updates.all()) == set(first_batch)
    assert f"{SITE}/admin/roadmaps/progressupdate/?review_state__exact=submitted" in notice.body_text

    # Same hour, a new submission: it waits for the next hour's notice.
    clock.shift(datetime.timedelta(minutes=20))
    later = submit(actions[2], el_salvador, focal_sv)
    remind()
    assert len(mail.outbox) == 1

    clock.shift(datetime.timedelta(hours=1))
    remind()
    assert [m.subject for m in mail.outbox][1:] == ["GCM roadmaps: 1 new progress update to review"]
    assert list(messages_of(MessageKind.SUBMISSIONS)[1].progress_updates.all()) == [later]

    # Nothing new: no notice.
    clock.shift(datetime.timedelta(hours=1))
    remind()
    assert len(mail.outbox) == 2


def test_every_secretariat_member_with_email_is_told(clock, secretariat_user, groups, focal_sv, el_salvador):
    prefer(focal_sv, "en", digests=False)
    colleague = UserFactory(username="colleague", is_staff=True)
    colleague.groups.add(groups["Secretariat"])
    UserFactory(username="root", is_superuser=True, is_staff=True)
    mailless = UserFactory(username="mailless", is_staff=True, email="")
    mailless.groups.add(groups["Secretariat"])
    submit(ActionFactory(countries=[el_salvador], due_date=days(60)), el_salvador, focal_sv)

    remind()

    notices = messages_of(MessageKind.SUBMISSIONS)
    assert sorted(m.email for m in notices) == [
        "colleague@example.org",
        "root@example.org",
        "secretariat-test@example.org",
    ]
    assert {m.status for m in notices} == {MessageStatus.SENT}
