"""The secretariat sees in the admin what was sent to whom; nobody edits that record."""

import pytest
from django.utils import timezone

from notifications.models import MessageKind, MessageStatus, SentMessage

pytestmark = pytest.mark.django_db(transaction=True)

CHANGELIST = "/admin/notifications/sentmessage/"


def record(user, *, kind=MessageKind.FOCAL_DIGEST, status=MessageStatus.SENT, key=None, subject="Reminder"):
    return SentMessage.objects.create(
        recipient=user,
        email=user.email,
        kind=kind,
        subject=subject,
        language="en",
        dedupe_key=key or f"{kind}:{user.pk}:{SentMessage.objects.count()}",
        status=status,
        sent_at=timezone.now() if status == MessageStatus.SENT else None,
        error="" if status == MessageStatus.SENT else "SMTPRecipientsRefused: refused",
        body_text="Hello",
    )


def test_secretariat_sees_and_filters_what_was_sent(client_for, secretariat_user, focal_sv, focal_gt):
    record(focal_sv, subject="Digest for SV")
    record(focal_gt, status=MessageStatus.FAILED, subject="Digest for GT")
    client = client_for(secretariat_user)

    everything = client.get(CHANGELIST)
    failed = client.get(CHANGELIST, {"status__exact": "failed"})

    assert everything.status_code == 200
    assert [m.subject for m in everything.context["cl"].result_list] == ["Digest for GT", "Digest for SV"]
    assert failed.status_code == 200
    assert [m.subject for m in failed.context["cl"].result_list] == ["Digest for GT"]


def test_secretariat_reads_one_message_but_cannot_change_add_or_delete(client_for, secretariat_user, focal_sv):
    message = record(focal_sv)
    client = client_for(secretariat_user)

    page = client.get(f"{CHANGELIST}{message.pk}/change/")
    post = client.post(f"{CHANGELIST}{message.pk}/change/", {"subject": "Edited"})

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert "focal-sv-test@example.org" in page.content.decode()
    assert post.status_code == 403
    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert client.post(f"{CHANGELIST}{message.pk}/delete/", {"post": "yes"}).status_code == 403
    assert SentMessage.objects.get().subject == "Reminder"


@pytest.mark.parametrize("actor", ["staff_outsider", "focal_sv", "partner_user"])
def test_others_cannot_see_sent_messages(request, client_for, actor, focal_gt):
    record(focal_gt)
    user = request.getfixturevalue(actor)

    response = client_for(user).get(CHANGELIST)

    # Staff outside the Secretariat group are refused outright; everyone else is sent to sign in.
    expected = 403 if user.is_staff else 302
    assert response.status_code == expected


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_changelist_queries_do_not_grow_with_rows(
    client_for, secretariat_user, focal_sv, django_assert_max_num_queries
):
    client = client_for(secretariat_user)
    record(focal_sv)
    client.get(CHANGELIST)  # warm the session and the permission caches
    for _ in range(30):
        record(focal_sv)

    with django_assert_max_num_queries(12):
        response = client.get(CHANGELIST)

    assert response.context["cl"].result_count == 31
