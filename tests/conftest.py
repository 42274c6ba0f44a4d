"""Actors built once per test: secretariat, focal points of El Salvador and Guatemala, a partner,
a staff user outside the Secretariat group, and the anonymous visitor (Django's test client); and the
shared world of roadmaps × visibility × review states over them (tests/world.py)."""

from collections.abc import Mapping

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


class _Personas(Mapping):
    """role → user, each built by its fixture only when asked for (a test pays for the personas it uses)."""

    FIXTURES = {
        "partner": "partner_user",
        "focal_sv": "focal_sv",
        "focal_gt": "focal_gt",
        "staff": "staff_outsider",
        "secretariat": "secretariat_user",
    }

    def __init__(self, request):
        self.request = request

    def __getitem__(self, role):
        return None if role == "anon" else self.request.getfixturevalue(self.FIXTURES[role])

    def __iter__(self):
        return iter(shared.ROLES)

    def __len__(self):
        return len(shared.ROLES)


@pytest.fixture
def world(request, db, el_salvador, guatemala):
    """The shared world (tests/world.py), built for this test: it may write to it."""
    return shared.build_world(el_salvador, guatemala, _Personas(request))


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
