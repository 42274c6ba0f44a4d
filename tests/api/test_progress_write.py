"""POST /api/v1/actions/<id>/progress-updates/: the focal points' write, through the same service."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from roadmaps.models import Action, ProgressUpdate, ReviewState
from tests.factories import FocalPointFactory

pytestmark = pytest.mark.django_db

GOOD = {"status": "on_track", "percent_complete": 70, "narrative": "Second round of vaccination done."}


def url(action):
    return f"/api/v1/actions/{action.pk}/progress-updates/"


def test_focal_point_of_the_country_creates_a_submitted_update(world, api, focal_sv):
    before = ProgressUpdate.objects.count()
    response = api(focal_sv).post(url(world.a_partners_sv), GOOD, format="json")
    assert response.status_code == 201, response.content
    update = ProgressUpdate.objects.get(pk=response.json()["id"])
    assert ProgressUpdate.objects.count() == before + 1
    assert (update.review_state, update.country, update.author, update.percent_complete, update.narrative) == (
        ReviewState.SUBMITTED,
        world.sv,
        focal_sv,
        70,
        "Second round of vaccination done.",
    )
    body = response.json()
    assert (body["review_state"], body["country_code"], body["action_code"], body["percent_complete"]) == (
        "submitted",
        "SV",
        "B1",
        70,
    )
    assert response["Location"] == f"http://testserver/api/v1/progress-updates/{update.pk}/"
    assert Action.objects.get(pk=world.a_partners_sv.pk).version == 2


def test_country_field_chooses_the_reporting_country(world, api, focal_sv):
    FocalPointFactory(user=focal_sv, country=world.gt)  # focal_sv now reports for SV and GT
    response = api(focal_sv).post(url(world.a_public_sv), GOOD, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["country"]
    response = api(focal_sv).post(url(world.a_public_sv), {**GOOD, "country": "gt"}, format="json")
    assert response.status_code == 201
    assert ProgressUpdate.objects.get(pk=response.json()["id"]).country == world.gt


def test_focal_point_of_another_country_gets_403_and_nothing_is_stored(world, api, focal_gt):
    before = ProgressUpdate.objects.count()
    response = api(focal_gt).post(url(world.a_partners_sv), GOOD, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    response = api(focal_gt).post(url(world.a_public_sv), {**GOOD, "country": "SV"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "You are not a focal point for El Salvador."
    assert ProgressUpdate.objects.count() == before


@pytest.mark.parametrize("actor", ["partner_user", "secretariat_user", "staff_outsider"])
def test_non_focal_points_get_403(world, api, request, actor):
    before = ProgressUpdate.objects.count()
    response = api(request.getfixturevalue(actor)).post(url(world.a_public_sv), GOOD, format="json")
    assert response.status_code == 403
    assert ProgressUpdate.objects.count() == before


def test_partner_token_gets_403(world, api, partner_token):
    response = api(token=partner_token).post(url(world.a_public_sv), GOOD, format="json")
    assert response.status_code == 403


def test_anonymous_gets_401_and_nothing_is_stored(world, api):
    before = ProgressUpdate.objects.count()
    response = api().post(url(world.a_public_sv), GOOD, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"
    assert ProgressUpdate.objects.count() == before


def test_action_the_caller_cannot_see_is_404(world, api, focal_sv):
    assert api(focal_sv).post(url(world.a_internal_hn), GOOD, format="json").status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"percent_complete": 150}, "percent_complete"),
        ({"percent_complete": -1}, "percent_complete"),
        ({"percent_complete": "half"}, "percent_complete"),
        ({"status": "finished"}, "status"),
        ({"narrative": ""}, "narrative"),
        ({"evidence_url": "not a link"}, "evidence_url"),
        ({"country": "ZZ"}, "country"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_stores_nothing(world, api, focal_sv, change, field):
    before = ProgressUpdate.objects.count()
    response = api(focal_sv).post(url(world.a_partners_sv), {**GOOD, **change}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [field]
    assert body["errors"][field][0]
    assert ProgressUpdate.objects.count() == before


def test_rule_broken_in_the_model_is_400_with_the_message(world, api, focal_sv):
    before = ProgressUpdate.objects.count()
    response = api(focal_sv).post(url(world.a_partners_sv), {**GOOD, "status": "completed"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] != {}
    assert ProgressUpdate.objects.count() == before


def test_multipart_with_an_evidence_file(world, api, focal_sv):
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    response = api(focal_sv).post(url(world.a_partners_sv), {**GOOD, "evidence_file": pdf}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["has_evidence_file"] is True
    update = ProgressUpdate.objects.get(pk=response.json()["id"])
    assert update.evidence_file.read().startswith(b"%PDF-")


def test_multipart_evidence_is_stored_under_the_extension_of_its_checked_type(world, api, focal_sv):
    png = SimpleUploadedFile("photo.html", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, content_type="text/html")
    response = api(focal_sv).post(url(world.a_partners_sv), {**GOOD, "evidence_file": png}, format="multipart")
    assert response.status_code == 201, response.content
    stored = ProgressUpdate.objects.get(pk=response.json()["id"]).evidence_file.name
    assert stored.startswith("evidence/")
    assert re.search(r"/photo(_[A-Za-z0-9]{7})?\.png$", stored), stored


def test_multipart_with_a_file_of_the_wrong_type_is_400(world, api, focal_sv):
    before = ProgressUpdate.objects.count()
    fake = SimpleUploadedFile("report.pdf", b"MZ this is not a pdf", content_type="application/pdf")
    response = api(focal_sv).post(url(world.a_partners_sv), {**GOOD, "evidence_file": fake}, format="multipart")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["evidence_file"]
    assert ProgressUpdate.objects.count() == before


def test_if_match_with_the_current_etag_is_accepted(world, api, focal_sv):
    client = api(focal_sv)
    etag = client.get(f"/api/v1/actions/{world.a_partners_sv.pk}/")["ETag"]
    response = client.post(url(world.a_partners_sv), GOOD, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 201


def test_stale_if_match_is_412_and_nothing_changes(world, api, focal_sv):
    client = api(focal_sv)
    etag = client.get(f"/api/v1/actions/{world.a_partners_sv.pk}/")["ETag"]
    assert client.post(url(world.a_partners_sv), GOOD, format="json").status_code == 201  # the action moves on
    before = ProgressUpdate.objects.count()
    version = Action.objects.get(pk=world.a_partners_sv.pk).version
    response = client.post(url(world.a_partners_sv), GOOD, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    assert ProgressUpdate.objects.count() == before
    assert Action.objects.get(pk=world.a_partners_sv.pk).version == version


def test_etag_in_another_language_still_matches(world, api, focal_sv):
    etag = api(focal_sv, language="es").get(f"/api/v1/actions/{world.a_partners_sv.pk}/")["ETag"]
    response = api(focal_sv).post(url(world.a_partners_sv), GOOD, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 201


def test_stale_version_field_is_409_with_the_current_version(world, api, focal_sv):
    before = ProgressUpdate.objects.count()
    Action.objects.filter(pk=world.a_partners_sv.pk).update(version=5)
    response = api(focal_sv).post(url(world.a_partners_sv), {**GOOD, "version": 4}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    assert body["current"] == {
        "id": world.a_partners_sv.pk,
        "version": 5,
        "etag": f'"{world.a_partners_sv.pk}-v5-en"',
    }
    assert ProgressUpdate.objects.count() == before
