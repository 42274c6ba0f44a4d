"""The number of SQL queries of every list does not grow with the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    ActionFactory,
    CountryFactory,
    ObjectiveFactory,
    OrganizationFactory,
    ProgressUpdateFactory,
    RoadmapFactory,
)

pytestmark = pytest.mark.django_db

# Anonymous: one query for the count and the page's JSON (api.paging.StandardPagination.json_page);
# actions: + the visible roadmaps' ids (api.roadmaps_actions.visible_actions).
# Token: + token lookup, groups, focal-point countries (visibility).
# Every request: + THROTTLE, the rate limit's one upsert (api.throttling; issue 22).
THROTTLE = 1
LISTS = {
    "countries": 1 + THROTTLE,
    "objectives": 1 + THROTTLE,
    "principles": 1 + THROTTLE,
    "organizations": 1 + THROTTLE,
    "forums": 1 + THROTTLE,
    "themes": 1 + THROTTLE,
    "roadmaps": 1 + THROTTLE,
    "actions": 2 + THROTTLE,
    "progress-updates": 1 + THROTTLE,
    # One statement: SET LOCAL jit = off and the query in one query string (roadmaps.figures.live);
    # was 4, a savepoint here around the two (the test runs inside a transaction).
    "stats/objectives": 1 + THROTTLE,
    "stats/countries": 1 + THROTTLE,
}


@pytest.fixture
def many(world):
    """Enough rows that every list has more than 20, each with several related codes."""
    countries = [CountryFactory(code=code) for code in ["CR", "MX", "PA", "CA", "US", "BZ", "DO", "NI", "CO"]]
    objectives = [ObjectiveFactory(number=n) for n in range(4, 24)]
    organizations = [OrganizationFactory(key=f"org-many-{n}") for n in range(20)]
    roadmaps = [
        RoadmapFactory(slug=f"many-{n}", countries=countries[:3], objectives=objectives[:4], theme=world.theme_labour)
        for n in range(20)
    ]
    for roadmap in roadmaps:
        roadmap.organizations.set(organizations[:3])
    actions = []
    for n in range(30):
        action = ActionFactory(
            roadmap=roadmaps[n % 20], countries=[world.sv, *countries[:2]], objectives=objectives[n % 5 : n % 5 + 3]
        )
        action.organizations.set(organizations[:2])
        actions.append(action)
    for action in actions:
        ProgressUpdateFactory(action=action, country=world.sv, review_state="submitted")
    return actions


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize(("name", "anonymous_queries"), list(LISTS.items()))
def test_query_count_is_the_same_for_one_row_and_a_full_page(many, api, secretariat_user, name, anonymous_queries):
    anonymous = api()
    one = count_queries(anonymous, f"/api/v1/{name}/?page_size=1")
    full = count_queries(anonymous, f"/api/v1/{name}/?page_size=50")
    assert one == full == anonymous_queries
    signed_in = api(secretariat_user)
    assert count_queries(signed_in, f"/api/v1/{name}/?page_size=1") == count_queries(
        signed_in, f"/api/v1/{name}/?page_size=50"
    )


def test_signed_in_partner_list_costs_three_more_queries_than_anonymous(many, api, partner_token):
    # 2 for the page, 1 checking that the country codes exist (an unknown one is a 400), 3 for the token.
    assert count_queries(api(token=partner_token), "/api/v1/actions/?page_size=50&country=SV") == 3 + 3 + THROTTLE


def test_csv_of_every_row_costs_one_query_and_the_throttle(many, api, secretariat_user):
    client = api()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/actions/?format=csv")
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 1 + 2 + 30  # the world's two public actions and the thirty made here
    assert len(queries) <= 2 + THROTTLE  # (a server-side cursor may be declared and read in one round)
