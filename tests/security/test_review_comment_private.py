"""The reviewer's comment is for the reporting country's focal points and the secretariat only: the
API's list, detail and CSV give everyone else "" (issue 19: the anonymous API returned it)."""

import pytest

from tests.security.conftest import REVIEW_COMMENT_SV

pytestmark = pytest.mark.django_db


def comments(world, role, path):
    response = world.api(role).get(path)
    assert response.status_code == 200
    body = response.json()
    rows = body.get("results", [body])
    return {row["id"]: row["review_comment"] for row in rows}


@pytest.mark.parametrize("role", ["anon", "partner", "staff", "focal_gt"])
def test_others_get_an_empty_comment_in_list_and_detail(world, role):
    approved = world.u_approved.pk
    assert comments(world, role, "/api/v1/progress-updates/")[approved] == ""
    assert comments(world, role, f"/api/v1/progress-updates/{approved}/") == {approved: ""}
    csv = world.api(role).get("/api/v1/progress-updates/?format=csv")
    assert REVIEW_COMMENT_SV not in b"".join(csv.streaming_content).decode()


@pytest.mark.parametrize("role", ["focal_sv", "secretariat"])
def test_the_countrys_focal_point_and_the_secretariat_read_it(world, role):
    approved = world.u_approved.pk
    assert comments(world, role, f"/api/v1/progress-updates/{approved}/") == {approved: REVIEW_COMMENT_SV}
    assert comments(world, role, "/api/v1/progress-updates/")[approved] == REVIEW_COMMENT_SV


def test_guatemalas_focal_point_reads_the_comment_on_its_own_returned_report(world):
    returned = world.u_returned.pk
    assert comments(world, "focal_gt", f"/api/v1/progress-updates/{returned}/") == {returned: "Add the evidence link."}
