"""The secretariat's review queue in Chromium, in English and in Spanish: each pending update shows the
country's current → proposed values, one is approved and one returned from its row, and a correction
is entered on the country's behalf."""

import pytest
from playwright.sync_api import expect

from roadmaps.models import ActionStatus, ProgressUpdate, ReviewState
from tests.factories import ActionFactory, ProgressUpdateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"approve": "Approve", "return": "Return", "correct": "Correct", "enter": "Enter the update"},
    "es": {"approve": "Aprobar", "return": "Devolver", "correct": "Corregir", "enter": "Registrar el informe"},
}


@pytest.mark.parametrize(("language", "locale"), [("en", "en-US"), ("es", "es-ES")])
def test_decide_from_the_queue(browser, live_server, secretariat_user, el_salvador, focal_sv, language, locale):
    words = WORDS[language]
    first, second, third = (
        ProgressUpdateFactory(
            action=ActionFactory(
                code=code, countries=[el_salvador], status=ActionStatus.NOT_STARTED, percent_complete=0
            ),
            country=el_salvador,
            author=focal_sv,
            status=ActionStatus.ON_TRACK,
            percent_complete=percent,
        )
        for code, percent in (("Q1", 30), ("Q2", 50), ("Q3", 70))
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server.url}/admin/login/?next=/admin/roadmaps/progressupdate/queue/")
        page.fill("#id_username", secretariat_user.username)
        page.fill("#id_password", "pass-1234-word")
        with page.expect_navigation():
            page.click("input[type=submit]")
        expect(page.locator("html")).to_have_attribute("lang", language)
        row = page.locator(f"tr[data-update='{first.pk}']")
        expect(row.locator("[data-field=country]")).to_contain_text("→")
        expect(row.locator("[data-field=country] strong")).to_contain_text("30 %")

        # The queue fits the 1280 px screen: no horizontal scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280

        with page.expect_navigation():
            row.get_by_role("button", name=words["approve"], exact=True).click()
        expect(page.locator(f"tr[data-update='{first.pk}']")).to_have_count(0)

        row = page.locator(f"tr[data-update='{second.pk}']")
        row.locator("textarea").fill("¿Qué trimestre?")
        with page.expect_navigation():
            row.get_by_role("button", name=words["return"], exact=True).click()
        expect(page.locator(f"tr[data-update='{second.pk}']")).to_have_count(0)

        with page.expect_navigation():
            page.locator(f"tr[data-update='{third.pk}']").get_by_role("link", name=words["correct"]).click()
        page.fill("input[name=percent_complete]", "75")
        page.fill("input[name=source]", "e-mail")
        with page.expect_navigation():
            page.get_by_role("button", name=words["enter"]).click()
        corrected = ProgressUpdate.objects.get(on_behalf=True)
        expect(page.locator(f"tr[data-update='{corrected.pk}']")).to_contain_text("75 %")
        expect(page.locator(f"tr[data-update='{third.pk}']")).to_have_count(0)
    finally:
        context.close()

    states = {u.pk: ProgressUpdate.objects.get(pk=u.pk) for u in (first, second, third)}
    assert states[first.pk].review_state == ReviewState.APPROVED
    assert (states[second.pk].review_state, states[second.pk].review_comment) == (
        ReviewState.RETURNED,
        "¿Qué trimestre?",
    )
    assert states[third.pk].review_state == ReviewState.RETURNED
    assert (corrected.percent_complete, corrected.author) == (75, secretariat_user)
