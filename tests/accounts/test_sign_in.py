"""Sign-in in the preferred language, sign-out, the profile page, password reset by e-mail."""

import re

import pytest
from django.conf import settings
from django.core import mail

from accounts.models import Profile, profile_for
from notifications.models import SentMessage
from tests.factories import UserFactory
from tests.queue import forget_jobs, run_queue

pytestmark = pytest.mark.django_db

PASSWORD = "pass-1234-word"


def sign_in(client, username, language="en", next_url=None):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(f"/{language}/accounts/login/", data)


def test_sign_in_page_renders_in_both_languages(client):
    assert '<label for="id_username">' in client.get("/en/accounts/login/").content.decode()
    assert "¿Olvidó su contraseña?" in client.get("/es/accounts/login/").content.decode()


def test_sign_in_takes_a_spanish_speaker_to_the_spanish_workspace(client, focal_sv):
    profile_for(focal_sv)  # default language: Spanish
    response = sign_in(client, focal_sv.username, "en")
    assert response.status_code == 302
    assert response["Location"] == "/es/my/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_sign_in_keeps_the_page_asked_for_in_the_preferred_language(client, focal_sv):
    Profile.objects.create(user=focal_sv, preferred_language="en")
    response = sign_in(client, focal_sv.username, "es", next_url="/es/actions/7/report/?answer=3")
    assert response["Location"] == "/en/actions/7/report/?answer=3"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_sign_in_refuses_a_foreign_next_url(client, focal_sv):
    response = sign_in(client, focal_sv.username, "en", next_url="https://evil.example/")
    assert response["Location"] == "/es/my/"


def test_sign_in_sends_the_secretariat_to_the_admin(client, secretariat_user):
    assert sign_in(client, secretariat_user.username)["Location"] == "/admin/"


def test_sign_in_sends_a_partner_to_the_dashboard_in_their_language(client, partner_user):
    Profile.objects.create(user=partner_user, preferred_language="en")
    assert sign_in(client, partner_user.username, "es")["Location"] == "/en/"


def test_sign_in_wrong_password_stays_on_the_form(client, focal_sv):
    response = client.post("/es/accounts/login/", {"username": focal_sv.username, "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert list(response.context["form"].non_field_errors()) == [
        "Por favor, introduzca un nombre de usuario y clave correctos. Observe que ambos campos pueden ser sensibles "
        "a mayúsculas."
    ]


def test_sign_out_by_post(client_for, focal_sv):
    client = client_for(focal_sv)
    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_profile_anonymous_is_sent_to_sign_in(client):
    assert client.get("/en/accounts/profile/")["Location"] == "/en/accounts/login/?next=/en/accounts/profile/"


def test_profile_shows_labels_and_countries(client_for, focal_sv):
    html = client_for(focal_sv).get("/es/accounts/profile/").content.decode()
    assert '<label for="id_preferred_language">Idioma preferido</label>' in html
    assert "Recibir resúmenes de recordatorios</label>" in html
    assert "Punto focal de:" in html
    assert "El Salvador" in html


def test_profile_change_language_and_digests(client_for, focal_sv):
    client = client_for(focal_sv)
    response = client.post("/es/accounts/profile/", {"preferred_language": "en"})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/profile/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    profile = Profile.objects.get(user=focal_sv)
    assert (profile.preferred_language, profile.receive_digests) == ("en", False)
    assert "Your profile was saved." in client.get("/en/accounts/profile/").content.decode()


def test_profile_unknown_language_is_a_field_error(client_for, focal_sv):
    response = client_for(focal_sv).post("/en/accounts/profile/", {"preferred_language": "fr"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["preferred_language"]
    assert Profile.objects.get(user=focal_sv).preferred_language == "es"


def test_profile_each_user_edits_only_their_own(client_for, focal_sv, focal_gt):
    client_for(focal_gt).post("/en/accounts/profile/", {"preferred_language": "en", "receive_digests": "on"})
    assert profile_for(focal_sv).preferred_language == "es"
    assert profile_for(focal_gt).preferred_language == "en"


@pytest.mark.django_db(transaction=True)
def test_password_reset_by_email_end_to_end(client):
    forget_jobs()
    user = UserFactory(username="forgetful", email="forgetful@example.org")
    response = client.post("/es/accounts/password-reset/", {"email": "forgetful@example.org"})
    assert response["Location"] == "/es/accounts/password-reset/sent/"
    assert mail.outbox == []  # queued: a worker sends it, with a token it makes itself
    run_queue()
    assert len(mail.outbox) == 1
    record = SentMessage.objects.get()
    assert (record.kind, record.status, record.language, record.body_text) == ("password_reset", "sent", "es", "")
    message = mail.outbox[0]
    assert message.to == ["forgetful@example.org"]
    assert message.subject == "Restablezca su contraseña del Seguimiento de Hojas de Ruta del Pacto Mundial"
    assert "Hola, forgetful:" in message.body
    link = re.search(r"http://testserver(/es/accounts/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "a-new-pass-9876", "new_password2": "a-new-pass-9876"})
    assert done["Location"] == "/es/accounts/reset/done/"
    user.refresh_from_db()
    assert user.check_password("a-new-pass-9876")
    # The link works once.
    assert client.get(link, follow=True).context["validlink"] is False
    forget_jobs()


def test_password_reset_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post("/en/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/en/accounts/password-reset/sent/"
    assert mail.outbox == []
    assert "If an account has that address" in client.get("/en/accounts/password-reset/sent/").content.decode()
