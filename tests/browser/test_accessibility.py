"""axe-core finds no serious or critical violation on the public pages and the focal point's pages,
in English and in Spanish."""

import pytest

from roadmaps.models import Action
from tests.browser.axe import describe, install_axe, serious_violations
from tests.browser.conftest import sign_in
from tests.factories import FocalPointFactory, UserFactory
from tests.regional.seed import seed_region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-1234-word"


@pytest.fixture
def region_data(transactional_db):
    return seed_region(actions_per_roadmap=4)


def _check(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    violations = serious_violations(page)
    assert violations == [], f"{url}\n{describe(violations)}"


@pytest.mark.parametrize("language", ["en", "es"])
def test_public_pages_have_no_serious_violation(browser, live_server, region_data, language):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    install_axe(page)
    action = Action.objects.order_by("id").first()
    try:
        for path in (
            "/",
            "/roadmaps/",
            "/roadmaps/roadmap-1/",
            "/review/",
            "/collaboration/",
            "/objectives/1/",
            f"/countries/{region_data['countries'][0].code}/",
            f"/actions/{action.pk}/",
        ):
            _check(page, f"{live_server.url}/{language}{path}")
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_dashboard_on_a_phone_has_no_serious_violation(browser, live_server, region_data, language):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    install_axe(page)
    try:
        _check(page, f"{live_server.url}/{language}/")
        _check(page, f"{live_server.url}/{language}/review/")
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_focal_point_pages_have_no_serious_violation(browser, live_server, region_data, language):
    country = region_data["countries"][0]
    FocalPointFactory(user=UserFactory(username="focal-axe"), country=country)
    action = Action.objects.filter(countries=country).order_by("id").first()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    install_axe(page)
    try:
        sign_in(page, live_server, "focal-axe", PASSWORD, language=language)
        _check(page, f"{live_server.url}/{language}/my/")
        _check(page, f"{live_server.url}/{language}/actions/{action.pk}/report/")
    finally:
        context.close()
