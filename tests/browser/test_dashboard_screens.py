"""The dashboard in Debian's Chromium: screenshots in English and Spanish at 1280 and 360 px, the
country × objective matrix present and readable, and no sideways page scroll on a phone."""

import pytest
from playwright.sync_api import expect

from countries.models import Country
from tests.regional.seed import seed_region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 360}
HEADINGS = {"en": "Countries and objectives", "es": "Países y objetivos"}


@pytest.fixture
def region_data(transactional_db):
    return seed_region()


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("width_name", ["desktop", "phone"])
def test_dashboard_screenshot_and_matrix(browser, live_server, region_data, screenshot_dir, language, width_name):
    width = WIDTHS[width_name]
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 600)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server.url}/{language}/")
        expect(page.get_by_role("heading", name=HEADINGS[language])).to_be_visible()

        matrix = page.locator("table.matrix")
        expect(matrix).to_be_visible()
        # 23 objective columns and one row per country with actions; names readable (not clipped to nothing).
        assert matrix.locator("thead th").count() == 24
        assert matrix.locator("tbody tr").count() == Country.objects.filter(actions__isnull=False).distinct().count()
        country_cell = matrix.locator("tbody th").first
        box = country_cell.bounding_box()
        assert box["width"] >= 60 and box["height"] >= 16
        font_size = page.evaluate(
            "() => parseFloat(getComputedStyle(document.querySelector('.matrix__count')).fontSize)"
        )
        assert font_size >= 11

        sizes = page.evaluate(
            """() => {
                const wrap = document.querySelector('.matrix-wrap');
                return {page: document.documentElement.scrollWidth, wrap: wrap.clientWidth, inner: wrap.scrollWidth};
            }"""
        )
        assert sizes["page"] <= width
        if width_name == "phone":
            assert sizes["wrap"] <= width
            assert sizes["inner"] > sizes["wrap"]  # the matrix scrolls inside its own box

        path = screenshot_dir / f"dashboard-{language}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_other_regional_pages_do_not_scroll_sideways_on_a_phone(browser, live_server, region_data, language):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    widths = {}
    try:
        for path in ("/roadmaps/", "/roadmaps/roadmap-1/", "/review/", "/collaboration/?min_score=0", "/countries/SV/"):
            page.goto(f"{live_server.url}/{language}{path}")
            widths[path] = page.evaluate("() => document.documentElement.scrollWidth")
    finally:
        context.close()

    assert widths == dict.fromkeys(widths, 360)


def test_review_report_prints_without_filters_or_navigation(page, live_server, region_data, screenshot_dir):
    page.goto(f"{live_server.url}/en/review/")
    expect(page.locator("form.filters")).to_be_visible()

    page.emulate_media(media="print")

    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.locator(".downloads")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("table.report-table").first).to_be_visible()
    pdf = screenshot_dir / "review-report.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.read_bytes()[:4] == b"%PDF"
