"""Every change made in the admin, and every review decision, leaves a history entry naming the user."""

from django.contrib.admin import helpers
from django.urls import reverse

from roadmaps.models import Action, ProgressUpdate, ReviewState, Roadmap
from tests.admin.conftest import change_form_data
from tests.factories import ActionFactory, RoadmapFactory


def test_roadmap_edit_recorded_with_user(client_for, secretariat_user, el_salvador):
    roadmap = RoadmapFactory(lead_country=el_salvador)
    client = client_for(secretariat_user)
    url = reverse("admin:roadmaps_roadmap_change", args=[roadmap.pk])
    data = change_form_data(client.get(url))
    data["title_es"] = "Hoja de ruta corregida"
    response = client.post(url, data)
    assert response.status_code == 302
    latest = Roadmap.history.filter(id=roadmap.pk).latest()
    assert latest.title_es == "Hoja de ruta corregida"
    assert latest.history_user == secretariat_user
    assert latest.history_type == "~"
    page = client.get(reverse("admin:roadmaps_roadmap_history", args=[roadmap.pk]))
    assert page.status_code == 200
    assert secretariat_user.username in page.text


def test_action_edit_recorded_and_versioned(client_for, secretariat_user, el_salvador):
    action = ActionFactory(countries=[el_salvador])
    client = client_for(secretariat_user)
    url = reverse("admin:roadmaps_action_change", args=[action.pk])
    data = change_form_data(client.get(url))
    assert data["expected_version"] == "1"
    data["percent_complete"] = "35"
    data["status"] = "on_track"
    response = client.post(url, data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.percent_complete, action.version) == (35, 2)
    latest = Action.history.filter(id=action.pk).latest()
    assert (latest.history_user, latest.percent_complete) == (secretariat_user, 35)


def test_action_edit_conflict_refused(client_for, secretariat_user, el_salvador):
    action = ActionFactory(countries=[el_salvador])
    client = client_for(secretariat_user)
    url = reverse("admin:roadmaps_action_change", args=[action.pk])
    data = change_form_data(client.get(url))
    Action.objects.filter(pk=action.pk).update(version=2, percent_complete=50)  # someone else saved meanwhile
    data["percent_complete"] = "10"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Someone else saved this action since you opened it" in response.text
    action.refresh_from_db()
    assert (action.percent_complete, action.version) == (50, 2)


def test_review_decision_recorded_with_reviewer_and_comment(client_for, secretariat_user, pending_update):
    client = client_for(secretariat_user)
    client.post(
        reverse("admin:roadmaps_progressupdate_review", args=[pending_update.pk]),
        {"decision": "return", "comment": "Attach the signed minutes."},
    )
    latest = ProgressUpdate.history.filter(id=pending_update.pk).latest()
    assert latest.review_state == ReviewState.RETURNED
    assert latest.history_user == secretariat_user
    assert latest.reviewer == secretariat_user
    assert latest.review_comment == "Attach the signed minutes."
    assert latest.history_change_reason == "Review: returned – Attach the signed minutes."
    page = client.get(reverse("admin:roadmaps_progressupdate_history", args=[pending_update.pk]))
    assert page.status_code == 200
    assert "Attach the signed minutes." in page.text
    assert "Review: returned" in page.text


def test_bulk_approval_recorded_for_update_and_action(client_for, secretariat_user, pending_update):
    client_for(secretariat_user).post(
        reverse("admin:roadmaps_progressupdate_changelist"),
        {"action": "approve_selected", "index": "0", helpers.ACTION_CHECKBOX_NAME: [pending_update.pk]},
    )
    latest = ProgressUpdate.history.filter(id=pending_update.pk).latest()
    assert (latest.review_state, latest.history_user, latest.history_change_reason) == (
        ReviewState.APPROVED,
        secretariat_user,
        "Review: approved",
    )
    action_entry = Action.history.filter(id=pending_update.action_id).latest()
    assert (action_entry.percent_complete, action_entry.history_user) == (40, secretariat_user)


def test_focal_point_deactivation_recorded(client_for, secretariat_user, focal_sv):
    from countries.models import FocalPoint

    focal_point = FocalPoint.objects.get(user=focal_sv)
    client_for(secretariat_user).post(
        reverse("admin:countries_focalpoint_changelist"),
        {"action": "deactivate_selected", "index": "0", helpers.ACTION_CHECKBOX_NAME: [focal_point.pk]},
    )
    latest = FocalPoint.history.filter(id=focal_point.pk).latest()
    assert (latest.is_active, latest.history_user) == (False, secretariat_user)


def test_history_is_read_not_restored(client_for, secretariat_user, pending_update):
    from roadmaps.services import progress_update_approve

    submitted_version = ProgressUpdate.history.filter(id=pending_update.pk).latest()
    progress_update_approve(update=pending_update, reviewer=secretariat_user)
    url = reverse(
        "admin:roadmaps_progressupdate_simple_history",
        args=[pending_update.pk, submitted_version.history_id],
    )
    client = client_for(secretariat_user)
    assert client.get(url).status_code == 200
    response = client.post(url, {"narrative": "Reverted", "status": "on_track", "percent_complete": "40"})
    assert response.status_code == 403
    pending_update.refresh_from_db()
    assert pending_update.review_state == ReviewState.APPROVED
