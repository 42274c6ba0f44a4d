"""The OpenAPI schema validates, documents every filter, and real responses conform to it."""

import copy

import jsonschema
import pytest
from django.core.management import call_command
from django.test import RequestFactory
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

LIST_FILTERS = {
    "/api/v1/actions/": {
        "country",
        "objective",
        "principle",
        "organization",
        "theme",
        "roadmap",
        "status",
        "overdue",
        "due_after",
        "due_before",
        "search",
        "updated_since",
        "ordering",
        "page",
        "page_size",
        "cursor",
        "format",
    },
    "/api/v1/roadmaps/": {
        "country",
        "objective",
        "principle",
        "organization",
        "theme",
        "forum",
        "status",
        "visibility",
        "search",
        "updated_since",
        "ordering",
        "page",
        "page_size",
        "cursor",
        "format",
    },
    "/api/v1/progress-updates/": {
        "action",
        "country",
        "roadmap",
        "objective",
        "status",
        "review_state",
        "reported_after",
        "reported_before",
        "search",
        "updated_since",
        "ordering",
        "page",
        "page_size",
        "cursor",
        "format",
    },
}


@pytest.fixture(scope="module")
def openapi():
    request = RequestFactory().get("/api/v1/schema/")
    return SchemaGenerator().get_schema(request=None, public=True) or request


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


def test_every_filter_is_documented(openapi):
    for path, expected in LIST_FILTERS.items():
        parameters = openapi["paths"][path]["get"]["parameters"]
        assert {p["name"] for p in parameters if p["in"] == "query"} == expected, path
        assert all(p.get("description") for p in parameters if p["name"] not in ("page",)), path


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


def _validator(openapi, path, method="get", code="200"):
    response_schema = openapi["paths"][path][method]["responses"][code]["content"]["application/json"]["schema"]
    root = _json_schema({**copy.deepcopy(response_schema), "components": openapi["components"]})
    return jsonschema.Draft202012Validator(root)


def _properties(openapi, path, method="get", code="200"):
    schema = openapi["paths"][path][method]["responses"][code]["content"]["application/json"]["schema"]
    if "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "properties" in schema and "results" in schema["properties"]:
        schema = schema["properties"]["results"]["items"]
    elif schema.get("type") == "array":
        schema = schema["items"]
    name = schema["$ref"].rsplit("/", 1)[1]
    component = openapi["components"]["schemas"][name]
    return set(component["properties"]), set(component.get("required", []))


LIST_PATHS = [
    "/api/v1/countries/",
    "/api/v1/objectives/",
    "/api/v1/principles/",
    "/api/v1/organizations/",
    "/api/v1/forums/",
    "/api/v1/themes/",
    "/api/v1/roadmaps/",
    "/api/v1/actions/",
    "/api/v1/progress-updates/",
    "/api/v1/stats/objectives/",
    "/api/v1/stats/countries/",
]


@pytest.mark.parametrize("path", LIST_PATHS)
def test_list_responses_conform_to_the_schema(world, api, secretariat_user, openapi, path):
    body = api(secretariat_user, language="es").get(path).json()
    _validator(openapi, path).validate(body)
    rows = body if isinstance(body, list) else body["results"]
    properties, required = _properties(openapi, path)
    assert rows
    for row in rows:
        assert set(row) == properties == required


def test_detail_responses_conform_to_the_schema(world, api, secretariat_user, openapi):
    client = api(secretariat_user)
    details = {
        "/api/v1/countries/{code}/": "/api/v1/countries/SV/",
        "/api/v1/objectives/{number}/": "/api/v1/objectives/1/",
        "/api/v1/principles/{code}/": "/api/v1/principles/people-centred/",
        "/api/v1/organizations/{key}/": "/api/v1/organizations/iom/",
        "/api/v1/forums/{key}/": "/api/v1/forums/ii-regional-forum/",
        "/api/v1/themes/{slug}/": "/api/v1/themes/health/",
        "/api/v1/roadmaps/{slug}/": "/api/v1/roadmaps/labour-public/",
        "/api/v1/actions/{id}/": f"/api/v1/actions/{world.a_public_sv.pk}/",
        "/api/v1/progress-updates/{id}/": f"/api/v1/progress-updates/{world.u_returned.pk}/",
    }
    for template, url in details.items():
        _validator(openapi, template).validate(client.get(url).json())


def test_write_and_error_responses_conform_to_the_schema(world, api, focal_sv, openapi):
    path = "/api/v1/actions/{id}/progress-updates/"
    url = f"/api/v1/actions/{world.a_partners_sv.pk}/progress-updates/"
    client = api(focal_sv)
    good = {"status": "on_track", "percent_complete": 70, "narrative": "Done."}
    _validator(openapi, path, "post", "201").validate(client.post(url, good, format="json").json())
    bad = client.post(url, {**good, "percent_complete": 101}, format="json")
    _validator(openapi, path, "post", "400").validate(bad.json())
    conflict = client.post(url, {**good, "version": 1}, format="json")
    assert conflict.status_code == 409
    _validator(openapi, path, "post", "409").validate(conflict.json())
