"""An action's admin page shows its latest progress updates, not every one, and links to the full
list (issue 22: no page grows with the data); saving the page still works with the bounded inline."""

import datetime

import pytest

from roadmaps.admin.action import LATEST_UPDATES_SHOWN
from roadmaps.models import ProgressUpdate
from tests.admin.conftest import change_form_data
from tests.factories import ActionFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_action(el_salvador, focal_sv):
    action = ActionFactory(code="A1", countries=[el_salvador], title_en="Busy action")
    start = datetime.date(2024, 1, 1)
    for day in range(LATEST_UPDATES_SHOWN + 5):
        ProgressUpdateFactory(
            action=action,
            country=el_salvador,
            author=focal_sv,
            reporting_date=start + datetime.timedelta(days=day),
            narrative=f"report {day}",
        )
    other = ActionFactory(code="B1", countries=[el_salvador])  # its updates stay out of A1's list
    ProgressUpdateFactory(action=other, country=el_salvador, author=focal_sv)
    return action


def test_the_action_page_shows_the_latest_updates_and_links_to_all(client_for, secretariat_user, busy_action):
    client = client_for(secretariat_user)

    page = client.get(f"/admin/roadmaps/action/{busy_action.pk}/change/")
    shown = next(i for i in page.context["inline_admin_formsets"] if i.formset.model is ProgressUpdate)
    listed = client.get(f"/admin/roadmaps/progressupdate/?action__id__exact={busy_action.pk}")

    newest = sorted(busy_action.progress_updates.all(), key=lambda u: u.reporting_date, reverse=True)
    assert [form.instance.pk for form in shown.formset.forms] == [u.pk for u in newest[:LATEST_UPDATES_SHOWN]]
    body = page.content.decode()
    assert f"All {LATEST_UPDATES_SHOWN + 5}, in the list of progress updates" in body
    assert f"?action__id__exact={busy_action.pk}" in body
    assert listed.status_code == 200
    assert listed.context["cl"].result_count == LATEST_UPDATES_SHOWN + 5


def test_saving_the_action_page_keeps_working_with_the_bounded_list(client_for, secretariat_user, busy_action):
    client = client_for(secretariat_user)
    page = client.get(f"/admin/roadmaps/action/{busy_action.pk}/change/")
    data = change_form_data(page)
    data["title_en"] = "Busy action, renamed"

    response = client.post(f"/admin/roadmaps/action/{busy_action.pk}/change/", data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    busy_action.refresh_from_db()
    assert busy_action.title_en == "Busy action, renamed"
    assert busy_action.progress_updates.count() == LATEST_UPDATES_SHOWN + 5
