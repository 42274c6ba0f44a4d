"""Password reset is limited per client address and per account, and answers the same either way
(issue 19: 12 mails to one address in a second)."""

import re

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/en/accounts/password-reset/"
SENT = "/en/accounts/password-reset/sent/"


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


@override_settings(PASSWORD_RESET_PER_ACCOUNT=3, PASSWORD_RESET_PER_ADDRESS=100)
def test_one_account_gets_at_most_three_mails_an_hour_from_any_address(client, django_capture_on_commit_callbacks):
    UserFactory(email="target@example.org")
    # Each mail is queued when the request commits (a worker sends it): count what is queued.
    with django_capture_on_commit_callbacks() as queued:
        answers = [
            client.post(URL, {"email": "Target@example.org"}, REMOTE_ADDR=f"10.0.0.{n}")["Location"] for n in range(12)
        ]
    assert answers == [SENT] * 12
    assert len(queued) == 3


@override_settings(PASSWORD_RESET_PER_ACCOUNT=100, PASSWORD_RESET_PER_ADDRESS=2)
def test_one_address_gets_at_most_its_limit_whatever_the_accounts(client, django_capture_on_commit_callbacks):
    for n in range(5):
        UserFactory(email=f"user{n}@example.org")
    with django_capture_on_commit_callbacks() as queued:
        answers = [
            client.post(URL, {"email": f"user{n}@example.org"}, REMOTE_ADDR="10.0.0.9")["Location"] for n in range(5)
        ]
    assert answers == [SENT] * 5
    assert len(queued) == 2
    # Another address is not held back.
    with django_capture_on_commit_callbacks() as queued:
        assert client.post(URL, {"email": "user4@example.org"}, REMOTE_ADDR="10.0.0.10")["Location"] == SENT
    assert len(queued) == 1


@override_settings(PASSWORD_RESET_PER_ACCOUNT=1, PASSWORD_RESET_PER_ADDRESS=100)
def test_known_unknown_and_limited_accounts_get_the_same_answer(client, django_capture_on_commit_callbacks):
    UserFactory(email="known@example.org")
    with django_capture_on_commit_callbacks() as queued:
        answers = [
            client.post(URL, {"email": email}, REMOTE_ADDR="10.0.1.1", follow=True)
            for email in ("known@example.org", "known@example.org", "nobody@example.org")
        ]
    assert len(queued) == 1  # the second is over the account's limit, the third has no account
    # The same page, but for the form tokens each answer renews.
    pages = {re.sub(r'value="[A-Za-z0-9]{64}"', "", a.content.decode()) for a in answers}
    assert {(a.status_code, a.redirect_chain[-1][0]) for a in answers} == {(200, SENT)}
    assert len(pages) == 1
