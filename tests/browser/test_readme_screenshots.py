"""The README's screenshots: the dashboard, a roadmap, the review report, /my/ and the admin review queue,
at 360 and 1280 px, in English and Spanish, on the demo data.

Always runs (a browser test never skips in CI): the images go to a temporary folder and are checked to be
PNGs of the screen's width. With GCM_WRITE_SCREENSHOTS=1 they are written into docs/screenshots/ instead:
`GCM_WRITE_SCREENSHOTS=1 .venv/bin/pytest tests/browser/test_readme_screenshots.py`."""

import os
import struct
from pathlib import Path

import pytest
from django.core.management import call_command

from roadmaps.models import Roadmap, RoadmapStatus, Visibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "demo-pass-1234"
HEIGHTS = {360: 780, 1280: 900}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; fails on anything that is not a PNG."""
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_SIGNATURE and head[12:16] == b"IHDR", f"{path.name} is not a PNG"
    return struct.unpack(">II", head[16:24])


def _signed_in(browser, live_server, width, language, username):
    context = browser.new_context(
        viewport={"width": width, "height": HEIGHTS[width]},
        is_mobile=width < 600,
        locale="es-ES" if language == "es" else "en-US",
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form.card button[type=submit]")
    # The admin has no language prefix: the language cookie decides, as the switch would set it.
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    return context, page


def test_readme_screenshots(browser, live_server, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = DOCS if os.environ.get("GCM_WRITE_SCREENSHOTS") == "1" else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    call_command("seed_demo", password=PASSWORD, stdout=None)
    slug = Roadmap.objects.filter(visibility=Visibility.PUBLIC).exclude(status=RoadmapStatus.DRAFT).first().slug
    shots = {
        "focal-sv": {"dashboard": "/{lang}/", "roadmap": f"/{{lang}}/roadmaps/{slug}/", "review": "/{lang}/review/"}
        | {"my": "/{lang}/my/"},
        "secretariat": {"admin-review-queue": "/admin/roadmaps/progressupdate/queue/"},
    }
    written = []
    for width in HEIGHTS:
        for language in ("en", "es"):
            for username, pages in shots.items():
                context, page = _signed_in(browser, live_server, width, language, username)
                try:
                    for name, path in pages.items():
                        response = page.goto(live_server.url + path.format(lang=language))
                        assert response.status == 200, f"{name} in {language}: {response.status}"
                        assert page.locator("html").get_attribute("lang") == language
                        target = out / f"{name}-{language}-{width}.png"
                        page.screenshot(path=str(target))
                        written.append((target, width))
                finally:
                    context.close()
    assert len(written) == 2 * 2 * 5
    for target, width in written:
        assert target.stat().st_size > 10_000, f"{target.name} is almost empty"
        assert png_size(target)[0] == width, f"{target.name} is not {width} px wide"
