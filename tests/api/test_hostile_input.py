"""Input an attacker sends to the API: every bad number, code or body is a 400 naming the parameter,
never a 500 (each of these was a 500 or a silent 200 before: issue 19)."""

import json

import pytest

LISTS = (
    "countries",
    "objectives",
    "principles",
    "organizations",
    "forums",
    "themes",
    "roadmaps",
    "actions",
    "progress-updates",
    "practices",
    "stats/objectives",
    "stats/countries",
)
WITH_OBJECTIVE = ("actions", "roadmaps", "progress-updates", "practices", "stats/objectives", "stats/countries")


def errors_of(response):
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    assert body["code"] == "invalid"
    return body["errors"]


@pytest.mark.parametrize("path", [p for p in LISTS if not p.startswith("stats/")])
@pytest.mark.parametrize("page", ["%C2%B9", "0", "-1", "abc", "1000000000000", "1.5", "%00"])
def test_a_bad_page_is_a_400_naming_page(api, world, path, page):
    response = api().get(f"/api/v1/{path}/?page={page}")
    assert response.status_code == 400
    assert errors_of(response) == {"page": ["Give a page number from 1, or last."]}


@pytest.mark.parametrize("size", ["0", "-1", "abc", "%C2%B2", "99999999999"])
def test_a_bad_page_size_is_a_400_naming_page_size(api, world, size):
    response = api().get(f"/api/v1/actions/?page_size={size}")
    assert response.status_code == 400
    assert errors_of(response) == {"page_size": ["Give a number of rows per page from 1 to 200."]}


def test_a_large_page_size_is_capped_and_last_page_still_works(api, world):
    assert api().get("/api/v1/countries/?page_size=5000").status_code == 200
    response = api().get("/api/v1/countries/?page=last&page_size=1")
    assert response.status_code == 200
    assert response.json()["next"] is None


@pytest.mark.parametrize("path", WITH_OBJECTIVE)
@pytest.mark.parametrize("value", ["%C2%B2", "1,%C2%B3", "x", "10000000000"])
def test_an_objective_that_is_not_a_number_is_a_400(api, world, path, value):
    response = api().get(f"/api/v1/{path}/?objective={value}")
    assert response.status_code == 400
    assert list(errors_of(response)) == ["objective"]


@pytest.mark.parametrize("path", WITH_OBJECTIVE)
def test_an_unknown_objective_is_a_400_naming_it(api, world, path):
    response = api().get(f"/api/v1/{path}/?objective=1,24")
    assert response.status_code == 400
    assert errors_of(response) == {"objective": ["Unknown value: 24."]}


@pytest.mark.parametrize("path", ["actions", "roadmaps", "progress-updates", "practices", "stats/countries"])
def test_an_unknown_country_is_a_400_naming_it(api, world, path):
    response = api().get(f"/api/v1/{path}/?country=sv,ZZ")
    assert response.status_code == 400
    assert errors_of(response) == {"country": ["Unknown value: ZZ."]}


def test_known_codes_still_filter(api, world):
    response = api().get("/api/v1/actions/?country=gt&objective=3")
    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == ["A2"]


@pytest.mark.parametrize("value", ["%C2%B2", "1,x", "-3", "99999999999"])
def test_practices_action_that_is_not_a_number_is_a_400(api, world, value):
    response = api().get(f"/api/v1/practices/?action={value}")
    assert response.status_code == 400
    assert errors_of(response) == {"action": ["Give action ids, e.g. 12 or 12,40."]}


@pytest.mark.parametrize("value", ["%C2%B2", "abc", "0", "99999999999"])
def test_progress_updates_action_that_is_not_an_id_is_a_400(api, world, value):
    response = api().get(f"/api/v1/progress-updates/?action={value}")
    assert response.status_code == 400
    assert errors_of(response) == {"action": ["Give an id (a whole number)."]}


@pytest.mark.parametrize("parameter", ["theme", "roadmap", "search", "organization", "principle", "status", "country"])
def test_a_nul_in_any_filter_is_a_400_naming_it(api, world, parameter):
    response = api().get(f"/api/v1/actions/?{parameter}=a%00b")
    assert response.status_code == 400
    assert parameter in errors_of(response)


def test_a_nul_in_the_ordering_is_a_400(api, world):
    response = api().get("/api/v1/actions/?ordering=code%00")
    assert response.status_code == 400
    assert list(errors_of(response)) == ["ordering"]


def test_a_huge_id_in_the_path_is_a_404(api, world):
    response = api().get("/api/v1/actions/99999999999999999999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_a_deeply_nested_json_body_is_a_400(api, world, focal_sv):
    body = "[" * 3000 + "]" * 3000
    response = api(user=focal_sv).post(
        f"/api/v1/actions/{world.a_public_sv.pk}/progress-updates/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_json_body_with_nul_text_is_a_400_not_a_500(api, world, focal_sv):
    body = json.dumps({"status": "on_track", "percent_complete": 30, "narrative": "a\u0000b"})
    response = api(user=focal_sv).post(
        f"/api/v1/actions/{world.a_public_sv.pk}/progress-updates/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["narrative"]


def test_an_empty_updated_since_is_a_400(api, world):
    response = api().get("/api/v1/actions/?updated_since=")
    assert response.status_code == 400
    assert errors_of(response) == {"updated_since": ["Enter a valid date/time."]}
