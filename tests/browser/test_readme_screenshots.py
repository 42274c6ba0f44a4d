"""The README's screenshots (docs/screenshots/): the dashboard, a roadmap, the review report and /my/,
at 360 and 1280 px, in English and Spanish, on the demo data. Written only when asked:
`GCM_WRITE_SCREENSHOTS=1 .venv/bin/pytest tests/browser/test_readme_screenshots.py`."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from roadmaps.models import Roadmap, RoadmapStatus, Visibility

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("GCM_WRITE_SCREENSHOTS"), reason="writes docs/screenshots/ when asked"),
]

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "demo-pass-1234"
HEIGHTS = {360: 780, 1280: 900}


def test_write_readme_screenshots(browser, live_server, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("seed_demo", password=PASSWORD, stdout=None)
    slug = Roadmap.objects.filter(visibility=Visibility.PUBLIC).exclude(status=RoadmapStatus.DRAFT).first().slug
    pages = {"dashboard": "/", "roadmap": f"/roadmaps/{slug}/", "review": "/review/", "my": "/my/"}
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    for width, height in HEIGHTS.items():
        for language in ("en", "es"):
            context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 600)
            page = context.new_page()
            page.set_default_timeout(15000)
            page.goto(f"{live_server.url}/{language}/accounts/login/")
            page.fill("input[name=username]", "focal-sv")
            page.fill("input[name=password]", PASSWORD)
            with page.expect_navigation():
                page.click("form.card button[type=submit]")
            for name, path in pages.items():
                page.goto(f"{live_server.url}/{language}{path}")
                target = OUT / f"{name}-{language}-{width}.png"
                page.screenshot(path=str(target))
                written.append(target)
            context.close()
    assert all(path.stat().st_size > 10_000 for path in written)
