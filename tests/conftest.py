"""Actors built once per test: secretariat, focal points of El Salvador and Guatemala, a partner,
a staff user outside the Secretariat group, and the anonymous visitor (Django's test client)."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token

from accounts.groups import ensure_groups
from accounts.roles import PARTNERS_GROUP, SECRETARIAT_GROUP
from tests.factories import CountryFactory, FocalPointFactory, UserFactory


@pytest.fixture
def groups(db):
    ensure_groups()
    return {g.name: g for g in Group.objects.all()}


@pytest.fixture
def el_salvador(db):
    return CountryFactory(code="SV")


@pytest.fixture
def guatemala(db):
    return CountryFactory(code="GT")


@pytest.fixture
def secretariat_user(groups):
    user = UserFactory(username="secretariat-test", is_staff=True)
    user.groups.add(groups[SECRETARIAT_GROUP])
    return user


@pytest.fixture
def staff_outsider(db):
    """Staff flag, but not in the Secretariat group: must not reach secretariat-only things."""
    return UserFactory(username="staff-outsider", is_staff=True)


@pytest.fixture
def focal_sv(el_salvador):
    return FocalPointFactory(user=UserFactory(username="focal-sv-test"), country=el_salvador).user


@pytest.fixture
def focal_gt(guatemala):
    return FocalPointFactory(user=UserFactory(username="focal-gt-test"), country=guatemala).user


@pytest.fixture
def partner_user(groups):
    user = UserFactory(username="partner-test")
    user.groups.add(groups[PARTNERS_GROUP])
    return user


@pytest.fixture
def partner_token(partner_user):
    return Token.objects.create(user=partner_user).key


@pytest.fixture
def client_for(client):
    """`client_for(user)`: a Django test client signed in as `user` (None: anonymous)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


# The joint action of three countries (progress per country, reporting cycles): tests/progress_world.py.
from tests.progress_world import joint  # noqa: E402,F401
