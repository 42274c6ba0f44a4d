"""The smaller findings of issue 19: the language cookie, the admin's sign-in with a bad `next`."""

import os
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db


def test_the_language_cookie_is_samesite_lax(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/es/"})
    cookie = response.cookies["django_language"]
    assert cookie.value == "es"
    assert cookie["samesite"] == "Lax"


def test_the_language_cookie_is_secure_in_production():
    env = {**os.environ, "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "example.org", "DATABASE_URL": "postgresql://x@h/db"}
    code = "import config.settings.production as p; print(p.LANGUAGE_COOKIE_SECURE, p.LANGUAGE_COOKIE_SAMESITE)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True Lax"


@pytest.mark.parametrize("bad_next", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_an_admin_sign_in_with_an_invalid_next_lands_in_the_admin(client, secretariat_user, bad_next):
    secretariat_user.set_password("pw-for-the-test")
    secretariat_user.save()
    response = client.post(
        f"/admin/login/?next={bad_next}",
        {"username": secretariat_user.username, "password": "pw-for-the-test", "next": bad_next},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_the_admin_history_page_has_no_inline_style(client_for, secretariat_user):
    from django.urls import reverse

    from tests.factories import RoadmapFactory

    roadmap = RoadmapFactory()
    response = client_for(secretariat_user).get(reverse("admin:roadmaps_roadmap_history", args=[roadmap.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'class="paginator"' in text
    assert "style=" not in text
    assert "<style" not in text
    # Nor an inline script or handler: the CSP allows only the app's own files.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", text) == []
    assert re.findall(r"\son[a-z]+=", text) == []
