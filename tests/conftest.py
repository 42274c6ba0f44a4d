"""Actors built once per test: secretariat, focal points of El Salvador and Guatemala, a partner,
a staff user outside the Secretariat group, and the anonymous visitor (Django's test client); and the
shared world of roadmaps × visibility × review states over them (tests/world.py)."""

import pytest
from rest_framework.authtoken.models import Token

from tests import world as shared
from tests.factories import CountryFactory


@pytest.fixture
def groups(db):
    return shared.make_groups()


@pytest.fixture
def el_salvador(db):
    return CountryFactory(code="SV")


@pytest.fixture
def guatemala(db):
    return CountryFactory(code="GT")


@pytest.fixture
def secretariat_user(groups):
    return shared.make_secretariat(groups)


@pytest.fixture
def staff_outsider(db):
    return shared.make_staff_outsider()


@pytest.fixture
def focal_sv(el_salvador):
    return shared.make_focal(el_salvador)


@pytest.fixture
def focal_gt(guatemala):
    return shared.make_focal(guatemala)


@pytest.fixture
def partner_user(groups):
    return shared.make_partner(groups)


@pytest.fixture
def partner_token(partner_user):
    return Token.objects.create(user=partner_user).key


@pytest.fixture
def world(db, el_salvador, guatemala, partner_user, focal_sv, focal_gt, staff_outsider, secretariat_user):
    """The shared world (tests/world.py), built for this test: it may write to it."""
    users = {
        "anon": None,
        "partner": partner_user,
        "focal_sv": focal_sv,
        "focal_gt": focal_gt,
        "staff": staff_outsider,
        "secretariat": secretariat_user,
    }
    return shared.build_world(el_salvador, guatemala, users)


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
