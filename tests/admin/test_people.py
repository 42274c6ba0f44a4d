"""Focal points (from the country page and the user page), users, and partners' API tokens."""

from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import Profile
from countries.models import FocalPoint
from tests.admin.conftest import change_form_data
from tests.factories import UserFactory

User = get_user_model()


def test_assign_focal_point_from_country_page(client_for, secretariat_user, el_salvador):
    official = UserFactory(username="new-official")
    client = client_for(secretariat_user)
    url = reverse("admin:countries_country_change", args=[el_salvador.pk])
    data = change_form_data(client.get(url))
    prefix = "focal_points"
    assert data[f"{prefix}-TOTAL_FORMS"] == "0"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-user": str(official.pk),
            f"{prefix}-0-role_title": "Director of migration policy",
            f"{prefix}-0-is_active": "on",
            f"{prefix}-0-country": str(el_salvador.pk),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    focal_point = FocalPoint.objects.get(user=official)
    assert (focal_point.country, focal_point.role_title, focal_point.is_active) == (
        el_salvador,
        "Director of migration policy",
        True,
    )


def test_assign_focal_point_from_user_page(client_for, secretariat_user, guatemala):
    official = UserFactory(username="gt-official")
    client = client_for(secretariat_user)
    url = reverse("admin:auth_user_change", args=[official.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = change_form_data(page)
    data.update(
        {
            "focal_points-TOTAL_FORMS": "1",
            "focal_points-0-country": str(guatemala.pk),
            "focal_points-0-is_active": "on",
            "focal_points-0-user": str(official.pk),
            "profile-0-preferred_language": "en",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert list(FocalPoint.objects.filter(user=official).values_list("country__code", "is_active")) == [("GT", True)]
    assert Profile.objects.get(user=official).preferred_language == "en"


def test_focal_points_deactivated_not_deleted(client_for, secretariat_user, focal_sv):
    focal_point = FocalPoint.objects.get(user=focal_sv)
    client = client_for(secretariat_user)
    response = client.post(
        reverse("admin:countries_focalpoint_changelist"),
        {"action": "deactivate_selected", "index": "0", helpers.ACTION_CHECKBOX_NAME: [focal_point.pk]},
    )
    assert response.status_code == 302
    focal_point.refresh_from_db()
    assert focal_point.is_active is False
    delete_url = reverse("admin:countries_focalpoint_delete", args=[focal_point.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert FocalPoint.objects.filter(pk=focal_point.pk).exists()


def test_secretariat_cannot_change_passwords_or_grant_superuser(client_for, secretariat_user, focal_sv):
    client = client_for(secretariat_user)
    password_url = reverse("admin:auth_user_password_change", args=[focal_sv.pk])
    assert client.get(password_url).status_code == 403
    url = reverse("admin:auth_user_change", args=[secretariat_user.pk])
    data = change_form_data(client.get(url))
    data["is_superuser"] = "on"
    client.post(url, data)
    secretariat_user.refresh_from_db()
    assert secretariat_user.is_superuser is False


def test_secretariat_cannot_change_superuser_account(client_for, secretariat_user):
    root = UserFactory(username="root-account", is_staff=True, is_superuser=True)
    url = reverse("admin:auth_user_change", args=[root.pk])
    response = client_for(secretariat_user).post(url, {"username": "renamed", "is_active": ""})
    assert response.status_code == 403
    root.refresh_from_db()
    assert (root.username, root.is_active) == ("root-account", True)


def test_issue_and_revoke_partner_token(client_for, secretariat_user, partner_user):
    client = client_for(secretariat_user)
    response = client.post(reverse("admin:authtoken_tokenproxy_add"), {"user": partner_user.pk})
    assert response.status_code == 302
    token = Token.objects.get(user=partner_user)
    assert len(token.key) == 40
    listing = client.get(reverse("admin:authtoken_tokenproxy_changelist"))
    assert partner_user.username in listing.text
    delete_url = reverse("admin:authtoken_tokenproxy_delete", args=[partner_user.pk])
    response = client.post(delete_url, {"post": "yes"})
    assert response.status_code == 302
    assert not Token.objects.filter(user=partner_user).exists()


def test_token_only_for_partners(client_for, secretariat_user, focal_sv):
    response = client_for(secretariat_user).post(reverse("admin:authtoken_tokenproxy_add"), {"user": focal_sv.pk})
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["user"]
    assert not Token.objects.filter(user=focal_sv).exists()


def test_staff_outside_group_cannot_issue_tokens(client_for, staff_outsider, partner_user):
    response = client_for(staff_outsider).post(reverse("admin:authtoken_tokenproxy_add"), {"user": partner_user.pk})
    assert response.status_code == 403
    assert not Token.objects.exists()


def test_secretariat_creates_account_without_password(client_for, secretariat_user, el_salvador):
    client = client_for(secretariat_user)
    page = client.get(reverse("admin:auth_user_add"))
    assert page.status_code == 200
    assert "password1" not in page.text
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "ana.official",
            "email": "ana@example.gob.sv",
            "first_name": "Ana",
            "last_name": "Pérez",
            "focal_points-TOTAL_FORMS": "1",
            "focal_points-INITIAL_FORMS": "0",
            "focal_points-0-country": str(el_salvador.pk),
            "focal_points-0-is_active": "on",
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "0",
            "profile-0-preferred_language": "es",
            "profile-0-receive_digests": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="ana.official")
    assert (user.email, user.is_staff, user.is_superuser) == ("ana@example.gob.sv", False, False)
    assert user.has_usable_password() is False
    assert list(user.focal_points.values_list("country__code", flat=True)) == ["SV"]


def test_new_account_needs_unique_email(client_for, secretariat_user, focal_sv):
    response = client_for(secretariat_user).post(
        reverse("admin:auth_user_add"),
        {
            "username": "someone-else",
            "email": focal_sv.email.upper(),
            "focal_points-TOTAL_FORMS": "0",
            "focal_points-INITIAL_FORMS": "0",
            "profile-TOTAL_FORMS": "0",
            "profile-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"email": ["Another account already uses this email address."]}
    assert not User.objects.filter(username="someone-else").exists()
