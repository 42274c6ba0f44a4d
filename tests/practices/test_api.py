"""`/api/v1/practices/`: visibility per role, filters, search, updated_since, CSV, bilingual fields."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from practices.models import GoodPractice, PracticeStatus
from tests.factories import ActionFactory, OrganizationFactory, PrincipleFactory, RoadmapFactory, ThemeFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/practices/"


@pytest.fixture
def practices(el_salvador, guatemala, objective_2, objective_6, make_practice):
    published_sv = make_practice(
        countries=[el_salvador],
        objectives=[objective_2],
        status=PracticeStatus.PUBLISHED,
        title_en="One-stop shop",
        title_es="Ventanilla única",
        what_was_done="Se capacitó al personal consular.",
    )
    published_gt = make_practice(
        countries=[guatemala],
        objectives=[objective_6],
        status=PracticeStatus.PUBLISHED,
        title_en="Fair recruitment",
        title_es="",
    )
    draft_sv = make_practice(countries=[el_salvador], objectives=[objective_2], title_en="SV draft")
    submitted_gt = make_practice(countries=[guatemala], status=PracticeStatus.SUBMITTED, title_en="GT submitted")
    return {"published_sv": published_sv, "published_gt": published_gt, "draft_sv": draft_sv, "gt": submitted_gt}


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_api_visibility_per_role(
    client_for, api_client_with_token, practices, partner_token, focal_sv, focal_gt, secretariat_user, staff_outsider
):
    published = sorted([practices["published_sv"].id, practices["published_gt"].id])

    assert ids(client_for(None).get(URL)) == published
    assert ids(api_client_with_token(partner_token).get(URL)) == published
    assert ids(client_for(staff_outsider).get(URL)) == published
    assert ids(client_for(focal_sv).get(URL)) == sorted([*published, practices["draft_sv"].id])
    assert ids(client_for(focal_gt).get(URL)) == sorted([*published, practices["gt"].id])
    assert len(ids(client_for(secretariat_user).get(URL))) == 4


def test_api_detail_of_unpublished_is_404_for_anonymous(client_for, practices, focal_sv):
    draft = practices["draft_sv"]
    assert client_for(None).get(f"{URL}{draft.id}/").status_code == 404
    assert client_for(focal_sv).get(f"{URL}{draft.id}/").status_code == 200


def test_api_row_has_bilingual_fields_and_codes(client, practices, el_salvador):
    practice = practices["published_sv"]
    principle = PrincipleFactory(letter="b", code="rule-of-law")
    partner = OrganizationFactory(key="iom")
    action = ActionFactory(countries=[el_salvador])
    practice.principles.set([principle])
    practice.partners.set([partner])
    practice.actions.set([action])

    english = client.get(f"{URL}{practice.id}/", HTTP_ACCEPT_LANGUAGE="en").json()
    spanish = client.get(f"{URL}{practice.id}/", HTTP_ACCEPT_LANGUAGE="es").json()

    assert (english["title"], spanish["title"]) == ("One-stop shop", "Ventanilla única")
    assert (english["title_en"], english["title_es"]) == ("One-stop shop", "Ventanilla única")
    assert english["country_codes"] == ["SV"]
    assert english["objective_numbers"] == [2]
    assert english["principle_codes"] == ["rule-of-law"]
    assert english["partner_keys"] == ["iom"]
    assert english["action_ids"] == [action.id]
    assert english["status"] == "published"
    assert "author" not in english and "review_comment" not in english


def test_api_title_falls_back_to_the_other_language(client, practices):
    row = client.get(f"{URL}{practices['published_gt'].id}/", HTTP_ACCEPT_LANGUAGE="es").json()
    assert row["title"] == "Fair recruitment"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"objective": "2"}, ["published_sv"]),
        ({"objective": "2,6"}, ["published_sv", "published_gt"]),
        ({"country": "gt"}, ["published_gt"]),
        ({"search": "ventanilla"}, ["published_sv"]),
        ({"search": "capacito"}, ["published_sv"]),
        ({"search": "recruitment"}, ["published_gt"]),
        ({"status": "published", "country": "SV"}, ["published_sv"]),
    ],
)
def test_api_filters(client, practices, params, expected):
    assert ids(client.get(URL, params)) == sorted(practices[name].id for name in expected)


def test_api_filters_by_principle_and_theme(client, practices, guatemala):
    PrincipleFactory(letter="c", code="national-sovereignty")
    practices["published_gt"].principles.set([PrincipleFactory(letter="c")])
    theme = ThemeFactory(slug="labour")
    practices["published_gt"].actions.set([ActionFactory(roadmap=RoadmapFactory(theme=theme), countries=[guatemala])])

    assert ids(client.get(URL, {"principle": "national-sovereignty"})) == [practices["published_gt"].id]
    assert ids(client.get(URL, {"theme": "labour"})) == [practices["published_gt"].id]
    assert ids(client.get(URL, {"theme": "nothing"})) == []


def test_api_updated_since(client, practices):
    old = timezone.now() - datetime.timedelta(days=30)
    GoodPractice.objects.filter(pk=practices["published_gt"].pk).update(updated_at=old)

    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert ids(client.get(URL, {"updated_since": since})) == [practices["published_sv"].id]


def test_api_bad_filter_value_is_a_400_naming_the_parameter(client, practices):
    response = client.get(URL, {"updated_since": "yesterday", "status": "lost"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"updated_since", "status"}
    objective = client.get(URL, {"objective": "two"}, HTTP_ACCEPT_LANGUAGE="en")
    assert objective.status_code == 400
    assert objective.json()["errors"] == {"objective": ["Give objective numbers, e.g. 2 or 2,6."]}
    assert client.get(URL, {"action": "x"}).status_code == 400


def test_api_filter_by_action(client, practices, el_salvador):
    action = ActionFactory(countries=[el_salvador])
    practices["published_sv"].actions.set([action])
    assert ids(client.get(URL, {"action": str(action.pk)})) == [practices["published_sv"].id]


def test_api_csv(client, practices):
    response = client.get(URL, {"format": "csv", "ordering": "id"})

    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["title_en"] for row in rows] == ["One-stop shop", "Fair recruitment"]
    assert rows[0]["country_codes"] == "SV"


def test_api_queries_do_not_grow_with_page_size(
    client, el_salvador, objective_2, make_practice, django_assert_max_num_queries
):
    make_practice(countries=[el_salvador], objectives=[objective_2], status=PracticeStatus.PUBLISHED)
    with django_assert_max_num_queries(10) as one:
        client.get(URL)
    for n in range(15):
        make_practice(
            countries=[el_salvador], objectives=[objective_2], status=PracticeStatus.PUBLISHED, title_en=f"P{n}"
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(ids(client.get(URL))) == 16


def test_api_is_read_only(client_for, focal_sv):
    assert client_for(focal_sv).post(URL, {"title_en": "x"}).status_code == 405


def _json_schema(node):
    """OpenAPI 3.0 → JSON Schema: `nullable: true` becomes a null alternative."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def test_api_responses_conform_to_the_openapi_schema(client_for, secretariat_user, practices):
    import copy

    import jsonschema
    from drf_spectacular.generators import SchemaGenerator

    openapi = SchemaGenerator().get_schema(request=None, public=True)
    client = client_for(secretariat_user)
    for template, url in ((URL, URL), (f"{URL}{{id}}/", f"{URL}{practices['draft_sv'].id}/")):
        schema = openapi["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        root = _json_schema({**copy.deepcopy(schema), "components": openapi["components"]})
        jsonschema.Draft202012Validator(root).validate(client.get(url, HTTP_ACCEPT_LANGUAGE="es").json())

    row_schema = openapi["components"]["schemas"]["PracticeRow"]
    row = client.get(f"{URL}{practices['draft_sv'].id}/").json()
    assert set(row) == set(row_schema["properties"]) == set(row_schema["required"])
    parameters = {p["name"] for p in openapi["paths"][URL]["get"]["parameters"] if p["in"] == "query"}
    assert parameters == {
        "objective",
        "principle",
        "country",
        "theme",
        "action",
        "status",
        "search",
        "updated_since",
        "ordering",
        "page",
        "page_size",
        "cursor",
        "format",
    }
