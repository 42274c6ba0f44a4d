"""Errors on contract (issue 19): JSON with the API's envelope under /api/, and pages in the site's
design (navigation, language switch) in the reader's language elsewhere."""

import json
import re

import pytest
from django.test import Client

from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v1/actions/abc/", "/api/v2/"])
def test_an_unknown_api_address_is_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_a_json_body_over_the_limit_is_a_json_413(client, focal_sv, settings, el_salvador):
    settings.API_MAX_JSON_BYTES = 1000
    action = ActionFactory(countries=[el_salvador])
    client.force_login(focal_sv)
    body = json.dumps({"status": "on_track", "percent_complete": 10, "narrative": "x" * 2000})
    response = client.post(f"/api/v1/actions/{action.pk}/progress-updates/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is larger than 1000 bytes.", "code": "too_large"}


def test_a_form_body_over_the_limit_is_a_json_413(client, focal_sv, settings, el_salvador):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    action = ActionFactory(countries=[el_salvador])
    client.force_login(focal_sv)
    response = client.post(
        f"/api/v1/actions/{action.pk}/progress-updates/",
        "narrative=" + "x" * 2000,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large.", "code": "too_large"}


def test_too_many_form_fields_is_a_json_400(client, focal_sv, settings, el_salvador):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    action = ActionFactory(countries=[el_salvador])
    client.force_login(focal_sv)
    response = client.post(
        f"/api/v1/actions/{action.pk}/progress-updates/",
        "&".join(f"f{n}=1" for n in range(20)),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The request has too many fields or files.", "code": "too_many_fields"}


def test_an_api_address_over_the_limit_is_a_json_414(client, settings):
    query = "search=" + "x" * (settings.MAX_URL_LENGTH - len("/api/v1/actions/?search="))
    at_the_limit = client.get(f"/api/v1/actions/?{query}")
    assert at_the_limit.status_code == 200
    response = client.get(f"/api/v1/actions/?{query}x")
    assert response.status_code == 414
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": f"The address is too long: at most {settings.MAX_URL_LENGTH} characters.",
        "code": "uri_too_long",
    }


def test_every_api_operation_documents_the_414_and_gunicorn_lets_it_through(client, settings):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    undocumented = [
        f"{method} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if operation["responses"].get("414", {}).get("content", {}).get("application/json", {}).get("schema")
        != {"$ref": "#/components/schemas/Error"}
    ]
    assert undocumented == []
    # Gunicorn answers a longer request line itself (an HTML 400): the documented command raises its
    # limit above the app's, so the JSON 414 is what a client gets.
    deploy = (settings.BASE_DIR / "docs" / "deploy.md").read_text()
    limit = re.search(r"gunicorn config\.wsgi .*--limit-request-line (\d+)", deploy)
    assert limit and int(limit.group(1)) > settings.MAX_URL_LENGTH + len("GET  HTTP/1.1")


def test_a_missing_page_is_in_the_sites_design_and_in_spanish_under_es(client):
    response = client.get("/es/no-existe/")
    assert response.status_code == 404
    text = response.content.decode()
    assert '<html lang="es">' in text
    assert "Página no encontrada" in text
    assert 'class="site-nav"' in text
    assert 'class="language-switch"' in text


def test_a_missing_page_in_english(client):
    response = client.get("/en/nothing-here/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_refused_page_is_in_the_sites_design(client_for, secretariat_user):
    response = client_for(secretariat_user).get("/es/my/upload/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "No permitido" in text
    assert 'class="language-switch"' in text


def test_a_csrf_failure_is_a_page_in_the_sites_design(el_salvador):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/es/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "comprobación de seguridad" in text
    assert 'class="site-nav"' in text
