import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_migrations(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True, "migrations": True}}


def test_healthz_is_unavailable_when_a_migration_is_missing(client):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, app, name FROM django_migrations WHERE app = 'roadmaps' ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
        cursor.execute("DELETE FROM django_migrations WHERE id = %s", [row[0]])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "migrations": False}


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/en/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failed_sign_ins_lock_the_user_out(client, focal_sv):
    url = reverse("accounts:login")
    for _attempt in range(3):
        client.post(url, {"username": focal_sv.username, "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    # Even the right password is refused while locked, with a clear message and a 429.
    response = client.post(url, {"username": focal_sv.username, "password": "pass-1234-word"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_failed_sign_ins_for_one_user_do_not_lock_other_users_of_the_address(client, focal_sv, focal_gt):
    # The lock-out is per (user name, address) pair: tests/security/test_lockout.py.
    url = reverse("accounts:login")
    for _attempt in range(3):
        client.post(url, {"username": focal_sv.username, "password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    response = client.post(url, {"username": focal_gt.username, "password": "pass-1234-word"}, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 302
