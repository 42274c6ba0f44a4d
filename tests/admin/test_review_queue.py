"""The review queue: pending updates with what approval changes, decided from the row; reports are
read-only for the reviewer; a correction entered on the country's behalf is recorded as such."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from roadmaps.models import Action, ActionStatus, ProgressUpdate, ReviewState
from roadmaps.services import progress_update_approve
from tests.admin.conftest import change_form_data
from tests.factories import ActionFactory, ProgressUpdateFactory

QUEUE = "admin:roadmaps_progressupdate_queue"
ON_BEHALF = "admin:roadmaps_progressupdate_on_behalf"


def review_url(update):
    return reverse("admin:roadmaps_progressupdate_review", args=[update.pk])


def on_behalf_url(action, replaces=None):
    url = f"{reverse(ON_BEHALF)}?action={action.pk}"
    return url + (f"&replaces={replaces.pk}" if replaces else "")


def test_queue_lists_pending_with_current_and_proposed(client_for, secretariat_user, pending_update, el_salvador):
    approved = ProgressUpdateFactory(action=ActionFactory(countries=[el_salvador]), country=el_salvador)
    progress_update_approve(update=approved, reviewer=secretariat_user)
    response = client_for(secretariat_user).get(reverse(QUEUE))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row["update"].pk for row in rows] == [pending_update.pk]
    html = response.text
    assert f'data-update="{approved.pk}"' not in html
    # El Salvador is at its baseline (not started, 0 %); the update proposes on track, 40 %.
    assert "Not started 0 % → <strong>On track 40 %</strong>" in html
    assert "Not started 0 % → On track 40 %" in html
    assert f'action="{review_url(pending_update)}"' in html
    assert 'name="decision" value="approve"' in html and 'name="decision" value="return"' in html
    assert "0 days" in html


def test_queue_queries_do_not_grow(client_for, secretariat_user, el_salvador, django_assert_max_num_queries):
    client = client_for(secretariat_user)
    ProgressUpdateFactory(action=ActionFactory(countries=[el_salvador]), country=el_salvador)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse(QUEUE))
    for _ in range(10):
        ProgressUpdateFactory(action=ActionFactory(countries=[el_salvador]), country=el_salvador)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(QUEUE))
    assert len(response.context["rows"]) == 11


def test_approve_from_the_queue_returns_to_it(client_for, secretariat_user, pending_update):
    response = client_for(secretariat_user).post(
        review_url(pending_update), {"decision": "approve", "comment": "", "next": "queue"}
    )
    assert response["Location"] == reverse(QUEUE)
    pending_update.refresh_from_db()
    assert pending_update.review_state == ReviewState.APPROVED
    assert Action.objects.get(pk=pending_update.action_id).percent_complete == 40


def test_return_from_the_queue_needs_a_comment(client_for, secretariat_user, pending_update):
    client = client_for(secretariat_user)
    refused = client.post(review_url(pending_update), {"decision": "return", "comment": " ", "next": "queue"})
    assert refused["Location"] == reverse(QUEUE)
    assert [str(m) for m in get_messages(refused.wsgi_request)] == [
        "Say why the update is returned: the focal point will read it."
    ]
    pending_update.refresh_from_db()
    assert pending_update.review_state == ReviewState.SUBMITTED
    client.post(review_url(pending_update), {"decision": "return", "comment": "Which quarter?", "next": "queue"})
    pending_update.refresh_from_db()
    assert (pending_update.review_state, pending_update.review_comment) == (ReviewState.RETURNED, "Which quarter?")


def test_submitted_report_is_read_only_for_the_reviewer(client_for, secretariat_user, pending_update):
    client = client_for(secretariat_user)
    page = client.get(reverse("admin:roadmaps_progressupdate_change", args=[pending_update.pk]))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert 'name="percent_complete"' not in page.text and 'name="narrative"' not in page.text
    assert "cannot be edited here" in page.text
    # Approving after trying to change the percent approves exactly what the country reported.
    data = change_form_data(page) if "adminform" in page.context else {}
    data.update({"percent_complete": "90", "narrative": "Rewritten"})
    assert (
        client.post(reverse("admin:roadmaps_progressupdate_change", args=[pending_update.pk]), data).status_code == 403
    )
    client.post(review_url(pending_update), {"decision": "approve", "comment": ""})
    pending_update.refresh_from_db()
    assert (pending_update.percent_complete, pending_update.narrative) == (40, "Work is under way.")


def test_evidence_warning_before_approval(client_for, secretariat_user, pending_update):
    ProgressUpdate.objects.filter(pk=pending_update.pk).update(evidence_url="https://example.org/minutes")
    client = client_for(secretariat_user)
    page = client.get(reverse("admin:roadmaps_progressupdate_change", args=[pending_update.pk]))
    assert "approving it makes the evidence visible to everyone who can see the action" in page.text
    queue = client.get(reverse(QUEUE))
    assert "approving makes it visible to everyone who can see the action" in queue.text


def test_secretariat_enters_an_update_on_a_countrys_behalf(client_for, secretariat_user, el_salvador):
    action = ActionFactory(countries=[el_salvador], status=ActionStatus.NOT_STARTED, percent_complete=0)
    client = client_for(secretariat_user)
    form = client.get(on_behalf_url(action))
    assert form.status_code == 200
    response = client.post(
        on_behalf_url(action),
        {
            "country": el_salvador.pk,
            "reporting_date": "2026-11-20",
            "status": ActionStatus.ON_TRACK,
            "percent_complete": "35",
            "narrative": "Reported by letter.",
            "source": "Letter of the ministry, 18 Nov",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse(QUEUE)
    update = ProgressUpdate.objects.get(action=action)
    assert (update.on_behalf, update.author, update.review_state) == (True, secretariat_user, ReviewState.SUBMITTED)
    assert update.reporting_date == datetime.date(2026, 11, 20)
    assert update.history.latest().history_change_reason == (
        "Entered on the country's behalf: Letter of the ministry, 18 Nov"
    )
    queue = client.get(reverse(QUEUE))
    assert "entered by the secretariat on the country's behalf" in queue.text


def test_correction_replaces_the_pending_update(client_for, secretariat_user, pending_update, el_salvador):
    client = client_for(secretariat_user)
    url = on_behalf_url(pending_update.action, replaces=pending_update)
    form = client.get(url)
    assert form.context["form"].initial["percent_complete"] == 40
    data = {
        "country": el_salvador.pk,
        "reporting_date": pending_update.reporting_date.isoformat(),
        "status": ActionStatus.ON_TRACK,
        "percent_complete": "45",
        "narrative": "Work is under way (45 %, per the phone call).",
        "source": "Phone call with the focal point",
    }
    assert client.post(url, data).status_code == 302
    pending_update.refresh_from_db()
    new = ProgressUpdate.objects.get(on_behalf=True)
    assert pending_update.review_state == ReviewState.RETURNED
    assert f"Replaced by update {new.pk}" in pending_update.review_comment
    assert [row["update"].pk for row in client.get(reverse(QUEUE)).context["rows"]] == [new.pk]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"percent_complete": "140"}, "percent_complete", "Ensure this value is less than or equal to 100."),
        ({"status": ActionStatus.COMPLETED, "percent_complete": "80"}, "percent_complete", "means 100 %"),
        ({"source": ""}, "source", "This field is required."),
    ],
)
def test_on_behalf_bad_input_named_at_the_field(client_for, secretariat_user, el_salvador, change, field, message):
    action = ActionFactory(countries=[el_salvador])
    data = {
        "country": el_salvador.pk,
        "reporting_date": "2026-11-20",
        "status": ActionStatus.ON_TRACK,
        "percent_complete": "35",
        "narrative": "x",
        "source": "e-mail",
    } | change
    response = client_for(secretariat_user).post(on_behalf_url(action), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ProgressUpdate.objects.filter(action=action).exists()


def test_on_behalf_country_must_be_responsible(client_for, secretariat_user, el_salvador, guatemala):
    action = ActionFactory(countries=[el_salvador])
    data = {
        "country": guatemala.pk,
        "reporting_date": "2026-11-20",
        "status": ActionStatus.ON_TRACK,
        "percent_complete": "35",
        "narrative": "x",
        "source": "e-mail",
    }
    response = client_for(secretariat_user).post(on_behalf_url(action), data)
    assert response.status_code == 200
    assert "country" in response.context["form"].errors
    assert not ProgressUpdate.objects.filter(action=action).exists()


def test_queue_and_on_behalf_refused_outside_the_secretariat(client_for, staff_outsider, focal_sv, pending_update):
    for user in (staff_outsider, focal_sv):
        client = client_for(user)
        assert client.get(reverse(QUEUE)).status_code in (302, 403)
        assert client.get(on_behalf_url(pending_update.action)).status_code in (302, 403)


def test_queue_in_spanish(client_for, secretariat_user, pending_update):
    response = client_for(secretariat_user).get(reverse(QUEUE), HTTP_ACCEPT_LANGUAGE="es")
    assert "Cola de revisión" in response.text
    assert "Aprobar" in response.text and "Devolver" in response.text


def test_update_list_keeps_its_exports_and_links_the_queue(client_for, secretariat_user, pending_update):
    page = client_for(secretariat_user).get(reverse("admin:roadmaps_progressupdate_changelist"))
    assert f'href="{reverse(QUEUE)}"' in page.text and "Review queue (1 pending)" in page.text
    assert "Export to CSV" in page.text and "Export to Excel" in page.text


def test_admin_excel_export_has_a_frozen_filterable_header(client_for, secretariat_user, pending_update):
    import io

    from openpyxl import load_workbook

    response = client_for(secretariat_user).get(reverse("admin:roadmaps_progressupdate_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert "Entered by the secretariat on the country's behalf" in [c.value for c in sheet[1]]
