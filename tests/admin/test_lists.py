"""Lists: filters (overdue), export of the filtered list, actions inline under their roadmap."""

import csv
import datetime
import io

from django.contrib.admin import helpers
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from roadmaps.models import Action, ActionStatus
from tests.admin.conftest import change_form_data
from tests.factories import ActionFactory, ObjectiveFactory, RoadmapFactory

ACTIONS = "admin:roadmaps_action_changelist"


def make_actions(country):
    past = timezone.localdate() - datetime.timedelta(days=10)
    return {
        "late": ActionFactory(code="L1", countries=[country], due_date=past, status=ActionStatus.ON_TRACK),
        "done": ActionFactory(
            code="D1", countries=[country], due_date=past, status=ActionStatus.COMPLETED, percent_complete=100
        ),
        "future": ActionFactory(code="F1", countries=[country]),
    }


def test_overdue_filter(client_for, secretariat_user, el_salvador):
    actions = make_actions(el_salvador)
    client = client_for(secretariat_user)
    response = client.get(reverse(ACTIONS), {"overdue": "yes"})
    assert [a.code for a in response.context["cl"].result_list] == ["L1"]
    assert response.context["cl"].result_list[0].overdue_flag is True
    response = client.get(reverse(ACTIONS), {"overdue": "no"})
    assert sorted(a.code for a in response.context["cl"].result_list) == ["D1", "F1"]
    roadmaps = client.get(reverse("admin:roadmaps_roadmap_changelist"), {"overdue": "yes"})
    assert list(roadmaps.context["cl"].result_list) == [actions["late"].roadmap]


def test_export_csv_honours_filters(client_for, secretariat_user, el_salvador):
    make_actions(el_salvador)
    response = client_for(secretariat_user).get(
        reverse("admin:roadmaps_action_export", args=["csv"]), {"overdue": "yes"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="action-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Roadmap",
        "Code",
        "Title (English)",
        "Title (Spanish)",
        "Countries",
        "GCM objectives",
        "Start date",
        "Due date",
        "Status",
        "Percent complete",
        "Overdue",
        "Indicator",
        "Baseline",
        "Target",
        "Updated at",
    ]
    assert len(rows) == 2
    late = dict(zip(rows[0], rows[1], strict=True))
    assert (late["Code"], late["Countries"], late["Status"], late["Percent complete"]) == ("L1", "SV", "On track", "0")
    assert (late["Overdue"], late["Due date"]) == ("Yes", str(timezone.localdate() - datetime.timedelta(days=10)))


def test_export_xlsx_in_spanish(client_for, secretariat_user, el_salvador):
    make_actions(el_salvador)
    response = client_for(secretariat_user).get(
        reverse("admin:roadmaps_action_export", args=["xlsx"]), {"status": "completed"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][1] == "Código"
    assert [row[1] for row in rows[1:]] == ["D1"]
    assert rows[1][8] == "Completada"
    assert rows[1][9] == 100


def test_export_selected_action(client_for, secretariat_user, el_salvador):
    actions = make_actions(el_salvador)
    response = client_for(secretariat_user).post(
        reverse(ACTIONS),
        {"action": "export_selected_csv", "index": "0", helpers.ACTION_CHECKBOX_NAME: [actions["future"].pk]},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["F1"]


def test_export_neutralises_formulas(client_for, secretariat_user, el_salvador):
    ActionFactory(code="X1", title_en='=HYPERLINK("http://evil")', countries=[el_salvador])
    response = client_for(secretariat_user).get(reverse("admin:roadmaps_action_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][2] == '\'=HYPERLINK("http://evil")'


def test_export_refused_to_staff_outside_group(client_for, staff_outsider):
    assert client_for(staff_outsider).get(reverse("admin:roadmaps_action_export", args=["csv"])).status_code == 403


def test_export_buttons_carry_filters(client_for, secretariat_user):
    response = client_for(secretariat_user).get(reverse(ACTIONS), {"status": "delayed"})
    assert f'href="{reverse("admin:roadmaps_action_export", args=["csv"])}?status=delayed"' in response.text
    assert f'href="{reverse("admin:roadmaps_roadmap_import")}"' in response.text


def test_action_list_queries_do_not_grow(client_for, secretariat_user, el_salvador, django_assert_max_num_queries):
    client = client_for(secretariat_user)
    ActionFactory(countries=[el_salvador], objectives=[ObjectiveFactory(number=3)])
    with django_assert_max_num_queries(25) as few:
        client.get(reverse(ACTIONS))
    for _ in range(12):
        ActionFactory(countries=[el_salvador], objectives=[ObjectiveFactory(number=3)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(ACTIONS))
    assert len(response.context["cl"].result_list) == 13


def test_actions_edited_inline_under_roadmap(client_for, secretariat_user, el_salvador):
    roadmap = RoadmapFactory(lead_country=el_salvador, objectives=[ObjectiveFactory(number=5)])
    action = ActionFactory(roadmap=roadmap, code="A1", countries=[el_salvador])
    client = client_for(secretariat_user)
    url = reverse("admin:roadmaps_roadmap_change", args=[roadmap.pk])
    page = client.get(url)
    assert 'name="actions-0-code"' in page.text
    data = change_form_data(page)
    data["actions-0-percent_complete"] = "20"
    data.update(
        {
            "actions-TOTAL_FORMS": "2",
            "actions-1-code": "A2",
            "actions-1-title_en": "New step",
            "actions-1-title_es": "Nuevo paso",
            "actions-1-countries": [str(el_salvador.pk)],
            "actions-1-status": "not_started",
            "actions-1-percent_complete": "0",
            "actions-1-roadmap": str(roadmap.pk),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.percent_complete, action.version) == (20, 2)
    new = Action.objects.get(roadmap=roadmap, code="A2")
    # No objectives of its own (never copied): it serves its roadmap's.
    assert list(new.objectives.all()) == []
    assert new in Action.objects.serving_objective(roadmap.objectives.get().pk)


def test_action_page_lists_updates_read_only(client_for, secretariat_user, pending_update):
    response = client_for(secretariat_user).get(
        reverse("admin:roadmaps_action_change", args=[pending_update.action_id])
    )
    inlines = {i.formset.model.__name__: i for i in response.context["inline_admin_formsets"]}
    inline = inlines["ProgressUpdate"]
    assert inline.has_change_permission is False
    assert inline.has_add_permission is False
    assert len(inline.formset.forms) == 1
    # Each responsible country's own state is shown beside them, read-only.
    states = inlines["CountryProgress"]
    assert states.has_add_permission is False
    assert len(states.formset.forms) == pending_update.action.countries.count()


def test_update_export_carries_the_report_and_review(client_for, secretariat_user, pending_update):
    from roadmaps.services import progress_update_return

    progress_update_return(update=pending_update, reviewer=secretariat_user, comment="Needs figures")
    response = client_for(secretariat_user).get(
        reverse("admin:roadmaps_progressupdate_export", args=["csv"]), {"review_state": "returned"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert len(rows) == 2
    assert (record["Narrative"], record["Review state"], record["Review comment"], record["Reviewer"]) == (
        "Work is under way.",
        "Returned",
        "Needs figures",
        secretariat_user.username,
    )


def test_roadmap_list_queries_do_not_grow(client_for, secretariat_user, el_salvador, django_assert_max_num_queries):
    client = client_for(secretariat_user)
    ActionFactory(roadmap=RoadmapFactory(objectives=[ObjectiveFactory(number=7)]), countries=[el_salvador])
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("admin:roadmaps_roadmap_changelist"))
    for _ in range(10):
        ActionFactory(roadmap=RoadmapFactory(objectives=[ObjectiveFactory(number=7)]), countries=[el_salvador])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("admin:roadmaps_roadmap_changelist"))
    assert len(response.context["cl"].result_list) == 11
    assert response.context["cl"].result_list[0].action_total == 1


def test_user_autocomplete_for_focal_points(client_for, secretariat_user, focal_sv):
    response = client_for(secretariat_user).get(
        "/admin/autocomplete/",
        {"app_label": "countries", "model_name": "focalpoint", "field_name": "user", "term": "focal-sv"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["focal-sv-test"]
