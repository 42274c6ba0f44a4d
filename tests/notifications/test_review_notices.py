"""A focal point hears of the decision on their update, once it is committed, in their language."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from notifications.models import MessageKind, MessageStatus, SentMessage
from notifications.services import notify_review_decision
from roadmaps.models import ActionStatus
from roadmaps.services import progress_update_approve, progress_update_return, progress_update_submit
from tests.factories import ActionFactory
from tests.notifications.conftest import days, prefer, remind, run_queue

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "https://gcm.example.org"


@pytest.fixture
def submitted(clock, focal_sv, el_salvador):
    action = ActionFactory(countries=[el_salvador], title_en="Train officials", title_es="Capacitar funcionarios")
    return progress_update_submit(
        action=action,
        country=el_salvador,
        author=focal_sv,
        status=ActionStatus.ON_TRACK,
        percent_complete=60,
        narrative="Two workshops held.",
    )


def test_returning_an_update_tells_its_author_after_commit(submitted, focal_sv, secretariat_user):
    prefer(focal_sv, "en")

    progress_update_return(update=submitted, reviewer=secretariat_user, comment="Attach the attendance list.")
    assert mail.outbox == []  # the review only queued the notice: a worker sends it
    assert SentMessage.objects.count() == 0

    run_queue()

    [message] = mail.outbox
    code = submitted.action.code
    assert message.to == ["focal-sv-test@example.org"]
    assert message.subject == f"Your progress update on {code} (El Salvador) was returned"
    assert message.body == (
        "Hello focal-sv-test,\n\n"
        f"The secretariat returned your progress update of 2 Mar 2026 on action {code} “Train officials” for "
        "El Salvador.\n\n"
        "Reviewer's comment:\nAttach the attendance list.\n\n"
        f"Answer it with a new update: {SITE}/en/actions/{submitted.action_id}/report/\n\n"
        "--\nThis message was sent automatically by the GCM Roadmap Tracker.\n"
    )
    record = SentMessage.objects.get()
    assert (record.kind, record.status, record.progress_update_id) == (
        MessageKind.UPDATE_RETURNED,
        MessageStatus.SENT,
        submitted.pk,
    )


def test_approval_notice_is_in_spanish_for_a_spanish_speaker(submitted, focal_sv, secretariat_user):
    prefer(focal_sv, "es")

    progress_update_approve(update=submitted, reviewer=secretariat_user, comment="Buen trabajo.")
    run_queue()

    [message] = mail.outbox
    code = submitted.action.code
    assert message.subject == f"Su informe de avance sobre {code} (El Salvador) fue aprobado"
    assert (
        f"La secretaría aprobó su informe de avance del 2 mar 2026 sobre la acción {code} "
        "«Capacitar funcionarios» para El Salvador. Ahora es el estado actual de la acción.\n\n"
        "Comentario de la revisión: Buen trabajo.\n"
    ) in message.body
    assert SentMessage.objects.get().kind == MessageKind.UPDATE_APPROVED


def test_opted_out_author_still_gets_the_return_notice(submitted, focal_sv, secretariat_user):
    prefer(focal_sv, "en", digests=False)

    progress_update_return(update=submitted, reviewer=secretariat_user, comment="Say which workshops.")
    run_queue()

    assert [m.to for m in mail.outbox] == [["focal-sv-test@example.org"]]
    assert "Say which workshops." in mail.outbox[0].body


def test_refused_review_sends_nothing(submitted, focal_sv, staff_outsider):
    with pytest.raises(PermissionDenied):
        progress_update_return(update=submitted, reviewer=staff_outsider, comment="No.")
    run_queue()

    assert mail.outbox == []
    assert SentMessage.objects.count() == 0


def test_review_notice_is_sent_once(submitted, focal_sv, secretariat_user):
    prefer(focal_sv, "en")
    progress_update_approve(update=submitted, reviewer=secretariat_user)
    run_queue()

    assert notify_review_decision(submitted.pk) is None
    assert len(mail.outbox) == 1
    assert SentMessage.objects.count() == 1


def test_pending_update_gets_no_review_notice(submitted):
    assert notify_review_decision(submitted.pk) is None
    assert mail.outbox == []


def test_opted_out_focal_point_gets_the_return_notice_and_no_digest(submitted, focal_sv, el_salvador, secretariat_user):
    prefer(focal_sv, "en", digests=False)
    prefer(secretariat_user, "en", digests=False)
    ActionFactory(countries=[el_salvador], due_date=days(2))
    progress_update_return(update=submitted, reviewer=secretariat_user, comment="Which workshops?")
    run_queue()

    remind()

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["focal-sv-test@example.org"], f"Your progress update on {submitted.action.code} (El Salvador) was returned")
    ]
    assert list(SentMessage.objects.values_list("kind", flat=True)) == [MessageKind.UPDATE_RETURNED]


def test_comment_is_escaped_in_html_and_plain_in_text(submitted, focal_sv, secretariat_user):
    prefer(focal_sv, "en")

    progress_update_return(update=submitted, reviewer=secretariat_user, comment='<a href="x">5 < 6</a>')
    run_queue()

    [message] = mail.outbox
    assert 'Reviewer\'s comment:\n<a href="x">5 < 6</a>\n' in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<blockquote>&lt;a href=&quot;x&quot;&gt;5 &lt; 6&lt;/a&gt;</blockquote>" in html
