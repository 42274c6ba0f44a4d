"""Reference endpoints: countries, objectives, principles, organisations, forums, themes."""

import pytest

from tests.api.conftest import keys, results

pytestmark = pytest.mark.django_db


def test_countries_list_ordered_by_code_with_bilingual_names(world, api):
    rows = results(api().get("/api/v1/countries/"))
    assert [r["code"] for r in rows] == ["GT", "HN", "SV"]
    assert rows[2] == {
        "code": "SV",
        "alpha3": "SLV",
        "name_en": "El Salvador",
        "name_es": "El Salvador",
        "name": "El Salvador",
        "subregion": "other",
        "rcm_status": "member",
        "is_gcm_champion": False,
        "champion_since": None,
        "gcm_vote": "unknown",
        "updated_at": rows[2]["updated_at"],
    }


def test_country_detail_by_iso_code_case_insensitive(world, api):
    response = api().get("/api/v1/countries/sv/")
    assert response.status_code == 200
    assert response.json()["alpha3"] == "SLV"
    assert api().get("/api/v1/countries/SV/").json()["code"] == "SV"


def test_country_detail_unknown_is_json_404(world, api):
    response = api().get("/api/v1/countries/ZZ/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_countries_filters(world, api):
    world.sv.is_gcm_champion = True
    world.sv.champion_since = 2020
    world.sv.subregion = "central_america"
    world.sv.save()
    assert keys(api().get("/api/v1/countries/?is_gcm_champion=true"), "code") == ["SV"]
    assert keys(api().get("/api/v1/countries/?is_gcm_champion=false"), "code") == ["GT", "HN"]
    assert keys(api().get("/api/v1/countries/?subregion=central_america"), "code") == ["SV"]
    assert keys(api().get("/api/v1/countries/?search=salvador"), "code") == ["SV"]
    assert keys(api().get("/api/v1/countries/?ordering=-code"), "code") == ["SV", "HN", "GT"]


def test_countries_bad_choice_is_400_naming_the_parameter(world, api):
    response = api().get("/api/v1/countries/?subregion=atlantis")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["subregion"]


def test_objectives_list_detail_and_language(world, api):
    assert keys(api().get("/api/v1/objectives/"), "number") == [1, 2, 3]
    detail = api(language="es").get("/api/v1/objectives/1/").json()
    assert detail["title"] == "Recopilar datos precisos sobre migración"
    assert detail["title_en"] == "Collect accurate migration data"
    assert detail["title_es"] == "Recopilar datos precisos sobre migración"
    assert detail["short_title"] == "Datos"
    assert api(language="en").get("/api/v1/objectives/1/").json()["title"] == "Collect accurate migration data"
    assert api().get("/api/v1/objectives/24/").status_code == 404


def test_bilingual_field_falls_back_to_the_other_language(world, api):
    world.obj2.title_es = ""
    world.obj2.save()
    assert api(language="es").get("/api/v1/objectives/2/").json()["title"] == "Objective 2 (English)"


def test_objectives_search_in_spanish_ignoring_accents(world, api):
    assert keys(api().get("/api/v1/objectives/?search=migracion"), "number") == [1]
    assert keys(api().get("/api/v1/objectives/?search=accurate data"), "number") == [1]
    assert keys(api().get("/api/v1/objectives/?search=nothing-like-this"), "number") == []


def test_principles_list_detail_by_code(world, api):
    assert keys(api().get("/api/v1/principles/"), "code") == ["people-centred", "international-cooperation"]
    assert api().get("/api/v1/principles/people-centred/").json()["letter"] == "a"
    assert keys(api().get("/api/v1/principles/?search=principio"), "code") == [
        "people-centred",
        "international-cooperation",
    ]


def test_organizations_list_detail_and_filters(world, api):
    assert keys(api().get("/api/v1/organizations/"), "key") == ["iom", "unhcr"]
    detail = api(language="es").get("/api/v1/organizations/unhcr/").json()
    assert (detail["acronym"], detail["acronym_en"], detail["acronym_es"]) == ("ACNUR", "UNHCR", "ACNUR")
    assert keys(api().get("/api/v1/organizations/?kind=un_agency"), "key") == ["iom", "unhcr"]
    assert keys(api().get("/api/v1/organizations/?kind=civil_society"), "key") == []
    assert keys(api().get("/api/v1/organizations/?search=acnur"), "key") == ["unhcr"]


def test_forums_list_detail_and_host_filter(world, api):
    rows = results(api().get("/api/v1/forums/"))
    assert [(r["key"], r["host_country_code"], r["city"]) for r in rows] == [
        ("ii-regional-forum", "SV", "San Salvador")
    ]
    assert api().get("/api/v1/forums/ii-regional-forum/").json()["start_date"] == "2024-09-25"
    assert keys(api().get("/api/v1/forums/?host_country=sv"), "key") == ["ii-regional-forum"]
    assert keys(api().get("/api/v1/forums/?host_country=GT"), "key") == []


def test_themes_list_detail_and_filters(world, api):
    assert keys(api().get("/api/v1/themes/"), "slug") == ["health", "labour-migration"]
    assert api().get("/api/v1/themes/health/").json()["forum_key"] == "ii-regional-forum"
    assert keys(api().get("/api/v1/themes/?forum=ii-regional-forum"), "slug") == ["health"]
    assert keys(api().get("/api/v1/themes/?search=salud"), "slug") == ["health"]
    assert keys(api().get("/api/v1/themes/?search=migration"), "slug") == ["labour-migration"]
