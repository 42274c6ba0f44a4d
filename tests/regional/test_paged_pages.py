"""Every page is paged or summarised (issue 22): the country, objective and roadmap pages, a focal
point's practices and /my/ render a bounded number of rows, and their query count does not grow with
the data behind the page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practices.models import GoodPractice, PracticeStatus
from regional import views
from roadmaps.models import ReviewState
from tests.factories import ActionFactory, ObjectiveFactory, ProgressUpdateFactory, RoadmapFactory

pytestmark = pytest.mark.django_db

PER_PAGE = 4


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(views, "ACTIONS_PER_PAGE", PER_PAGE)
    monkeypatch.setattr(views, "ROADMAP_LIMIT", 2)


def _rows(html, marker):
    return len(re.findall(marker, html))


def _grow(el_salvador, objective, roadmap, n):
    for _ in range(n):
        ActionFactory(roadmap=roadmap, countries=[el_salvador], objectives=[objective])
    for _ in range(n // 3):
        RoadmapFactory(objectives=[objective], countries=[el_salvador])


def _measure(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["country", "objective", "roadmap"])
def test_a_page_renders_one_page_of_actions_and_its_queries_do_not_grow(client, el_salvador, page):
    objective = ObjectiveFactory(number=7)
    roadmap = RoadmapFactory(slug="big", objectives=[objective], countries=[el_salvador])
    url = {"country": "/en/countries/SV/", "objective": "/en/objectives/7/", "roadmap": "/en/roadmaps/big/"}[page]
    marker = 'class="timeline__row"' if page == "roadmap" else r'<a href="/en/actions/\d+/">'
    _grow(el_salvador, objective, roadmap, 6)  # already more than a page, and more roadmaps than shown
    _html, few = _measure(client, url)
    _grow(el_salvador, objective, roadmap, 12)
    html, many = _measure(client, url)
    assert _rows(html, marker) == PER_PAGE
    assert "page=2" in html and "Page 1 of" in html
    assert many == few, "the page's queries grew with the data"
    last, _queries = _measure(client, url + "?page=5")
    assert 0 < _rows(last, marker) <= PER_PAGE
    if page != "roadmap":  # the roadmaps table: the first ROADMAP_LIMIT, and a link to all of them
        assert _rows(html, 'class="roadmap-table') == 1 and "roadmaps/?" in html


def test_my_practices_are_paged(client, focal_sv, el_salvador):
    from practices import views as practice_views

    for n in range(practice_views.PAGE_SIZE + 3):
        practice = GoodPractice.objects.create(
            title_en=f"Practice {n}", title_es=f"Práctica {n}", status=PracticeStatus.DRAFT, author=focal_sv
        )
        practice.countries.set([el_salvador])
    client.force_login(focal_sv)
    html = client.get("/en/practices/mine/").content.decode()
    assert _rows(html, r'<a href="/en/practices/\d+/">') == practice_views.PAGE_SIZE
    assert "page=2" in html


def test_my_workspace_lists_a_bounded_number_of_updates(client, focal_sv, el_salvador):
    from workspace import views as workspace_views

    action = ActionFactory(countries=[el_salvador])
    for _ in range(workspace_views.LIST_LIMIT + 5):
        ProgressUpdateFactory(action=action, country=el_salvador, author=focal_sv, review_state=ReviewState.SUBMITTED)
    client.force_login(focal_sv)
    html = client.get("/en/my/").content.decode()
    assert _rows(html, "ws-update--pending") == workspace_views.LIST_LIMIT
    assert f"of {workspace_views.LIST_LIMIT + 5} are listed" in html
