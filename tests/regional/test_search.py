"""Search ignores case, accents and Unicode form (NFC / NFD) on the pages, in the admin and in the API,
and the roadmaps page finds exactly what the API's search finds."""

import unicodedata

import pytest

from tests.factories import ActionFactory, CountryFactory, RoadmapFactory

pytestmark = pytest.mark.django_db

NFD_MIGRACION = unicodedata.normalize("NFD", "migración")  # "o" + U+0301 COMBINING ACUTE ACCENT
TYPED = ["migración", "migracion", "MIGRACIÓN", "Migracion", NFD_MIGRACION]


@pytest.fixture
def roadmaps(db):
    sv = CountryFactory(code="SV")
    return {
        "labour": RoadmapFactory(
            slug="labour",
            lead_country=sv,
            title_en="Regular labour pathways",
            title_es="Vías regulares de migración laboral",
        ),
        "decomposed": RoadmapFactory(
            slug="decomposed",
            lead_country=sv,
            title_en="Data exchange",
            title_es=unicodedata.normalize("NFD", "Intercambio de datos sobre migración"),
        ),
        "other": RoadmapFactory(
            slug="other", lead_country=sv, title_en="Child protection", title_es="Protección de la niñez"
        ),
    }


def _page_slugs(client, language, text):
    response = client.get(f"/{language}/roadmaps/", {"q": text})
    assert response.status_code == 200
    return {roadmap.slug for roadmap in response.context["page"].object_list}


@pytest.mark.parametrize("text", TYPED)
def test_roadmaps_page_ignores_case_accents_and_unicode_form(client, roadmaps, text):
    assert _page_slugs(client, "es", text) == {"labour", "decomposed"}
    assert _page_slugs(client, "en", text) == {"labour", "decomposed"}


@pytest.mark.parametrize("text", [*TYPED, "protección", "PROTECCION", "labour", "vias regulares", "zzz"])
def test_roadmaps_page_finds_what_the_api_finds(client, roadmaps, text):
    api = client.get("/api/v1/roadmaps/", {"search": text, "page_size": 200}).json()
    assert _page_slugs(client, "es", text) == {row["slug"] for row in api["results"]}


@pytest.mark.parametrize("text", ["migracion", "MIGRACIÓN", NFD_MIGRACION])
def test_admin_search_ignores_case_accents_and_unicode_form(client_for, secretariat_user, roadmaps, text):
    client = client_for(secretariat_user)
    response = client.get("/admin/roadmaps/roadmap/", {"q": text})
    assert response.status_code == 200
    assert {r.slug for r in response.context["cl"].result_list} == {"labour", "decomposed"}


def test_admin_search_of_related_text_and_codes(client_for, secretariat_user, roadmaps):
    action = ActionFactory(roadmap=roadmaps["other"], code="B7", title_en="Foster care", title_es="Acogida familiar")
    client = client_for(secretariat_user)

    def found(q):
        return {a.pk for a in client.get("/admin/roadmaps/action/", {"q": q}).context["cl"].result_list}

    assert found("proteccion de la ninez") == {action.pk}  # the roadmap's Spanish title, through the relation
    assert found("b7") == {action.pk}
    assert found("ACOGIDA") == {action.pk}
    # What is typed is text, not a LIKE pattern.
    assert found("%") == set()
    assert found("_") == set()


def test_admin_search_of_countries_ignores_accents(client_for, secretariat_user, db):
    mexico = CountryFactory(code="MX", name_en="Mexico", name_es="México")
    response = client_for(secretariat_user).get("/admin/countries/country/", {"q": "mexico"})
    assert list(response.context["cl"].result_list) == [mexico]
