"""The sign-in lock-out (issue 19): failures count per (user name, client address); a user name
guessed from many addresses meets a growing delay; one user's success clears no one else's failures;
the client address is read past our trusted proxies only."""

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.lockout import username_delay

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]
PASSWORD = "pass-1234-word"


@pytest.fixture
def axes_on():
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5):
        yield


def sign_in(client, user, password, **meta):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": password}, **meta)


def fail(client, user, times, **meta):
    """`times` wrong passwords; the answers (200, then 429 at the limit)."""
    return [sign_in(client, user, "wrong", **meta).status_code for _ in range(times)]


def test_five_failures_lock_the_pair_not_the_user_elsewhere(client, focal_sv):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert fail(client, focal_sv, 5, REMOTE_ADDR="10.0.0.1") == [200, 200, 200, 200, 429]
        assert sign_in(client, focal_sv, PASSWORD, REMOTE_ADDR="10.0.0.1").status_code == 429
        clock.shift(datetime.timedelta(seconds=5))  # past the user name's short delay
        assert sign_in(client, focal_sv, PASSWORD, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_one_users_failures_do_not_lock_another_user_behind_the_same_address(client, focal_sv, focal_gt):
    fail(client, focal_sv, 5, REMOTE_ADDR="10.0.0.7")
    assert sign_in(client, focal_gt, PASSWORD, REMOTE_ADDR="10.0.0.7").status_code == 302


def test_another_users_success_does_not_clear_my_failures(client, focal_sv, focal_gt):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(client, focal_sv, 4, REMOTE_ADDR="10.0.0.3")
        assert sign_in(client, focal_gt, PASSWORD, REMOTE_ADDR="10.0.0.3").status_code == 302
        client.logout()
        fail(client, focal_sv, 1, REMOTE_ADDR="10.0.0.3")
        assert sign_in(client, focal_sv, PASSWORD, REMOTE_ADDR="10.0.0.3").status_code == 429


def test_guessing_one_user_name_from_many_addresses_meets_a_growing_delay(client, focal_sv):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for n in range(7):  # 7 failures, each from its own address: no pair reaches the limit
            fail(client, focal_sv, 1, REMOTE_ADDR=f"10.1.0.{n}")
        # Inside the delay even the right password is refused (and counts as a failure).
        assert sign_in(client, focal_sv, PASSWORD, REMOTE_ADDR="10.2.0.1").status_code == 200
        clock.shift(username_delay(8) + datetime.timedelta(seconds=1))
        assert sign_in(client, focal_sv, PASSWORD, REMOTE_ADDR="10.2.0.1").status_code == 302


def test_the_delay_doubles_and_is_capped():
    assert [username_delay(n).total_seconds() for n in (4, 5, 6, 7, 30)] == [0, 2, 4, 8, 300]


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_clients_are_told_apart_and_the_forged_part_is_ignored(client, focal_sv, focal_gt):
    proxy = {"REMOTE_ADDR": "192.0.2.1"}
    for n in range(5):  # one real client, forging a different address each time
        sign_in(client, focal_sv, "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.5", **proxy)
    assert sign_in(client, focal_sv, PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5", **proxy).status_code == 429
    # Another client behind the same proxy is not affected.
    assert sign_in(client, focal_gt, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code == 302


def test_without_a_trusted_proxy_the_header_is_ignored(client, focal_sv):
    for n in range(5):
        sign_in(client, focal_sv, "wrong", REMOTE_ADDR="10.9.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert sign_in(client, focal_sv, PASSWORD, REMOTE_ADDR="10.9.0.1").status_code == 429
