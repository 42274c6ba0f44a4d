"""The interactive API documentation loads in a real browser, offline and under the strict CSP."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_every_endpoint_without_csp_violations(live_server, page):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    outside = []
    page.on("request", lambda request: outside.append(request.url) if live_server.url not in request.url else None)

    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=20000)
    paths = set(page.locator(".opblock-summary-path").all_inner_texts())

    assert {"/api/v1/actions/", "/api/v1/actions/{id}/progress-updates/", "/api/v1/stats/objectives/"} <= {
        p.replace("\u200b", "") for p in paths
    }
    assert page.locator(".info .title").inner_text().startswith("GCM Roadmap Tracker API")
    assert outside == []  # nothing fetched from another host (no CDN)
    assert [p for p in problems if "Content Security Policy" in p or "failed" in p] == []
