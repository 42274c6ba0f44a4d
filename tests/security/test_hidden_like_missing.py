"""Hidden and missing look the same, and permission comes before precondition (issue 19)."""

import pytest

pytestmark = pytest.mark.django_db


def test_practices_filtered_by_an_internal_action_answer_as_for_a_missing_one(world, db):
    for role in ("anon", "partner", "focal_gt"):
        client = world.api(role)
        internal = client.get(f"/api/v1/practices/?action={world.a_internal_hn.pk}")
        missing = client.get("/api/v1/practices/?action=999999")
        assert (internal.status_code, missing.status_code) == (200, 200)
        assert internal.json() == missing.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_a_partner_with_a_wrong_if_match_gets_403_not_412(world, db):
    response = world.api("partner").post(
        f"/api/v1/actions/{world.action_sv.pk}/progress-updates/",
        {"status": "on_track", "percent_complete": 10, "narrative": "x"},
        content_type="application/json",
        HTTP_IF_MATCH='"1-v999-en"',
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_the_focal_point_with_a_wrong_if_match_still_gets_412(world, db):
    response = world.api("focal_sv").post(
        f"/api/v1/actions/{world.action_sv.pk}/progress-updates/",
        {"status": "on_track", "percent_complete": 10, "narrative": "x"},
        content_type="application/json",
        HTTP_IF_MATCH='"1-v999-en"',
    )
    assert response.status_code == 412


def test_evidence_is_downloaded_under_the_extension_of_its_checked_type(world, db):
    update = world.u_approved
    update.evidence_file.save("x.html", update.evidence_file.open("rb"), save=True)
    response = world.web("anon").get(f"/en/updates/{update.pk}/evidence/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="x')
    assert response["Content-Disposition"].endswith('.pdf"')
