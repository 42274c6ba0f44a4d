"""The review report's detail rows, 100 to a page: order across pages, continued headings, the pager,
the objective filter, the downloads (every row), visibility on every page, and the Spanish page."""

import csv
import io
import re

import pytest

from roadmaps.models import ActionStatus, RoadmapStatus, Visibility
from tests.factories import ActionFactory, RoadmapFactory
from tests.regional.test_review import _expected_rows, _page_rows

pytestmark = pytest.mark.django_db


EXTRA = 60  # actions on the public roadmap R1 (objectives 1 and 2), each in SV and GT: 4 rows each


# The shared world's public rows: its A1 in SV and GT under objectives 1 and 2, its A2 in GT under 3.
WORLD_ROWS = 5


@pytest.fixture
def many(world, region):
    """The small region on the shared world, plus 60 public actions (240 rows), a draft roadmap's action
    and a partners one."""
    r1 = region["roadmaps"]["R1"]
    sv, gt = region["el_salvador"], region["guatemala"]
    extra = [
        ActionFactory(
            roadmap=r1,
            code=f"X{i:02d}",
            percent_complete=i,
            status=ActionStatus.ON_TRACK,
            countries=[sv, gt],
        )
        for i in range(EXTRA)
    ]
    draft = RoadmapFactory(slug="draft-roadmap", status=RoadmapStatus.DRAFT, objectives=r1.objectives.all())
    ActionFactory(roadmap=draft, code="D1", countries=[sv])
    partners = RoadmapFactory(slug="partners-2", visibility=Visibility.PARTNERS, objectives=r1.objectives.all())
    ActionFactory(roadmap=partners, code="P2", countries=[gt])
    public = [region["actions"][k] for k in ("A1", "A2", "A3", "B1")] + extra
    public += [world.a_public_sv, world.a_public_gt]
    return {**region, "public": public}


def _csv_rows(client, params=None):
    response = client.get("/en/review/", {**(params or {}), "format": "csv"})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [(int(r[0]), r[2], r[4], int(r[8])) for r in lines[1:]]


def _all_pages(client, params=None):
    first = client.get("/en/review/", params or {})
    rows, pages = _page_rows(first), first.context["page"].paginator.num_pages
    for number in range(2, pages + 1):
        rows += _page_rows(client.get("/en/review/", {**(params or {}), "page": number}))
    return rows


def test_page_two_shows_rows_101_to_200_in_the_report_order(client, many):
    expected = _expected_rows(many["public"])
    assert len(expected) == 8 + WORLD_ROWS + 4 * EXTRA

    first, second = client.get("/en/review/"), client.get("/en/review/", {"page": 2})

    assert _page_rows(first) == expected[:100]
    assert _page_rows(second) == expected[100:200]
    assert second.context["row_count"] == len(expected)
    assert second.context["page"].paginator.num_pages == 3


def test_a_group_carried_over_from_the_page_before_says_so(client, many):
    expected = _expected_rows(many["public"])
    second = client.get("/en/review/", {"page": 2})

    groups = second.context["groups"]
    assert groups[0]["number"] == expected[100][0] == expected[99][0]
    assert groups[0]["continued"] is True
    assert groups[0]["countries"][0]["continued"] is (expected[100][1] == expected[99][1])
    assert all(not g["continued"] for g in groups[1:])
    html = second.content.decode()
    assert re.search(rf"Objective {groups[0]['number']}: [^<]*\(continued\)</h2>", html)
    assert not client.get("/en/review/").context["groups"][0]["continued"]


def test_every_page_put_together_is_the_csv_download(client, many):
    assert _all_pages(client) == _csv_rows(client) == _expected_rows(many["public"])


def test_pages_and_download_agree_with_filters(client, many):
    params = {"countries": ["GT"], "objective": "2"}

    rows = _all_pages(client, params)

    assert rows == _csv_rows(client, params)
    assert rows == [r for r in _expected_rows(many["public"], {"GT"}) if r[0] == 2]


def test_pager_links_keep_the_filters(client, many):
    response = client.get("/en/review/", {"countries": ["SV", "GT"], "date_from": "2000-01-01", "page": 2})

    html = response.content.decode()
    nav = re.search(r'<nav class="pagination[^"]*" aria-label="Pages of the detailed rows">(.*?)</nav>', html, re.S)
    assert nav, "the pager is missing"
    links = {text: href for href, text in re.findall(r'<a href="\?([^"]+)"[^>]*>([^<]+)</a>', nav.group(1))}
    for name in ("Previous", "Next"):
        assert "countries=SV&amp;countries=GT" in links[name] and "date_from=2000-01-01" in links[name]
    assert links["Previous"].endswith("page=1") and links["Next"].endswith("page=3")
    assert "Page 2 of 3" in nav.group(1) and f"{response.context['row_count']} rows" in nav.group(1)
    # the downloads keep the filters but never the page: they hold every row
    assert 'href="?countries=SV&amp;countries=GT&amp;date_from=2000-01-01&amp;format=csv"' in html
    assert "The full report, every row, is in the XLSX and CSV downloads." in html


@pytest.mark.parametrize(("page", "shown"), [("abc", 1), ("0", 3), ("999", 3), ("", 1)])
def test_a_page_out_of_range_shows_the_first_or_last_like_the_roadmap_list(client, many, page, shown):
    response = client.get("/en/review/", {"page": page})

    assert response.status_code == 200
    assert response.context["page"].number == shown


def test_objective_filter_shows_that_objective_alone(client, many):
    response = client.get("/en/review/", {"objective": "5"})

    assert response.status_code == 200
    assert _page_rows(response) == [(5, "SV", "A1", 40)]
    assert "Detailed rows of objective 5 only." in response.content.decode()
    # the summaries still cover every objective
    assert {r.objective.number for r in response.context["objective_rows"]} == {1, 2, 3, 5, 23}  # 3: the world's


def test_summary_links_each_objective_to_the_page_where_its_rows_start(client, many):
    expected = _expected_rows(many["public"])
    response = client.get("/en/review/", {"countries": ["SV", "GT"], "objective": "1"})

    links = {row.objective.number: href for row, href in response.context["objective_links"]}
    start = {number: expected.index(next(r for r in expected if r[0] == number)) for number in (1, 2, 5)}
    assert links[1] == "?countries=SV&countries=GT#objective-1"
    assert links[2] == f"?countries=SV&countries=GT&page={start[2] // 100 + 1}#objective-2"
    assert links[5] == f"?countries=SV&countries=GT&page={start[5] // 100 + 1}#objective-5"
    target = client.get("/en/review/", {"countries": ["SV", "GT"], "page": start[2] // 100 + 1})
    assert 'id="objective-2"' in target.content.decode()


@pytest.mark.parametrize("value", ["99", "abc", "0"])
def test_bad_objective_is_a_400_with_the_field_message(client, many, value):
    response = client.get("/en/review/", {"objective": value})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["objective"]
    assert "Select a valid choice" in response.context["form"].errors["objective"][0]


def test_anonymous_never_sees_draft_partner_or_internal_rows_on_any_page(client, many):
    rows = _all_pages(client)
    count = client.get("/en/review/").context["row_count"]

    assert {r[2] for r in rows} & {"P1", "I1", "P2", "D1"} == set()
    assert count == len(rows) == len(_expected_rows(many["public"]))


def test_secretariat_sees_the_draft_and_partner_rows(client_for, many, secretariat_user):
    client = client_for(secretariat_user)

    codes = {r[2] for r in _all_pages(client)}

    assert {"P1", "I1", "P2", "D1"} <= codes


def test_spanish_page(client, many):
    response = client.get("/es/review/", {"page": 2})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Página 2 de 3" in html and "253 filas" in html  # 8 + 5 of the world + 4 × 60
    assert "(continuación)</h2>" in html
    assert "El informe completo, con todas las filas, está en las descargas XLSX y CSV." in html
    assert 'aria-label="Páginas de las filas detalladas"' in html


def test_page_query_count_is_constant(client, many, django_assert_max_num_queries):
    params = {"countries": ["SV", "GT"], "objective": "1"}
    with django_assert_max_num_queries(16) as first:
        client.get("/en/review/", params)
    with django_assert_max_num_queries(16) as last:
        client.get("/en/review/", {**params, "page": 2})
    with django_assert_max_num_queries(16) as everything:
        client.get("/en/review/", {"page": 3})

    assert len(first.captured_queries) == len(last.captured_queries)
    assert len(everything.captured_queries) == len(first.captured_queries) - 2  # no country or objective to look up
