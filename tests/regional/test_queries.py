"""The number of SQL queries of each page does not grow with the number of actions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roadmaps.models import ActionStatus, ReviewState
from tests.factories import (
    ActionFactory,
    CountryFactory,
    ObjectiveFactory,
    ProgressUpdateFactory,
    RoadmapFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

COUNTRIES = ["SV", "GT", "HN", "CR"]


def _build(n):
    objectives = [ObjectiveFactory(number=k) for k in (1, 2, 3)]
    countries = [CountryFactory(code=code) for code in COUNTRIES]
    roadmap = RoadmapFactory(slug="roadmap-q", objectives=objectives[:2], countries=countries)
    reviewer = UserFactory(username="reviewer-q", is_staff=True)
    actions = []
    for i in range(n):
        action = ActionFactory(
            roadmap=roadmap,
            code=f"Q{i}",
            title_en=f"Labour migration pilot number {i}",
            title_es=f"Piloto de migración laboral número {i}",
            countries=[countries[i % 4], countries[(i + 1) % 4]],
            objectives=[objectives[i % 3]] if i % 2 else [],
            status=ActionStatus.ON_TRACK,
            percent_complete=i % 100,
        )
        if actions:
            action.depends_on.add(actions[-1])
        ProgressUpdateFactory(
            action=action,
            country=countries[i % 4],
            review_state=ReviewState.APPROVED,
            reviewer=reviewer,
            reviewed_at=action.created_at,
        )
        actions.append(action)
    return actions


PAGES = [
    "/en/",
    "/en/roadmaps/",
    "/en/roadmaps/roadmap-q/",
    "/en/objectives/1/",
    "/en/countries/SV/",
    "/en/review/",
    "/en/review/?format=xlsx",
    "/en/review/?format=csv",
    "/en/collaboration/",
    "ACTION",
]


def _count(client, path, actions):
    if path == "ACTION":
        path = f"/en/actions/{actions[0].pk}/"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("actor", [None, "secretariat_user", "focal_sv"])
def test_query_count_is_the_same_for_2_and_20_actions(request, client_for, django_db_blocker, actor):
    user = request.getfixturevalue(actor) if actor else None
    client = client_for(user)
    actions = _build(2)
    few = {path: _count(client, path, actions) for path in PAGES}

    more = actions + [
        ActionFactory(roadmap=actions[0].roadmap, code=f"M{i}", countries=[actions[0].countries.first()])
        for i in range(18)
    ]
    many = {path: _count(client, path, more) for path in PAGES}

    assert many == few
    assert max(few.values()) <= 25


def test_dashboard_query_budget(client, django_assert_max_num_queries):
    _build(20)
    with django_assert_max_num_queries(8):
        client.get("/en/")


# Issue 22: the figures of a page derive the visible actions once per figure, not once per grouped
# query: the matrix and objective rows in one statement (was six), the headline totals in one (was
# three). Before: dashboard 13, objective 16, country 20, review 13 (an anonymous visitor, no cache).
# Then the objective page's figures from the shared grouping and its pager's count from them, and an
# action list prefetching only what its rows show (their countries' states): objective and country 14 → 11.
FIGURE_PAGE_BUDGETS = {"/en/": 8, "/en/objectives/1/": 11, "/en/countries/SV/": 11, "/en/review/": 10}


@pytest.mark.parametrize("path", FIGURE_PAGE_BUDGETS)
def test_figures_cost_a_few_queries_on_a_cache_miss(client, path):
    actions = _build(5)
    assert _count(client, path, actions) <= FIGURE_PAGE_BUDGETS[path]
