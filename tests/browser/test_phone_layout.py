"""Every main page at 360 px, in both languages, on the demo data (real titles, real Spanish words):
nothing reaches past the screen's edge, and no table cell splits a word across two lines."""

import json

import pytest
from django.core.management import call_command

from countries.models import Country
from practices.models import GoodPractice, PracticeStatus
from roadmaps.models import Action, Roadmap, RoadmapStatus, Visibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-1234"
WIDTH = 360

# Every element box that reaches past the viewport (outside a box that scrolls on its own, such as
# the country × objective matrix), and every word of a table cell drawn on more than one line. A word
# is split at spaces, hyphens and slashes: a line may end there.
MEASURE = """(width) => {
    const inScroller = (el) => el.closest('.matrix-wrap');
    // Inside a 1 px clipped box: visually hidden, there for screen readers (a stacked table's header).
    const clipped = (el) => {
        for (let a = el; a; a = a.parentElement) {
            if (a.getBoundingClientRect().width <= 1 && getComputedStyle(a).overflow === 'hidden') return true;
        }
        return false;
    };
    const overflowing = [];
    for (const el of document.querySelectorAll('body *')) {
        if (inScroller(el) || el.closest('.skip-link')) continue;
        const box = el.getBoundingClientRect();
        if (box.width <= 1 || box.height <= 1 || clipped(el)) continue;
        if (box.right > width + 0.5 || box.left < -0.5) {
            const text = (el.innerText || '').slice(0, 40);
            overflowing.push(`${el.tagName}.${el.className}: ${Math.round(box.left)}–${Math.round(box.right)} ${text}`);
        }
    }
    const broken = [];
    const cells = document.querySelectorAll('table td, table th');
    for (const cell of cells) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const match of node.textContent.matchAll(/[^\\s\\-\\u2010-\\u2014\\/]+/g)) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const rects = [...range.getClientRects()].filter((r) => r.width > 0);
                const tops = new Set(rects.map((r) => Math.round(r.top)));
                if (tops.size > 1) broken.push(match[0]);
            }
        }
    }
    return {scrollWidth: document.documentElement.scrollWidth, overflowing: overflowing.slice(0, 10), broken};
}"""


@pytest.fixture
def demo(transactional_db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("seed_demo", password=PASSWORD, stdout=None)
    call_command("seed_demo_practices", stdout=None)
    roadmap = Roadmap.objects.filter(visibility=Visibility.PUBLIC).exclude(status=RoadmapStatus.DRAFT).first()
    sv_action = Action.objects.filter(countries=Country.objects.get(code="SV")).order_by("pk").first()
    practice = GoodPractice.objects.filter(status=PracticeStatus.PUBLISHED).order_by("pk").first()
    public = [
        "/",
        "/roadmaps/",
        f"/roadmaps/{roadmap.slug}/",
        "/roadmaps/?q=migration",
        "/objectives/5/",
        "/countries/SV/",
        "/countries/GT/",
        f"/actions/{roadmap.actions.order_by('pk').first().pk}/",
        "/review/",
        "/collaboration/",
        "/practices/",
        f"/practices/{practice.pk}/",
        "/accounts/login/",
    ]
    focal = ["/my/", f"/actions/{sv_action.pk}/report/", "/my/upload/", "/practices/mine/", "/accounts/profile/"]
    return public, focal


def _measure_all(browser, live_server, language, paths, sign_in_as=None):
    context = browser.new_context(viewport={"width": WIDTH, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    results = {}
    try:
        if sign_in_as:
            page.goto(f"{live_server.url}/{language}/accounts/login/")
            page.fill("input[name=username]", sign_in_as)
            page.fill("input[name=password]", PASSWORD)
            with page.expect_navigation():
                page.click("form.card button[type=submit]")
        for path in paths:
            page.goto(f"{live_server.url}/{language}{path}")
            results[path] = page.evaluate(MEASURE, WIDTH)
    finally:
        context.close()
    return results


def _problems(results):
    return {
        path: result
        for path, result in results.items()
        if result["scrollWidth"] > WIDTH or result["overflowing"] or result["broken"]
    }


@pytest.mark.parametrize("language", ["en", "es"])
def test_public_pages_fit_a_phone_without_splitting_words(browser, live_server, demo, language):
    public, _ = demo
    results = _measure_all(browser, live_server, language, public)
    assert len(results) == len(public)
    problems = _problems(results)
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("language", ["en", "es"])
def test_focal_point_pages_fit_a_phone_without_splitting_words(browser, live_server, demo, language):
    _, focal = demo
    results = _measure_all(browser, live_server, language, focal, sign_in_as="focal-sv")
    assert len(results) == len(focal)
    problems = _problems(results)
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)
