"""A partner's sync (`updated_since`, no page number) is read by keyset and never counted; a page past
the end is a 404 that the figures cache keeps (it is not recomputed on every request)."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from roadmaps.models import Action, ProgressUpdate
from tests.factories import ActionFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

LOCMEM = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sync-test-default"},
    "figures": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sync-test-figures"},
}


def _since():
    return (timezone.now() - datetime.timedelta(days=1)).isoformat()


def _walk(client, path, params):
    url, seen, pages = path, [], []
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append(body)
        seen += [row["id"] for row in body["results"]]
        if not body["next"]:
            return seen, pages
        response = client.get(body["next"])


@pytest.mark.parametrize(
    ("path", "model"), [("/api/v1/progress-updates/", ProgressUpdate), ("/api/v1/actions/", Action)]
)
def test_a_sync_walks_every_changed_row_once_by_keyset_without_counting(world, api, secretariat_user, path, model):
    for _n in range(5):
        ActionFactory(roadmap=world.public, countries=[world.sv])
        ProgressUpdateFactory(action=world.a_public_sv, country=world.sv)
    client = api(secretariat_user)
    params = {"updated_since": _since(), "ordering": "updated_at", "page_size": 2}
    seen, pages = _walk(client, path, params)
    expected = list(
        model.objects.filter(updated_at__gt=_since()).order_by("updated_at", "id").values_list("id", flat=True)
    )
    assert seen == expected and len(pages) >= 3
    assert all(page["count"] is None for page in pages)  # a sync page does not number every row
    assert "cursor=" in pages[0]["next"]


def test_a_sync_page_costs_the_same_queries_whatever_the_rows_behind_it(world, api, secretariat_user):
    client = api(secretariat_user)
    params = {"updated_since": _since(), "ordering": "updated_at", "page_size": 3}

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/progress-updates/", params).status_code == 200
        assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)
        return len(ctx.captured_queries)

    few = queries()
    for _n in range(30):
        ProgressUpdateFactory(action=world.a_public_sv, country=world.sv)
    assert queries() == few


def test_a_page_past_the_end_is_a_404_kept_in_the_figures_cache(world, api):
    with override_settings(CACHES=LOCMEM):
        from django.core.cache import caches

        caches["figures"].clear()
        client = api()
        path = "/api/v1/progress-updates/?page=99"
        assert client.get(path).status_code == 404
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 404
        assert not any("json_agg" in q["sql"] for q in ctx.captured_queries)  # not the list's query again
        caches["figures"].clear()


@pytest.mark.parametrize("path", ["/api/v1/progress-updates/", "/api/v1/actions/", "/api/v1/roadmaps/"])
def test_a_sync_page_written_by_postgresql_holds_the_same_rows_as_the_list(world, api, focal_sv, path):
    """Sync pages are JSON written by PostgreSQL (api.keyset._page_in_sql): each row must be the very row
    the numbered list gives (keys in order, timestamps as orjson writes them, a focal point's columns)."""
    update = ProgressUpdateFactory(action=world.a_public_sv, country=world.sv, review_comment="Ajustar la meta")
    ProgressUpdate.objects.filter(pk=update.pk).update(reviewed_at=timezone.now().replace(microsecond=120000))
    client = api(focal_sv)
    listed = client.get(path, {"ordering": "updated_at", "page_size": 200})
    synced = client.get(path, {"updated_since": "2000-01-01T00:00:00Z", "ordering": "updated_at", "page_size": 200})
    assert listed.status_code == synced.status_code == 200
    rows = synced.json()["results"]
    assert rows == listed.json()["results"] and rows
    assert [list(row) for row in rows] == [list(row) for row in listed.json()["results"]]
    if path == "/api/v1/progress-updates/":
        assert {row["review_comment"] for row in rows if row["id"] == update.pk} == {"Ajustar la meta"}
