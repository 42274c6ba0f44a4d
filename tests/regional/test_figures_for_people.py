"""Figures that do not mislead (issue 20): cancelled actions left out of every mean progress, the page
saying how the mean is computed; objective names on the chart and "no actions" distinct from 0 %; a
signed-in person warned when figures include non-public roadmaps, with a public view to check."""

import re

import pytest
from django.urls import reverse

from gcm.models import Objective
from roadmaps.figures import states as figures
from roadmaps.models import ActionStatus, Visibility
from tests.factories import ActionFactory, ObjectiveFactory, RoadmapFactory

pytestmark = pytest.mark.django_db


MEAN_NOTE = "cancelled actions left out"


@pytest.fixture
def with_cancelled(region, el_salvador, objectives):
    """A cancelled action at 90 % on R1: in the counts, never in a mean."""
    return ActionFactory(
        roadmap=region["roadmaps"]["R1"],
        code="C1",
        percent_complete=90,
        status=ActionStatus.CANCELLED,
        countries=[el_salvador],
        objectives=[objectives[5]],
    )


def test_dashboard_mean_leaves_cancelled_out(client, region, with_cancelled):
    response = client.get("/en/")
    totals = response.context["totals"]
    # A1 40, A2 100, A3 10, B1 60 and the world's public A1 20, A2 100: mean 330 / 6 = 55.0 — the
    # cancelled C1 (90 %) changes nothing but its count.
    assert (totals["actions"], totals["cancelled"], totals["mean_percent"]) == (7, 1, 55.0)
    objective_5 = next(r for r in response.context["picture"].objectives if r.objective.number == 5)
    assert (objective_5.actions, objective_5.mean_percent) == (2, 40.0)
    sv = next(r for r in response.context["picture"].matrix if r.country.code == "SV")
    cell = {o.number: c for o, c in sv.cells}[5]
    assert (cell.actions, cell.mean_percent) == (2, 40.0)
    html = response.text
    assert MEAN_NOTE in html
    assert "1 cancelled action is not in the mean." in html


def test_mean_everywhere_leaves_cancelled_out(client, region, with_cancelled):
    roadmap = with_cancelled.roadmap
    # R1 without C1: A1 40, A2 100, A3 10 → 50.
    listing = client.get("/en/roadmaps/")
    row = next(r for r in listing.context["page"].object_list if r.pk == roadmap.pk)
    assert row.mean_percent == 50
    detail = client.get(reverse("regional:roadmap_detail", args=[roadmap.slug]))
    assert detail.context["summary"]["mean_percent"] == 50
    assert MEAN_NOTE in detail.text
    country = client.get(reverse("regional:country_detail", args=["SV"]))
    sv = country.context["totals"]
    assert (sv["cancelled"], sv["mean_percent"]) == (1, 53.3)  # A1 40, A2 100, the world's public A1 20
    review = client.get("/en/review/")
    by_country = {r["code"]: r for r in review.context["country_rows"]}
    assert by_country["SV"]["mean_percent"] == 53.3
    assert MEAN_NOTE in review.text
    stats = client.get("/api/v1/stats/countries/").json()
    rows = stats["results"] if isinstance(stats, dict) else stats
    assert next(r for r in rows if r["code"] == "SV")["mean_percent"] == 53.3


def test_figures_module_leaves_cancelled_out_of_the_mean():
    """The frozen and dated reports and the API's cycle figures go through roadmaps.figures.states."""
    states = [
        figures.State(1, "SV", (5,), ActionStatus.ON_TRACK, 40, None),
        figures.State(2, "SV", (5,), ActionStatus.CANCELLED, 90, None),
        figures.State(3, "GT", (5,), ActionStatus.CANCELLED, 80, None),
        figures.State(3, "SV", (5,), ActionStatus.ON_TRACK, 20, None),  # one country cancelled: the other counts
    ]
    sv = figures.by_country(states)["SV"]
    assert (sv.actions, sv.cancelled, sv.mean_percent) == (3, 1, 30.0)
    assert figures.by_country(states)["GT"].mean_percent is None
    objective = figures.by_objective(states)[5]
    assert (objective.actions, objective.cancelled, objective.mean_percent) == (3, 1, 30.0)


def test_chart_names_objectives_and_tells_no_actions_from_zero(client, region, objectives):
    ObjectiveFactory(number=7, short_title_en="Vulnerabilities")
    ActionFactory(
        roadmap=region["actions"]["A1"].roadmap,
        code="Z0",
        percent_complete=0,
        status=ActionStatus.NOT_STARTED,
        objectives=[objectives[23]],
    )
    response = client.get("/en/")
    bars = {bar.label.split(".")[0]: bar for bar in response.context["objective_chart"]["bars"]}
    assert bars["7"].empty and bars["7"].label.startswith("7. ")
    assert not bars["23"].empty
    svg = re.search(r'<svg class="chart".*?</svg>', response.text, re.S).group(0)
    objective_7 = Objective.objects.get(number=7)
    assert f"7. {objective_7.short_title or objective_7.title}"[:20] in svg
    assert "no actions" in svg


def test_signed_in_figures_say_they_include_non_public_roadmaps(client_for, secretariat_user, region):
    client = client_for(secretariat_user)
    page = client.get("/en/")
    assert page.context["totals"]["roadmaps"] == 4 + 4  # the region's and the world's (its draft included)
    assert "These figures include roadmaps that are not public" in page.text
    assert 'href="?view=public"' in page.text
    public = client.get("/en/?view=public")
    assert public.context["totals"] == client_for(None).get("/en/").context["totals"]
    assert "as the public sees it" in public.text
    assert "These figures include roadmaps that are not public" not in public.text
    review = client.get("/en/review/?view=public")
    assert {r["code"] for r in review.context["country_rows"]} == {
        r["code"] for r in client_for(None).get("/en/review/").context["country_rows"]
    }
    assert 'name="view" value="public"' in review.text


def test_no_note_for_the_public_or_when_all_is_public(client_for, focal_sv, el_salvador):
    RoadmapFactory(visibility=Visibility.PUBLIC, countries=[el_salvador])
    assert 'data-note="audience"' not in client_for(None).get("/en/").text
    page = client_for(focal_sv).get("/es/")
    assert "no son públicas" not in page.text and "no son públicos" not in page.text
    assert 'data-note="audience"' in page.text  # the switch is still offered


def test_anonymous_public_view_parameter_changes_nothing(client, region):
    assert client.get("/en/?view=public").context["totals"] == client.get("/en/").context["totals"]


def test_no_template_comment_leaks_into_pages(client_for, secretariat_user):
    """A `{# … #}` spanning lines is not a comment in Django: it was printed in every page's header."""
    client = client_for(secretariat_user)
    for url in ("/en/", "/es/review/", "/admin/", "/admin/roadmaps/progressupdate/queue/"):
        assert "{#" not in client.get(url).text, url


def test_country_page_says_what_its_countries_figure_counts(client, region):
    page = client.get(reverse("regional:country_detail", args=["SV"]))
    assert "Countries in its actions (itself and its partners in joint actions)" in page.text
    # El Salvador's public actions A1 (SV) and A2 (SV + GT): two countries.
    assert page.context["totals"]["countries"] == 2
