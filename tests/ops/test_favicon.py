"""Browsers ask every page for /favicon.ico: it is served (an icon, cached), never a 404."""

from django.test import Client


def test_favicon_is_served_at_the_root():
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00"  # the ICO file signature
    assert "max-age" in response["Cache-Control"]
