"""The admin's history reads like the rest of the admin: fields by their names, choices by their
labels, times local to the minute, and no "Deleted user (pk=None)" for a reviewer not yet set."""

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from roadmaps.models import ProgressUpdate

pytestmark = pytest.mark.django_db


def _returned_history_page(client, pending_update, language):
    client.post(
        reverse("admin:roadmaps_progressupdate_review", args=[pending_update.pk]),
        {"decision": "return", "comment": "Attach the signed minutes."},
    )
    client.cookies["django_language"] = language
    response = client.get(reverse("admin:roadmaps_progressupdate_history", args=[pending_update.pk]))
    assert response.status_code == 200
    return response.content.decode(), ProgressUpdate.history.filter(id=pending_update.pk).latest()


@pytest.mark.parametrize(
    ("language", "title", "label", "change"),
    [
        ("en", "Review state", "Returned", "<strong>Review state:</strong> Submitted &rarr; Returned"),
        ("es", "Estado de revisión", "Devuelto", "<strong>Estado de revisión:</strong> Enviado &rarr; Devuelto"),
    ],
)
def test_history_shows_names_labels_and_local_minutes(
    client_for, secretariat_user, pending_update, language, title, label, change
):
    html, latest = _returned_history_page(client_for(secretariat_user), pending_update, language)

    assert f'<th scope="col">{title}</th>' in html
    assert f"<td>{label}</td>" in html
    assert change in html
    assert "review_state" not in html and ">returned<" not in html
    with translation.override(language):
        reviewed = formats.date_format(timezone.localtime(latest.reviewed_at), "DATETIME_FORMAT")
        recorded = formats.date_format(timezone.localtime(latest.history_date), "DATETIME_FORMAT")
    assert f"&rarr; {reviewed}</li>" in html
    assert f"<td>{recorded}</td>" in html
    assert str(latest.reviewed_at) not in html  # no UTC time with microseconds
    assert "pk=None" not in html
    assert f"<strong>{'Reviewer' if language == 'en' else 'Revisor'}:</strong> — &rarr; {secretariat_user}" in html


def test_history_without_a_user_says_so_plainly(client_for, secretariat_user, pending_update):
    client = client_for(secretariat_user)
    _returned_history_page(client, pending_update, "en")
    # The user who made the change was deleted since (the link is set to NULL) or it was a command.
    ProgressUpdate.history.filter(id=pending_update.pk).update(history_user=None)
    html = client.get(reverse("admin:roadmaps_progressupdate_history", args=[pending_update.pk])).content.decode()
    assert ">None<" not in html.replace("\n", "").replace(" ", "")
    assert "Deleted user" not in html and "pk=None" not in html
