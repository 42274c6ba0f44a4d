"""The secretariat's admin lists fit a 1280 px screen in both languages (issue 20: the progress-update
list was 1606 px wide in a 930 px box, the actions list cut the status to "Com")."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-1234"
LISTS = ["/admin/roadmaps/progressupdate/", "/admin/roadmaps/action/", "/admin/roadmaps/roadmap/"]
LISTS += ["/admin/roadmaps/progressupdate/queue/"]


@pytest.mark.parametrize(("language", "locale"), [("en", "en-US"), ("es", "es-ES")])
def test_admin_lists_fit_1280(browser, live_server, settings, language, locale):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("seed_demo", password=PASSWORD, stdout=None)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "secretariat")
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("input[type=submit]")
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for path in LISTS:
            page.goto(live_server.url + path)
            sizes = page.evaluate(
                """() => {
                  const table = document.querySelector('#result_list, #review-queue');
                  const box = table.closest('.results') || table.parentElement;
                  return {page: document.documentElement.scrollWidth, table: table.scrollWidth, box: box.clientWidth};
                }"""
            )
            assert sizes["page"] <= 1280, (path, sizes)
            assert sizes["table"] <= sizes["box"] + 1, (path, sizes)
    finally:
        context.close()
