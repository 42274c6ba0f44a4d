"""Who reaches /admin/: the Secretariat group (and superusers) only."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import SECRETARIAT_GROUP
from tests.factories import UserFactory

CHANGELISTS = [
    "admin:countries_country_changelist",
    "admin:countries_focalpoint_changelist",
    "admin:gcm_objective_changelist",
    "admin:gcm_guidingprinciple_changelist",
    "admin:gcm_organization_changelist",
    "admin:gcm_forum_changelist",
    "admin:roadmaps_theme_changelist",
    "admin:roadmaps_roadmap_changelist",
    "admin:roadmaps_action_changelist",
    "admin:roadmaps_progressupdate_changelist",
    "admin:accounts_profile_changelist",
    "admin:auth_user_changelist",
    "admin:authtoken_tokenproxy_changelist",
]
ADD_PAGES = [
    "admin:countries_focalpoint_add",
    "admin:roadmaps_theme_add",
    "admin:roadmaps_roadmap_add",
    "admin:roadmaps_action_add",
    "admin:authtoken_tokenproxy_add",
]


@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelist_open_to_secretariat(client_for, secretariat_user, name):
    response = client_for(secretariat_user).get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ADD_PAGES)
def test_add_page_open_to_secretariat(client_for, secretariat_user, name):
    response = client_for(secretariat_user).get(reverse(name))
    assert response.status_code == 200


def test_index_lists_the_tracker_for_secretariat(client_for, secretariat_user):
    response = client_for(secretariat_user).get(reverse("admin:index"))
    assert response.status_code == 200
    models = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert {"Roadmap", "Action", "ProgressUpdate", "Country", "FocalPoint", "TokenProxy", "User"} <= models
    # Django internals stay with superusers.
    assert "Group" not in models
    assert "Permission" not in models


@pytest.mark.parametrize("name", [*CHANGELISTS, "admin:index", "admin:roadmaps_roadmap_import"])
def test_staff_outside_group_refused(client_for, staff_outsider, name):
    response = client_for(staff_outsider).get(reverse(name))
    assert response.status_code == 403


def test_staff_outside_group_refused_even_with_model_permissions(client_for, db):
    from django.contrib.auth.models import Permission

    user = UserFactory(username="staff-with-perms", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_roadmap"))
    response = client_for(user).get(reverse("admin:roadmaps_roadmap_changelist"))
    assert response.status_code == 403


@pytest.mark.parametrize("actor", ["focal_sv", "partner_user"])
def test_non_staff_sent_to_admin_login(client_for, request, actor):
    user = request.getfixturevalue(actor)
    url = reverse("admin:roadmaps_progressupdate_changelist")
    response = client_for(user).get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


def test_anonymous_sent_to_admin_login(client_for, db):
    url = reverse("admin:index")
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


def test_focal_point_cannot_sign_in_to_admin(client, focal_sv):
    response = client.post(
        reverse("admin:login"), {"username": focal_sv.username, "password": "pass-1234-word"}, follow=False
    )
    # The admin's login form refuses non-staff accounts: the form comes back with an error.
    assert response.status_code == 200
    assert response.context["form"].errors


def test_secretariat_signs_in_at_admin_login(client, secretariat_user):
    response = client.post(
        reverse("admin:login"),
        {"username": secretariat_user.username, "password": "pass-1234-word", "next": reverse("admin:index")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_superuser_allowed(client_for, db):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    assert client_for(root).get(reverse("admin:roadmaps_roadmap_changelist")).status_code == 200


def test_inactive_secretariat_member_refused(client_for, secretariat_user):
    secretariat_user.is_active = False
    secretariat_user.save()
    response = client_for(secretariat_user).get(reverse("admin:index"))
    assert response.status_code == 302


def test_secretariat_group_holds_exact_permissions(groups):
    codenames = set(groups[SECRETARIAT_GROUP].permissions.values_list("codename", flat=True))
    for model in ("roadmap", "action", "progressupdate", "focalpoint", "country", "tokenproxy"):
        assert {f"view_{model}", f"add_{model}", f"change_{model}", f"delete_{model}"} <= codenames
    assert {"view_user", "change_user"} <= codenames
    assert {"add_user"} <= codenames
    assert not {"delete_user", "change_group", "change_permission"} & codenames
    assert Group.objects.filter(name=SECRETARIAT_GROUP).count() == 1


def test_admin_follows_language_cookie(client_for, secretariat_user):
    from django.conf import settings

    client = client_for(secretariat_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = client.get(reverse("admin:roadmaps_roadmap_changelist"))
    assert response.headers["Content-Language"] == "es"
    assert "Importar desde hoja de cálculo" in response.text
    assert "Exportar a Excel" in response.text
