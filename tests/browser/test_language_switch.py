"""The language switch in Chromium: whatever the browser's language, each click lands on the same page
in the other language, on the public pages and in the admin, before and after signing in."""

import pytest
from playwright.sync_api import expect

from accounts.models import Profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _browser_page(browser, locale):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def _switch(page, label):
    with page.expect_navigation():
        page.locator("form.language-switch button", has_text=label).click()


@pytest.mark.parametrize(
    ("locale", "start", "there", "back"), [("es-ES", "en", "Español", "English"), ("en-US", "es", "English", "Español")]
)
def test_switch_both_ways_whatever_the_browser_language(browser, live_server, locale, start, there, back):
    other = "es" if start == "en" else "en"
    context, page = _browser_page(browser, locale)
    try:
        page.goto(f"{live_server.url}/{start}/roadmaps/?q=x")
        _switch(page, there)
        assert page.url == f"{live_server.url}/{other}/roadmaps/?q=x"
        expect(page.locator("html")).to_have_attribute("lang", other)
        _switch(page, back)
        assert page.url == f"{live_server.url}/{start}/roadmaps/?q=x"
        expect(page.locator("html")).to_have_attribute("lang", start)
    finally:
        context.close()


def test_switch_after_sign_in_and_in_the_admin(browser, live_server, secretariat_user):
    # The secretariat's profile says English; the browser and the sign-in page are Spanish.
    Profile.objects.create(user=secretariat_user, preferred_language="en")
    context, page = _browser_page(browser, "es-ES")
    try:
        page.goto(f"{live_server.url}/es/accounts/login/")
        page.fill("input[name=username]", secretariat_user.username)
        page.fill("input[name=password]", "pass-1234-word")
        with page.expect_navigation():
            page.click("form.card button[type=submit]")
        assert page.url == f"{live_server.url}/admin/"
        expect(page.locator("html")).to_have_attribute("lang", "en")

        _switch(page, "Español")
        assert page.url == f"{live_server.url}/admin/"
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.locator("#site-name")).to_contain_text("Secretaría")

        page.goto(f"{live_server.url}/admin/roadmaps/action/")
        _switch(page, "English")
        assert page.url == f"{live_server.url}/admin/roadmaps/action/"
        expect(page.locator("html")).to_have_attribute("lang", "en")

        page.goto(f"{live_server.url}/es/review/")
        _switch(page, "English")
        assert page.url == f"{live_server.url}/en/review/"
        _switch(page, "Español")
        assert page.url == f"{live_server.url}/es/review/"
        expect(page.locator("html")).to_have_attribute("lang", "es")
    finally:
        context.close()
