"""HTTP behaviour shared by every endpoint: ETag/304, CSV, throttling, JSON errors, language."""

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.settings import api_settings

from api.models import ThrottleCounter
from api.tasks import prune_throttle_counters
from roadmaps.models import Action
from tests.api.conftest import results

pytestmark = pytest.mark.django_db
# An anonymous /api/v1/actions/ page, figures computed afresh (the test settings keep no figures cache).
ANONYMOUS_ACTIONS_LIST_QUERIES = 4  # the throttle's upsert and three reads

LISTS = [
    "countries",
    "objectives",
    "principles",
    "organizations",
    "forums",
    "themes",
    "roadmaps",
    "actions",
    "progress-updates",
]


def detail_urls(world):
    return [
        "/api/v1/countries/SV/",
        "/api/v1/objectives/1/",
        "/api/v1/principles/people-centred/",
        "/api/v1/organizations/iom/",
        "/api/v1/forums/ii-regional-forum/",
        "/api/v1/themes/health/",
        "/api/v1/roadmaps/labour-public/",
        f"/api/v1/actions/{world.a_public_sv.pk}/",
        f"/api/v1/progress-updates/{world.u_approved.pk}/",
    ]


# --- ETags -----------------------------------------------------------------------------------------


def test_every_detail_has_an_etag_and_if_none_match_gives_304(world, api):
    client = api()
    for url in detail_urls(world):
        first = client.get(url)
        assert first.status_code == 200, url
        etag = first["ETag"]
        assert etag.startswith('"') and etag.endswith('"'), url
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert not_modified.status_code == 304, url
        assert not_modified.content == b""
        assert not_modified["ETag"] == etag
        assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_etag_changes_when_the_action_changes(world, api):
    client = api()
    url = f"/api/v1/actions/{world.a_public_sv.pk}/"
    etag = client.get(url)["ETag"]
    Action.objects.filter(pk=world.a_public_sv.pk).update(version=2)
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.json()["version"] == 2


def test_etag_differs_by_language_and_caches_are_told_what_varies(world, api):
    url = "/api/v1/objectives/1/"
    english = api(language="en").get(url)
    assert english["ETag"] != api(language="es").get(url)["ETag"]
    assert {"Accept-Language", "Authorization", "Cookie"} <= {v.strip() for v in english["Vary"].split(",")}


# --- CSV -------------------------------------------------------------------------------------------


def flat(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


@pytest.mark.parametrize("name", LISTS + ["stats/objectives", "stats/countries"])
def test_csv_parses_and_matches_the_json_rows(world, api, secretariat_user, name):
    client = api(secretariat_user)
    json_body = client.get(f"/api/v1/{name}/?page_size=200").json()
    json_rows = json_body if isinstance(json_body, list) else json_body["results"]
    response = client.get(f"/api/v1/{name}/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    csv_rows = list(csv.DictReader(io.StringIO(body)))
    assert len(csv_rows) == len(json_rows) > 0
    assert [{k: flat(v) for k, v in row.items()} for row in json_rows] == csv_rows


def test_csv_keeps_formula_like_text_inert(world, api, secretariat_user):
    Action.objects.filter(pk=world.a_public_sv.pk).update(title_en='=HYPERLINK("http://evil.example")')
    response = api(secretariat_user).get("/api/v1/actions/?format=csv&roadmap=labour-public&ordering=code")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["title_en"] == '\'=HYPERLINK("http://evil.example")'
    assert api(secretariat_user).get(f"/api/v1/actions/{world.a_public_sv.pk}/").json()["title_en"] == (
        '=HYPERLINK("http://evil.example")'
    )


def test_csv_uses_the_same_filters(world, api, secretariat_user):
    response = api(secretariat_user).get("/api/v1/actions/?format=csv&country=GT&ordering=code")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["code"], r["country_codes"], r["objective_numbers"]) for r in rows] == [
        ("A1", "GT;SV", "1;2"),
        ("A2", "GT", "3"),
    ]


def test_csv_is_streamed_and_not_paginated(world, api, secretariat_user):
    from tests.factories import ActionFactory

    ActionFactory.create_batch(60, roadmap=world.public, countries=[world.sv])
    response = api(secretariat_user).get("/api/v1/actions/?format=csv")
    assert response.streaming
    assert len(b"".join(response.streaming_content).decode().splitlines()) == 1 + 65


def test_csv_request_with_a_bad_filter_gets_a_json_400(world, api):
    response = api().get("/api/v1/actions/?format=csv&overdue=perhaps")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()["errors"]) == ["overdue"]


def test_detail_has_no_csv(world, api):
    assert api().get("/api/v1/countries/SV/?format=csv").status_code == 404


# --- Throttling ------------------------------------------------------------------------------------


def _tight(anon="2/min", user="3/min"):
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": anon, "user": user}
    from django.conf import settings

    return override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates})


def test_anonymous_rate_gives_429_with_retry_after(world, api):
    cache.clear()
    with _tight():
        client = api()
        assert [client.get("/api/v1/countries/").status_code for _ in range(3)] == [200, 200, 429]
        response = client.get("/api/v1/countries/")
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        assert response.json()["code"] == "throttled"


def test_token_rate_is_separate_from_the_anonymous_one(world, api, partner_token):
    cache.clear()
    with _tight():
        anonymous = api()
        assert [anonymous.get("/api/v1/countries/").status_code for _ in range(3)] == [200, 200, 429]
        partner = api(token=partner_token)
        assert [partner.get("/api/v1/countries/").status_code for _ in range(4)] == [200, 200, 200, 429]
        assert int(partner.get("/api/v1/countries/")["Retry-After"]) > 0


def test_a_forged_x_forwarded_for_does_not_buy_a_new_anonymous_budget(world, api):
    # Issue 19: 500 requests with random X-Forwarded-For values, 500 answered.
    cache.clear()
    with _tight():
        client = api()
        answers = [
            client.get("/api/v1/countries/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(4)
        ]
        assert answers == [200, 200, 429, 429]


def test_behind_a_trusted_proxy_each_client_has_its_own_budget_whatever_it_forges(world, api, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    cache.clear()
    with _tight():
        client = api()

        def get(real, forged):
            # The proxy appends the address it saw to what the client sent.
            return client.get(
                "/api/v1/countries/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"{forged}, {real}"
            ).status_code

        assert [get("203.0.113.5", f"198.51.100.{n}") for n in range(3)] == [200, 200, 429]
        assert get("203.0.113.6", "198.51.100.9") == 200


def test_an_anonymous_caller_is_counted_once_not_also_by_the_user_rate(world, api):
    """Only the anonymous budget is spent (and stored) for an anonymous caller: a second per-address
    count under the user scope was two more round trips to the shared cache on every request."""
    cache.clear()
    with _tight():
        assert api().get("/api/v1/countries/").status_code == 200
    assert list(ThrottleCounter.objects.values_list("key", "count")) == [("throttle_anon_127.0.0.1", 1)]


def test_a_throttle_check_is_one_statement_on_postgresql(world, api):
    """Issue 22: through the database cache a throttle check was ten round trips (a SELECT, then
    BEGIN, the cull's COUNT(*), SELECT, UPDATE, COMMIT...); now one upsert of the caller's counter."""
    with CaptureQueriesContext(connection) as captured:
        assert api().get("/api/v1/actions/?country=SV").status_code == 200
    statements = [query["sql"] for query in captured.captured_queries]
    assert len(statements) == ANONYMOUS_ACTIONS_LIST_QUERIES
    assert [sql.split()[0] for sql in statements if "api_throttlecounter" in sql] == ["INSERT"]


def test_the_budget_comes_back_whole_when_the_window_ends(world, api):
    with _tight():
        client = api()
        assert [client.get("/api/v1/countries/").status_code for _ in range(3)] == [200, 200, 429]
        retry_after = int(client.get("/api/v1/countries/")["Retry-After"])
        assert 0 < retry_after <= 60
        # The window ended (as if a minute went by): the next request starts a new one.
        ThrottleCounter.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
        assert [client.get("/api/v1/countries/").status_code for _ in range(3)] == [200, 200, 429]


def test_ended_windows_are_deleted_by_the_periodic_task(world, api):
    with _tight():
        api().get("/api/v1/countries/")
        api().get("/api/v1/countries/", REMOTE_ADDR="198.51.100.7")
    ThrottleCounter.objects.filter(key__endswith="198.51.100.7").update(expires_at=timezone.now())
    assert prune_throttle_counters(timezone.now() + datetime.timedelta(seconds=1)) == 1
    assert list(ThrottleCounter.objects.values_list("key", flat=True)) == ["throttle_anon_127.0.0.1"]


# --- Errors and language ---------------------------------------------------------------------------


def test_bad_token_is_json_401(world, api):
    response = api(token="not-a-token").get("/api/v1/countries/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "code": "authentication_failed"}


def test_unknown_detail_is_json_404(world, api):
    response = api().get("/api/v1/actions/999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Action matches the given query.", "code": "not_found"} or (
        response.json()["code"] == "not_found"
    )


def test_read_endpoints_refuse_writes_with_405(world, api, secretariat_user):
    response = api(secretariat_user).post("/api/v1/countries/", {"code": "XX"}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_errors_follow_accept_language(world, api):
    response = api(language="es").get("/api/v1/actions/?overdue=quizas")
    assert response.status_code == 400
    assert response.json()["errors"]["overdue"] == ["Indique true o false."]


def test_list_title_follows_accept_language(world, api):
    rows = results(api(language="es").get("/api/v1/actions/?ordering=code"))
    assert rows[0]["title"] == "Capacitar a inspectores laborales sobre comisiones de contratación"
    rows = results(api(language="en").get("/api/v1/actions/?ordering=code"))
    assert rows[0]["title"] == "Train labour inspectors on recruitment fees"


def test_docs_and_schema_are_served_offline(world, api):
    docs = api().get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "//cdn" not in html.lower() and "https://" not in html  # nothing fetched from elsewhere
    assert "<style" not in html  # the strict CSP allows no inline style or script
    assert all("src=" in tag for tag in html.split("<script")[1:])
    script = api().get("/api/v1/docs/?script=")
    assert (script.status_code, script["Content-Type"]) == (200, "application/javascript")
    schema = api().get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    assert "/api/v1/actions/" in schema.json()["paths"]


def test_api_root_lists_every_endpoint_as_json(world, api):
    response = api().get("/api/v1/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")  # a browser
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) >= {
        "countries",
        "objectives",
        "principles",
        "organizations",
        "forums",
        "themes",
        "roadmaps",
        "actions",
        "progress-updates",
        "stats/objectives",
        "stats/countries",
    }


@pytest.mark.parametrize("name", LISTS)
def test_a_list_row_written_by_postgresql_equals_its_detail_written_by_python(world, api, secretariat_user, name):
    """Every list page's JSON is written by PostgreSQL (api.paging.json_page), a detail by orjson: a
    partner must read each row the same in both, value for value (timestamps, decimals, nulls, lists)."""
    import datetime

    from django.urls import resolve

    Action.objects.filter(pk=world.a_public_sv.pk).update(
        updated_at=datetime.datetime(2026, 3, 1, 12, 0, 0, 120000, tzinfo=datetime.UTC)
    )
    Action.objects.exclude(pk=world.a_public_sv.pk).update(
        updated_at=datetime.datetime(2026, 3, 2, 8, 30, 0, tzinfo=datetime.UTC)
    )
    client = api(secretariat_user)
    lookup = resolve(f"/api/v1/{name}/").func.cls.lookup_field
    for language in ("en", "es"):
        page = client.get(f"/api/v1/{name}/?page_size=200", HTTP_ACCEPT_LANGUAGE=language)
        last = client.get(f"/api/v1/{name}/?page_size=200&page=last", HTTP_ACCEPT_LANGUAGE=language)
        assert page.status_code == last.status_code == 200
        assert page["Content-Type"] == "application/json"
        rows = page.json()["results"]
        assert rows and last.json() == page.json()  # one page in all: `last` is the first
        for row in rows:
            detail = client.get(f"/api/v1/{name}/{row[lookup]}/", HTTP_ACCEPT_LANGUAGE=language)
            assert detail.status_code == 200, (name, row[lookup])
            assert {key: detail.json()[key] for key in row} == row
    if name == "actions":  # timestamps as orjson writes them: microseconds only when there are some
        stamps = {row["updated_at"] for row in rows}
        assert stamps == {"2026-03-01T12:00:00.120000+00:00", "2026-03-02T08:30:00+00:00"}


def test_numbered_pages_link_to_each_other_and_a_page_past_the_end_is_404(world, api, secretariat_user):
    client = api(secretariat_user)
    total = client.get("/api/v1/actions/?page_size=1").json()["count"]
    assert total >= 3
    first = client.get("/api/v1/actions/?page_size=1&ordering=code").json()
    second = client.get(first["next"]).json()
    assert first["previous"] is None and "page=2" in first["next"]
    assert second["previous"].startswith("http://testserver/api/v1/actions/?") and "page=" not in second[
        "previous"
    ].replace("page_size", "")
    third = client.get(second["next"]).json()
    assert "page=2" in third["previous"]
    codes = [page["results"][0]["code"] for page in (first, second, third)]
    assert codes == sorted(codes)
    last = client.get(f"/api/v1/actions/?page_size=1&page={total}").json()
    assert last["next"] is None
    past = client.get(f"/api/v1/actions/?page_size=1&page={total + 1}")
    assert past.status_code == 404 and past.json()["code"] == "not_found"
