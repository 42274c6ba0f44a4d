"""The secretariat approves a pending update from the admin list and sees the action move."""

import pytest

from roadmaps.models import ActionStatus, ReviewState
from tests.factories import ActionFactory, ProgressUpdateFactory


@pytest.mark.browser
def test_secretariat_approves_from_changelist(
    transactional_db, live_server, page, secretariat_user, el_salvador, focal_sv
):
    action = ActionFactory(code="B7", countries=[el_salvador], status=ActionStatus.NOT_STARTED, percent_complete=0)
    update = ProgressUpdateFactory(
        action=action, country=el_salvador, author=focal_sv, status=ActionStatus.AT_RISK, percent_complete=65
    )

    page.goto(f"{live_server.url}/admin/login/?next=/admin/roadmaps/progressupdate/")
    page.fill("#id_username", secretariat_user.username)
    page.fill("#id_password", "pass-1234-word")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/roadmaps/progressupdate/")

    page.check(f"input[name=_selected_action][value='{update.pk}']")
    page.select_option("select[name=action]", "approve_selected")
    page.click("button[name=index]")
    page.wait_for_load_state("networkidle")
    assert "1 update approved." in page.locator("ul.messagelist").inner_text()

    page.goto(f"{live_server.url}/admin/roadmaps/action/{action.pk}/change/")
    assert page.input_value("#id_percent_complete") == "65"
    assert page.input_value("#id_status") == ActionStatus.AT_RISK
    update.refresh_from_db()
    assert update.review_state == ReviewState.APPROVED
