"""Review of progress updates from the admin: one at a time, in bulk, and the lock on approved ones."""

import pytest
from django.contrib.admin import helpers
from django.contrib.messages import get_messages
from django.urls import reverse

from roadmaps.models import Action, ActionStatus, ProgressUpdate, ReviewState
from roadmaps.services import progress_update_approve
from tests.factories import ActionFactory, ProgressUpdateFactory

CHANGELIST = "admin:roadmaps_progressupdate_changelist"


def review_url(update):
    return reverse("admin:roadmaps_progressupdate_review", args=[update.pk])


def change_url(update):
    return reverse("admin:roadmaps_progressupdate_change", args=[update.pk])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_change_page_offers_review_form(client_for, secretariat_user, pending_update):
    response = client_for(secretariat_user).get(change_url(pending_update))
    assert response.status_code == 200
    assert response.context["review_url"] == review_url(pending_update)
    assert 'name="decision" value="approve"' in response.text
    assert 'name="decision" value="return"' in response.text


def test_approve_one_sets_action_status_and_percent(client_for, secretariat_user, pending_update):
    response = client_for(secretariat_user).post(review_url(pending_update), {"decision": "approve", "comment": ""})
    assert response.status_code == 302
    assert response["Location"] == change_url(pending_update)
    pending_update.refresh_from_db()
    assert pending_update.review_state == ReviewState.APPROVED
    assert pending_update.reviewer == secretariat_user
    action = Action.objects.get(pk=pending_update.action_id)
    assert (action.status, action.percent_complete) == (ActionStatus.ON_TRACK, 40)
    assert messages_of(response) == [
        f"Update approved: {pending_update.country.name}'s state on action A1 is its latest approved report; "
        "the action overall is now 40% (On track)."
    ]


def test_return_one_with_comment(client_for, secretariat_user, pending_update):
    response = client_for(secretariat_user).post(
        review_url(pending_update), {"decision": "return", "comment": "Add the evidence link, please."}
    )
    assert response.status_code == 302
    pending_update.refresh_from_db()
    assert pending_update.review_state == ReviewState.RETURNED
    assert pending_update.review_comment == "Add the evidence link, please."
    action = Action.objects.get(pk=pending_update.action_id)
    assert (action.status, action.percent_complete) == (ActionStatus.NOT_STARTED, 0)


@pytest.mark.parametrize("comment", ["", "   "])
def test_return_one_without_comment_refused(client_for, secretariat_user, pending_update, comment):
    version = pending_update.action.version
    response = client_for(secretariat_user).post(review_url(pending_update), {"decision": "return", "comment": comment})
    assert response.status_code == 302
    assert messages_of(response) == ["Say why the update is returned: the focal point will read it."]
    pending_update.refresh_from_db()
    assert pending_update.review_state == ReviewState.SUBMITTED
    assert pending_update.reviewer is None
    assert Action.objects.get(pk=pending_update.action_id).version == version


def test_review_view_refuses_get(client_for, secretariat_user, pending_update):
    assert client_for(secretariat_user).get(review_url(pending_update)).status_code == 405


def test_review_of_reviewed_update_refused_with_message(client_for, secretariat_user, pending_update):
    progress_update_approve(update=pending_update, reviewer=secretariat_user)
    response = client_for(secretariat_user).post(
        review_url(pending_update), {"decision": "return", "comment": "Too late"}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["This update was already approved; only submitted updates can be reviewed."]
    pending_update.refresh_from_db()
    assert pending_update.review_state == ReviewState.APPROVED


def test_staff_outside_group_cannot_review(client_for, staff_outsider, pending_update):
    response = client_for(staff_outsider).post(review_url(pending_update), {"decision": "approve"})
    assert response.status_code == 403
    pending_update.refresh_from_db()
    assert pending_update.review_state == ReviewState.SUBMITTED


def test_focal_point_sent_to_login_from_review(client_for, focal_sv, pending_update):
    response = client_for(focal_sv).post(review_url(pending_update), {"decision": "approve"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    pending_update.refresh_from_db()
    assert pending_update.review_state == ReviewState.SUBMITTED


def test_bulk_approve_sets_each_action(client_for, secretariat_user, el_salvador, guatemala, focal_sv, focal_gt):
    plans = [
        (el_salvador, focal_sv, ActionStatus.ON_TRACK, 30),
        (el_salvador, focal_sv, ActionStatus.AT_RISK, 55),
        (guatemala, focal_gt, ActionStatus.COMPLETED, 100),
    ]
    updates = []
    for country, author, status, percent in plans:
        action = ActionFactory(countries=[country])
        updates.append(
            ProgressUpdateFactory(
                action=action, country=country, author=author, status=status, percent_complete=percent
            )
        )
    untouched = ProgressUpdateFactory(action=ActionFactory(countries=[el_salvador]), country=el_salvador)
    response = client_for(secretariat_user).post(
        reverse(CHANGELIST),
        {"action": "approve_selected", "index": "0", helpers.ACTION_CHECKBOX_NAME: [u.pk for u in updates]},
    )
    assert response.status_code == 302
    assert messages_of(response) == ["3 updates approved."]
    for update, (_country, _author, status, percent) in zip(updates, plans, strict=True):
        update.refresh_from_db()
        assert update.review_state == ReviewState.APPROVED
        assert update.reviewer == secretariat_user
        action = Action.objects.get(pk=update.action_id)
        assert (action.status, action.percent_complete) == (status, percent)
    untouched.refresh_from_db()
    assert untouched.review_state == ReviewState.SUBMITTED


def test_bulk_approve_skips_already_reviewed(client_for, secretariat_user, pending_update, el_salvador):
    progress_update_approve(update=pending_update, reviewer=secretariat_user)
    other = ProgressUpdateFactory(action=ActionFactory(countries=[el_salvador]), country=el_salvador)
    response = client_for(secretariat_user).post(
        reverse(CHANGELIST),
        {"action": "approve_selected", "index": "0", helpers.ACTION_CHECKBOX_NAME: [pending_update.pk, other.pk]},
    )
    assert messages_of(response) == ["1 update approved.", "1 update was skipped: it was already reviewed."]
    other.refresh_from_db()
    assert other.review_state == ReviewState.APPROVED


def test_bulk_return_asks_for_comment(client_for, secretariat_user, pending_update):
    response = client_for(secretariat_user).post(
        reverse(CHANGELIST),
        {"action": "return_selected", "index": "0", helpers.ACTION_CHECKBOX_NAME: [pending_update.pk]},
    )
    assert response.status_code == 200
    assert response.templates[0].name == "admin/roadmaps/progressupdate/return_selected.html"
    assert 'name="comment"' in response.text
    pending_update.refresh_from_db()
    assert pending_update.review_state == ReviewState.SUBMITTED


def test_bulk_return_with_empty_comment_refused(client_for, secretariat_user, pending_update):
    version = pending_update.action.version
    response = client_for(secretariat_user).post(
        reverse(CHANGELIST),
        {"action": "return_selected", "apply": "1", "comment": "  ", helpers.ACTION_CHECKBOX_NAME: [pending_update.pk]},
    )
    assert response.status_code == 200
    assert messages_of(response) == ["Nothing was returned: write a comment for the focal points."]
    assert response.context["form"].errors == {"comment": ["This field is required."]}
    pending_update.refresh_from_db()
    assert pending_update.review_state == ReviewState.SUBMITTED
    assert Action.objects.get(pk=pending_update.action_id).version == version


def test_bulk_return_with_comment(client_for, secretariat_user, pending_update, el_salvador):
    other = ProgressUpdateFactory(action=ActionFactory(countries=[el_salvador]), country=el_salvador)
    response = client_for(secretariat_user).post(
        reverse(CHANGELIST),
        {
            "action": "return_selected",
            "apply": "1",
            "comment": "Give figures for the quarter.",
            helpers.ACTION_CHECKBOX_NAME: [pending_update.pk, other.pk],
        },
    )
    assert response.status_code == 302
    assert messages_of(response) == ["2 updates returned."]
    states = set(ProgressUpdate.objects.values_list("review_state", "review_comment", "reviewer"))
    assert states == {(ReviewState.RETURNED, "Give figures for the quarter.", secretariat_user.pk)}


def test_approved_update_cannot_be_edited(client_for, secretariat_user, pending_update):
    progress_update_approve(update=pending_update, reviewer=secretariat_user)
    client = client_for(secretariat_user)
    page = client.get(change_url(pending_update))
    assert page.status_code == 200
    assert "Approved updates cannot be edited or deleted" in page.text
    assert page.context["has_change_permission"] is False
    response = client.post(change_url(pending_update), {"narrative": "Rewritten", "percent_complete": "90"})
    assert response.status_code == 403
    pending_update.refresh_from_db()
    assert (pending_update.narrative, pending_update.percent_complete) == ("Work is under way.", 40)


def test_approved_update_cannot_be_deleted(client_for, secretariat_user, pending_update):
    progress_update_approve(update=pending_update, reviewer=secretariat_user)
    url = reverse("admin:roadmaps_progressupdate_delete", args=[pending_update.pk])
    client = client_for(secretariat_user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert ProgressUpdate.objects.filter(pk=pending_update.pk).exists()


def test_no_bulk_delete_of_updates(client_for, secretariat_user, pending_update):
    progress_update_approve(update=pending_update, reviewer=secretariat_user)
    response = client_for(secretariat_user).post(
        reverse(CHANGELIST),
        {"action": "delete_selected", "index": "0", helpers.ACTION_CHECKBOX_NAME: [pending_update.pk]},
    )
    # Not an action of this list: Django refuses it ("No action selected") and deletes nothing.
    assert response.status_code == 302
    assert messages_of(response) == ["No action selected."]
    assert ProgressUpdate.objects.filter(pk=pending_update.pk).exists()


def test_submitted_update_can_be_deleted(client_for, secretariat_user, pending_update):
    url = reverse("admin:roadmaps_progressupdate_delete", args=[pending_update.pk])
    response = client_for(secretariat_user).post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not ProgressUpdate.objects.filter(pk=pending_update.pk).exists()


def test_updates_not_added_from_admin(client_for, secretariat_user):
    assert client_for(secretariat_user).get(reverse("admin:roadmaps_progressupdate_add")).status_code == 403


def test_changelist_queries_do_not_grow(client_for, secretariat_user, el_salvador, django_assert_max_num_queries):
    client = client_for(secretariat_user)
    ProgressUpdateFactory(action=ActionFactory(countries=[el_salvador]), country=el_salvador)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse(CHANGELIST))
    for _ in range(15):
        ProgressUpdateFactory(action=ActionFactory(countries=[el_salvador]), country=el_salvador)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(CHANGELIST))
    assert len(response.context["cl"].result_list) == 16


def test_review_pages_in_spanish(client_for, secretariat_user, pending_update):
    client = client_for(secretariat_user)
    response = client.get(reverse(CHANGELIST), HTTP_ACCEPT_LANGUAGE="es")
    assert "Aprobar los informes seleccionados" in response.text
    page = client.get(change_url(pending_update), HTTP_ACCEPT_LANGUAGE="es")
    assert "Revisar este informe" in page.text


def test_evidence_file_linked_for_review(client_for, secretariat_user, pending_update):
    ProgressUpdate.objects.filter(pk=pending_update.pk).update(evidence_file="evidence/2026/11/minutes.pdf")
    response = client_for(secretariat_user).get(change_url(pending_update))
    assert f'<a href="/en/updates/{pending_update.pk}/evidence/">minutes.pdf</a>' in response.text
