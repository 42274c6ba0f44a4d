"""The language switch goes to the same page in the other language whatever the browser's language,
signed in or not, the admin included; sign-in keeps a language chosen a moment before."""

import pytest
from django.conf import settings

from accounts.language import url_in_language
from accounts.models import Profile

pytestmark = pytest.mark.django_db

PASSWORD = "pass-1234-word"
COOKIE = settings.LANGUAGE_COOKIE_NAME


def switch(client, language, next_url, browser_language):
    return client.post(
        "/i18n/setlang/", {"language": language, "next": next_url}, HTTP_ACCEPT_LANGUAGE=browser_language
    )


@pytest.mark.parametrize("browser_language", ["en", "es", "es-SV,es;q=0.9", "fr"])
@pytest.mark.parametrize(
    ("language", "next_url", "expected"),
    [
        ("es", "/en/roadmaps/", "/es/roadmaps/"),
        ("en", "/es/roadmaps/", "/en/roadmaps/"),
        ("es", "/en/roadmaps/?q=migration&status=on_track", "/es/roadmaps/?q=migration&status=on_track"),
        ("en", "/es/countries/SV/", "/en/countries/SV/"),
        ("es", "/en/", "/es/"),
        ("en", "/es/no-such-page/", "/en/no-such-page/"),
        ("es", "/admin/roadmaps/action/", "/admin/roadmaps/action/"),
    ],
)
def test_switch_goes_to_the_same_page_in_the_chosen_language(client, browser_language, language, next_url, expected):
    response = switch(client, language, next_url, browser_language)
    assert response.status_code == 302
    assert response["Location"] == expected
    assert response.cookies[COOKIE].value == language


def test_switch_works_after_sign_in_set_the_other_language(client, secretariat_user):
    # The case: the profile says English, so sign-in set the cookie to English; then every
    # switch to Spanish sent the user back to the English page.
    Profile.objects.create(user=secretariat_user, preferred_language="en")
    secretariat_user.set_password(PASSWORD)
    secretariat_user.save()
    client.post("/es/accounts/login/", {"username": secretariat_user.username, "password": PASSWORD})
    assert client.cookies[COOKIE].value == "en"

    assert switch(client, "es", "/en/roadmaps/", "en")["Location"] == "/es/roadmaps/"
    assert switch(client, "en", "/es/my/", "es")["Location"] == "/en/my/"


def test_switch_in_the_admin_changes_the_admin_language(client_for, secretariat_user):
    client = client_for(secretariat_user)
    response = switch(client, "es", "/admin/", "en")
    assert response["Location"] == "/admin/"
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="es"' in html
    # The switch is in the admin's header, pointing back at the page it is on.
    assert '<form class="language-switch" action="/i18n/setlang/" method="post">' in html
    assert '<input name="next" type="hidden" value="/admin/">' in html

    switch(client, "en", "/admin/", "es")
    assert '<html lang="en"' in client.get("/admin/", HTTP_ACCEPT_LANGUAGE="es").content.decode()


def test_switch_without_next_uses_the_page_it_was_on(client):
    response = client.post("/i18n/setlang/", {"language": "en"}, HTTP_REFERER="http://testserver/es/review/?country=SV")
    assert response["Location"] == "http://testserver/en/review/?country=SV"


def test_switch_refuses_a_foreign_next_and_an_unknown_language(client):
    response = switch(client, "es", "https://evil.example/en/", "en")
    assert response["Location"] == "/"
    response = switch(client, "fr", "/en/roadmaps/", "en")
    assert response["Location"] == "/en/roadmaps/"
    assert COOKIE not in response.cookies


def test_switch_by_get_changes_nothing(client):
    response = client.get("/i18n/setlang/", {"language": "es", "next": "/en/roadmaps/"})
    assert response["Location"] == "/en/roadmaps/"
    assert COOKIE not in response.cookies


def _sign_in(client, user, page_language):
    user.set_password(PASSWORD)
    user.save()
    return client.post(f"/{page_language}/accounts/login/", {"username": user.username, "password": PASSWORD})


def test_sign_in_keeps_the_language_just_chosen_over_the_profile(client, focal_sv):
    Profile.objects.create(user=focal_sv, preferred_language="en")
    switch(client, "es", "/en/accounts/login/", "en")
    response = _sign_in(client, focal_sv, "es")
    assert response["Location"] == "/es/my/"
    assert response.cookies[COOKIE].value == "es"


def test_sign_in_without_a_choice_uses_the_profile(client, focal_sv):
    Profile.objects.create(user=focal_sv, preferred_language="en")
    response = _sign_in(client, focal_sv, "es")
    assert response["Location"] == "/en/my/"
    assert response.cookies[COOKIE].value == "en"


def test_sign_in_translates_a_next_page_of_the_other_language(client, focal_sv):
    # The sign-in page is English, the page asked for Spanish, the profile English.
    Profile.objects.create(user=focal_sv, preferred_language="en")
    focal_sv.set_password(PASSWORD)
    focal_sv.save()
    response = client.post(
        "/en/accounts/login/", {"username": focal_sv.username, "password": PASSWORD, "next": "/es/review/?country=SV"}
    )
    assert response["Location"] == "/en/review/?country=SV"


def test_url_in_language_leaves_unprefixed_urls_alone():
    assert url_in_language("/api/v1/actions/?search=x", "es") == "/api/v1/actions/?search=x"
    assert url_in_language("/english/", "es") == "/english/"
    assert url_in_language("/en", "es") == "/es"
    assert url_in_language("http://testserver/es/my/#due", "en") == "http://testserver/en/my/#due"
