"""Who sees what: anonymous / partner (token) / focal points / staff outside the secretariat / secretariat
× public / partners / internal / draft roadmaps and submitted / approved / returned updates."""

import pytest

from tests.api.conftest import keys

pytestmark = pytest.mark.django_db

ROADMAPS = {
    "anonymous": ["labour-public"],
    "staff_outsider": ["labour-public"],
    "partner": ["health-partners", "labour-public"],
    # A focal point adds partners roadmaps and every roadmap of their country, even a draft it leads.
    "focal_sv": ["draft-sv", "health-partners", "labour-public"],
    "focal_gt": ["health-partners", "labour-public"],
    "secretariat": ["draft-sv", "health-partners", "internal-hn", "labour-public"],
}
ACTIONS = {
    "anonymous": ["A1", "A2"],
    "staff_outsider": ["A1", "A2"],
    "partner": ["A1", "A2", "B1"],
    "focal_sv": ["A1", "A2", "B1", "D1"],
    "focal_gt": ["A1", "A2", "B1"],
    "secretariat": ["A1", "A2", "B1", "C1", "D1"],
}
UPDATES = {
    "anonymous": ["u_approved"],
    "staff_outsider": ["u_approved"],
    "partner": ["u_approved", "u_approved_partners"],
    "focal_sv": ["u_approved", "u_approved_partners", "u_submitted"],  # + El Salvador's own, any state
    "focal_gt": ["u_approved", "u_approved_partners", "u_returned"],  # + Guatemala's returned one
    "secretariat": ["u_approved", "u_approved_internal", "u_approved_partners", "u_returned", "u_submitted"],
}
ALL_UPDATES = ["u_approved", "u_approved_internal", "u_approved_partners", "u_returned", "u_submitted"]


@pytest.fixture
def client_as(api, request, partner_token):
    def make(actor):
        if actor == "anonymous":
            return api()
        if actor == "partner":
            return api(token=partner_token)
        user = request.getfixturevalue({"secretariat": "secretariat_user"}.get(actor, actor))
        return api(user)

    return make


@pytest.mark.parametrize("actor", list(ROADMAPS))
def test_roadmaps_visible_to(world, client_as, actor):
    client = client_as(actor)
    assert sorted(keys(client.get("/api/v1/roadmaps/"), "slug")) == ROADMAPS[actor]
    for slug in ["labour-public", "health-partners", "internal-hn", "draft-sv"]:
        expected = 200 if slug in ROADMAPS[actor] else 404
        assert client.get(f"/api/v1/roadmaps/{slug}/").status_code == expected, slug


@pytest.mark.parametrize("actor", list(ACTIONS))
def test_actions_visible_to(world, client_as, actor):
    client = client_as(actor)
    assert sorted(keys(client.get("/api/v1/actions/"), "code")) == ACTIONS[actor]
    for name in ["a_public_sv", "a_public_gt", "a_partners_sv", "a_internal_hn", "a_draft_sv"]:
        action = getattr(world, name)
        expected = 200 if action.code in ACTIONS[actor] else 404
        assert client.get(f"/api/v1/actions/{action.pk}/").status_code == expected, name
    # CSV gives the same rows.
    csv_text = b"".join(client.get("/api/v1/actions/?format=csv").streaming_content).decode()
    assert sorted(line.split(",")[2] for line in csv_text.splitlines()[1:]) == ACTIONS[actor]


@pytest.mark.parametrize("actor", list(UPDATES))
def test_progress_updates_visible_to(world, client_as, actor):
    client = client_as(actor)
    expected_ids = sorted(getattr(world, name).pk for name in UPDATES[actor])
    assert sorted(keys(client.get("/api/v1/progress-updates/"), "id")) == expected_ids
    for name in ALL_UPDATES:
        expected = 200 if name in UPDATES[actor] else 404
        assert client.get(f"/api/v1/progress-updates/{getattr(world, name).pk}/").status_code == expected, name


@pytest.mark.parametrize("actor", ["anonymous", "partner"])
def test_review_state_filter_never_reveals_unapproved_updates(world, client_as, actor):
    client = client_as(actor)
    for state in ["submitted", "returned"]:
        assert keys(client.get(f"/api/v1/progress-updates/?review_state={state}"), "id") == []


def test_stats_count_only_visible_actions(world, client_as):
    def actions_by_objective(actor):
        return {row["number"]: row["actions"] for row in client_as(actor).get("/api/v1/stats/objectives/").json()}

    anonymous, secretariat = actions_by_objective("anonymous"), actions_by_objective("secretariat")
    assert anonymous == {1: 1, 2: 1, 3: 1}
    assert secretariat == {1: 2, 2: 2, 3: 1}


def test_focal_point_sees_an_internal_roadmap_of_their_country(world, api):
    from rest_framework.authtoken.models import Token

    from tests.factories import FocalPointFactory, UserFactory

    focal_hn = FocalPointFactory(user=UserFactory(username="focal-hn-test"), country=world.hn).user
    client = api(token=Token.objects.create(user=focal_hn).key)
    assert sorted(keys(client.get("/api/v1/roadmaps/"), "slug")) == ["health-partners", "internal-hn", "labour-public"]
    assert sorted(keys(client.get("/api/v1/actions/"), "code")) == ["A1", "A2", "B1", "C1"]
    assert sorted(keys(client.get("/api/v1/progress-updates/"), "id")) == sorted(
        [world.u_approved.pk, world.u_approved_partners.pk, world.u_approved_internal.pk]
    )
