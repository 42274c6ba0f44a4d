"""Evidence downloads: the update's country's focal points, the secretariat, and whoever may see it approved."""

import pytest

from roadmaps.models import Visibility
from roadmaps.services import progress_update_approve, progress_update_submit
from tests.workspace.conftest import minimal_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_with_file(focal_sv, el_salvador, action_sv, pdf_upload):
    return progress_update_submit(
        action=action_sv,
        country=el_salvador,
        author=focal_sv,
        status="on_track",
        percent_complete=60,
        narrative="With evidence.",
        evidence_file=pdf_upload,
    )


def url(update):
    return f"/en/updates/{update.pk}/evidence/"


def test_evidence_focal_point_of_the_country_downloads_it(client_for, focal_sv, pending_with_file):
    response = client_for(focal_sv).get(url(pending_with_file))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == minimal_pdf()
    # The stored name, made safe: no spaces, no path.
    assert response["Content-Disposition"].startswith('attachment; filename="informe_final')
    assert response["Content-Disposition"].endswith('.pdf"')
    assert response["Content-Type"] == "application/pdf"


def test_evidence_secretariat_downloads_it(client_for, secretariat_user, pending_with_file):
    assert client_for(secretariat_user).get(url(pending_with_file)).status_code == 200


def test_evidence_of_a_pending_update_is_hidden_from_another_country(client_for, focal_gt, pending_with_file):
    # Hidden answers as missing does (404), so the address does not tell which updates exist.
    hidden = client_for(focal_gt).get(url(pending_with_file))
    missing = client_for(focal_gt).get("/en/updates/999999/evidence/")
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert "Page not found" in hidden.content.decode()
    assert "Page not found" in missing.content.decode()


def test_evidence_of_a_pending_update_is_hidden_from_a_partner(client_for, partner_user, pending_with_file):
    assert client_for(partner_user).get(url(pending_with_file)).status_code == 404


def test_evidence_of_a_pending_update_sends_anonymous_to_sign_in(client, pending_with_file):
    response = client.get(url(pending_with_file))
    assert response.status_code == 302
    assert response["Location"] == f"/en/accounts/login/?next=/en/updates/{pending_with_file.pk}/evidence/"


def test_evidence_of_an_approved_public_update_is_public(
    client, client_for, focal_gt, secretariat_user, pending_with_file
):
    progress_update_approve(update=pending_with_file, reviewer=secretariat_user)
    assert client.get(url(pending_with_file)).status_code == 200
    assert client_for(focal_gt).get(url(pending_with_file)).status_code == 200


def test_evidence_of_an_approved_internal_update_stays_private(
    client, client_for, partner_user, secretariat_user, roadmap_sv, pending_with_file
):
    progress_update_approve(update=pending_with_file, reviewer=secretariat_user)
    roadmap_sv.visibility = Visibility.INTERNAL
    roadmap_sv.save()
    assert client.get(url(pending_with_file)).status_code == 302
    assert client_for(partner_user).get(url(pending_with_file)).status_code == 404


def test_evidence_update_without_file_is_404(client_for, focal_sv, el_salvador, action_sv):
    update = progress_update_submit(
        action=action_sv, country=el_salvador, author=focal_sv, status="on_track", percent_complete=1, narrative="n"
    )
    assert client_for(focal_sv).get(url(update)).status_code == 404


def test_evidence_link_is_shown_on_the_workspace(client_for, focal_sv, pending_with_file):
    html = client_for(focal_sv).get("/en/my/").content.decode()
    assert f'href="/en/updates/{pending_with_file.pk}/evidence/"' in html
