"""The dashboard's figures equal those computed by hand from the rows each test created."""

import re

import pytest
from django.urls import reverse

from tests.regional import expected

pytestmark = pytest.mark.django_db


def _picture_figures(picture):
    per_objective = {
        row.objective.number: (row.actions, row.countries, row.mean_percent)
        for row in picture.objectives
        if row.actions
    }
    cells = {
        (row.country.code, objective.number): (cell.actions, cell.mean_percent)
        for row in picture.matrix
        for objective, cell in row.cells
        if cell.actions
    }
    return per_objective, cells


def _visible(region, keys):
    return [region["actions"][k] for k in keys]


# The shared world's actions and roadmaps each viewer sees besides the region's: its public A1 and A2;
# its partners-only B1 for partners and focal points; its internal C1 and draft D1 for the secretariat.
WORLD_PUBLIC = (["a_public_sv", "a_public_gt"], ["public"])
WORLD_PARTNERS = (["a_public_sv", "a_public_gt", "a_partners_sv"], ["public", "partners"])
WORLD_ALL = (
    ["a_public_sv", "a_public_gt", "a_partners_sv", "a_internal_hn", "a_draft_sv"],
    ["public", "partners", "internal", "draft"],
)


@pytest.mark.parametrize(
    ("actor", "action_keys", "roadmap_keys", "in_world"),
    [
        (None, ["A1", "A2", "A3", "B1"], ["R1", "R2"], WORLD_PUBLIC),
        ("partner_user", ["A1", "A2", "A3", "B1", "P1"], ["R1", "R2", "P"], WORLD_PARTNERS),
        ("focal_gt", ["A1", "A2", "A3", "B1", "P1", "I1"], ["R1", "R2", "P", "I"], WORLD_PARTNERS),
        ("secretariat_user", ["A1", "A2", "A3", "B1", "P1", "I1"], ["R1", "R2", "P", "I"], WORLD_ALL),
        ("staff_outsider", ["A1", "A2", "A3", "B1"], ["R1", "R2"], WORLD_PUBLIC),
    ],
)
def test_dashboard_figures_equal_hand_computed_ones(
    request, client_for, world, region, actor, action_keys, roadmap_keys, in_world
):
    user = request.getfixturevalue(actor) if actor else None
    world_actions, world_roadmaps = in_world
    actions = _visible(region, action_keys) + [getattr(world, name) for name in world_actions]
    roadmap_keys = roadmap_keys + world_roadmaps

    response = client_for(user).get("/en/")

    assert response.status_code == 200
    assert response.context["totals"] == expected.totals(actions, roadmap_keys)
    per_objective, cells = _picture_figures(response.context["picture"])
    assert per_objective == expected.per_objective(actions)
    assert cells == expected.matrix(actions)


def test_dashboard_anonymous_figures_by_hand(client, region):
    """The same figures written out, so a mistake shared by the page and the helper cannot hide."""
    response = client.get("/en/")
    per_objective, cells = _picture_figures(response.context["picture"])

    # The region's public A1 (SV 40 %, objective 5), A2 (SV + GT 100 %, completed), A3 (GT 10 %, 3 days
    # late), B1 (HN 60 %, due in 5 days) — A2 and A3 with R1's objectives 1 and 2 — and the world's public
    # A1 (SV + GT 20 %, delayed, 10 days late, objectives 1 and 2) and A2 (GT 100 %, completed, objective 3).
    assert response.context["totals"] == {
        "roadmaps": 3,
        "actions": 6,
        "countries": 3,
        "completed": 2,
        "overdue": 2,
        "due_soon": 1,
        "cancelled": 0,
        "mean_percent": 55.0,  # (40 + 100 + 10 + 60 + 20 + 100) / 6
    }
    assert per_objective == {
        1: (3, 2, 43.3),  # (100 + 10 + 20) / 3
        2: (3, 2, 43.3),
        3: (1, 1, 100.0),
        5: (1, 1, 40.0),
        23: (1, 1, 60.0),
    }
    assert cells == {
        ("SV", 1): (2, 60.0),  # (100 + 20) / 2
        ("GT", 1): (3, 43.3),
        ("SV", 2): (2, 60.0),
        ("GT", 2): (3, 43.3),
        ("GT", 3): (1, 100.0),
        ("SV", 5): (1, 40.0),
        ("HN", 23): (1, 60.0),
    }
    html = response.content.decode()
    assert re.search(r'data-country="GT">.*?data-objective="1" data-actions="3"', html, re.S)
    assert [(a.roadmap.slug, a.code) for a in response.context["overdue"]] == [
        ("labour-public", "A1"),
        ("labour-mobility", "A3"),
    ]
    assert [a.code for a in response.context["due_soon"]] == ["B1"]
    assert {s["status"]: s["count"] for s in response.context["statuses"]} == {
        "not_started": 0,
        "on_track": 1,
        "at_risk": 1,
        "delayed": 2,
        "completed": 2,
        "cancelled": 0,
    }


def test_dashboard_is_in_english_and_spanish(client, region):
    english = client.get("/en/").content.decode()
    spanish = client.get("/es/").content.decode()

    assert "Regional dashboard" in english
    assert "Panel regional" in spanish
    assert "Countries and objectives" in english
    assert "Países y objetivos" in spanish


def test_dashboard_internal_and_partner_actions_stay_hidden_from_the_public(client, region):
    html = client.get(reverse("regional:dashboard")).content.decode()

    assert "P1 ·" not in html
    assert "I1 ·" not in html
    assert "A3 ·" in html  # overdue, public
