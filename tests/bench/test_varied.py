"""The benchmark's varied URL lists (bench/varied.py): reproducible, and each URL one users could open.

A list whose URLs answered 400 or 404 would measure error pages, not what users get.
"""

import pytest
from django.db import connection
from django.test import Client, override_settings

from bench.seed import seed
from bench.varied import draw_url_sets
from roadmaps.models import Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def sets():
    seed(connection, "tiny")
    connection.ensure_connection()
    return draw_url_sets(connection.connection, "token-not-used", 40)


def test_the_lists_are_the_same_on_every_draw(sets):
    again = draw_url_sets(connection.connection, "token-not-used", 40)
    assert again == sets
    assert len({u["path"] for u in sets["varied_actions"]}) > 5  # varied, not one URL


def test_every_actions_review_and_page_url_answers(sets, client):
    for key in ("varied_actions", "varied_review", "varied_pages"):
        for url in sets[key][:15]:
            response = client.get(url["path"], HTTP_ACCEPT_LANGUAGE=url["headers"]["Accept-Language"])
            assert response.status_code == 200, (key, url)
    assert Action.objects.exists()


def test_the_hit_header_is_sent_only_when_asked(sets):
    assert "X-Figures-Cache" not in Client().get("/en/")
    from django.conf import settings

    middleware = ["core.figures_backend.FiguresCacheHeader", *settings.MIDDLEWARE]
    with override_settings(FIGURES_CACHE_HEADER=True, MIDDLEWARE=middleware):
        assert Client().get("/en/")["X-Figures-Cache"] in ("hit", "miss", "none")
