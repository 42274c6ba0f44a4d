"""The API tests' client and helpers; their data is the shared world (`world`, tests/world.py)."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _clear_throttle_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """`api(user=None, token=None)`: a DRF test client, anonymous, signed in, or with a token."""

    def make(user=None, token=None, language=None):
        client = APIClient()
        if user is not None:
            # A real session (not force_authenticate): the user is loaded per request, as in production.
            client.force_login(user)
        if token is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        if language:
            client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        return client

    return make


def results(response):
    """The rows of a list response (asserting it is a 200)."""
    assert response.status_code == 200, response.content
    return response.json()["results"]


def keys(response, key):
    return [row[key] for row in results(response)]
