"""The pages and `/api/v1/stats/` show the same figures for the same viewer (issue 14: one figures
module, `roadmaps.figures`): the dashboard's objective table, an objective page's figures and country
rows, a country page's figures and objective rows — on a world with joint actions whose countries
stand differently, cancelled work, actions that follow their roadmap's objectives, and hidden roadmaps.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone

from gcm.models import Objective
from roadmaps.figures.rules import mean_percent
from roadmaps.models import ActionStatus, CountryProgress, RoadmapStatus, Visibility, overall_progress
from tests.factories import ActionFactory, CountryFactory, ObjectiveFactory, RoadmapFactory

pytestmark = pytest.mark.django_db

FIGURES = ("actions", "completed", "overdue", "mean_percent")


def _states(action, states: dict) -> None:
    """Each country's own (status, percent) on `action`; the action's overall state by the one rule."""
    for country, (status, percent) in states.items():
        CountryProgress.objects.filter(action=action, country=country).update(status=status, percent_complete=percent)
    action.status, action.percent_complete = overall_progress(list(states.values()))
    action.save(update_fields=["status", "percent_complete"])


@pytest.fixture
def world(el_salvador, guatemala):
    honduras = CountryFactory(code="HN")
    o1, o2, o3 = (ObjectiveFactory(number=n) for n in (1, 2, 3))
    today = timezone.localdate()
    past = today - datetime.timedelta(days=10)
    public = RoadmapFactory(slug="fig-public", objectives=[o1, o2], countries=[el_salvador, guatemala])
    other = RoadmapFactory(slug="fig-other", lead_country=honduras, objectives=[o3])
    partners = RoadmapFactory(slug="fig-partners", visibility=Visibility.PARTNERS, objectives=[o2])
    internal = RoadmapFactory(slug="fig-internal", visibility=Visibility.INTERNAL, lead_country=guatemala)
    draft = RoadmapFactory(slug="fig-draft", status=RoadmapStatus.DRAFT, objectives=[o1])
    # Joint and overdue: El Salvador has finished, Guatemala is behind (overall: delayed, overdue).
    joint = ActionFactory(roadmap=public, code="J1", countries=[el_salvador, guatemala], due_date=past)
    _states(joint, {el_salvador: (ActionStatus.COMPLETED, 100), guatemala: (ActionStatus.DELAYED, 33)})
    # Joint, one country cancelled: the other's state is the action's; its own objectives.
    half = ActionFactory(roadmap=public, code="J2", countries=[el_salvador, honduras], objectives=[o3])
    _states(half, {el_salvador: (ActionStatus.CANCELLED, 70), honduras: (ActionStatus.ON_TRACK, 45)})
    cancelled = ActionFactory(roadmap=public, code="C1", countries=[guatemala], objectives=[o1])
    _states(cancelled, {guatemala: (ActionStatus.CANCELLED, 90)})
    alone = ActionFactory(roadmap=other, code="H1", countries=[honduras, guatemala], due_date=past)
    _states(alone, {honduras: (ActionStatus.AT_RISK, 20), guatemala: (ActionStatus.ON_TRACK, 25)})
    for roadmap, code, country, state in (
        (partners, "P1", el_salvador, (ActionStatus.ON_TRACK, 60)),
        (internal, "I1", guatemala, (ActionStatus.ON_TRACK, 15)),  # no objectives anywhere
        (internal, "I2", el_salvador, (ActionStatus.DELAYED, 5)),
        (draft, "D1", guatemala, (ActionStatus.COMPLETED, 100)),
    ):
        action = ActionFactory(roadmap=roadmap, code=code, countries=[country], due_date=past)
        _states(action, {country: state})
    return {"countries": ("SV", "GT", "HN"), "objectives": (1, 2, 3)}


def _api(client, path):
    response = client.get(f"/api/v1/{path}")
    assert response.status_code == 200, response.content
    return response.json()


def _figures(row, names=FIGURES):
    if isinstance(row, dict):
        return tuple(row[name] for name in names)
    return tuple(getattr(row, name) for name in names)


@pytest.mark.parametrize("actor", [None, "partner_user", "focal_sv", "focal_gt"])
def test_pages_and_stats_give_the_same_figures(request, client_for, world, actor):
    client = client_for(request.getfixturevalue(actor) if actor else None)
    by_objective = {row["number"]: row for row in _api(client, "stats/objectives/")}

    dashboard = client.get("/en/").context["picture"].objectives
    assert {r.objective.number: (*_figures(r), r.countries) for r in dashboard} == {
        n: (*_figures(row), row["countries_involved"]) for n, row in by_objective.items()
    }
    assert any(r.actions for r in dashboard)

    for number in world["objectives"]:
        page = client.get(f"/en/objectives/{number}/").context
        row = by_objective[number]
        assert (*_figures(page["totals"]), page["totals"]["countries"]) == (*_figures(row), row["countries_involved"])
        countries = _api(client, f"stats/countries/?objective={number}")
        assert {r["code"]: _figures(r) for r in page["countries"]} == {r["code"]: _figures(r) for r in countries}

    for code in world["countries"]:
        page = client.get(f"/en/countries/{code}/").context
        own = [r for r in _api(client, f"stats/countries/?country={code}") if r["code"] == code]
        expected = _figures(own[0]) if own else (0, 0, 0, None)
        assert _figures(page["totals"]) == expected
        objectives = _api(client, f"stats/objectives/?country={code}")
        assert {r.objective.number: _figures(r) for r in page["objective_rows"]} == {
            r["number"]: _figures(r) for r in objectives if r["actions"]
        }


def test_a_joint_action_counts_for_each_country_with_its_own_state(client, world):
    sv = client.get("/en/countries/SV/").context["totals"]
    # J1 completed for El Salvador (its own state), though the action is delayed and overdue overall;
    # J2 cancelled for El Salvador: counted, left out of the mean.
    assert (sv["actions"], sv["completed"], sv["overdue"], sv["cancelled"], sv["mean_percent"]) == (2, 1, 0, 1, 100.0)
    objective_1 = next(r for r in client.get("/en/").context["picture"].objectives if r.objective.number == 1)
    # J1 (overall: delayed, 66 % — the mean of 100 and 33 —, overdue) and C1 (cancelled): each action's
    # overall state.
    assert (objective_1.actions, objective_1.overdue, objective_1.cancelled, objective_1.mean_percent) == (
        2,
        1,
        1,
        66.0,
    )


# 26.65 (PostgreSQL: 26.7; Python's round(26.65, 1): 26.6), 0.05, 1.5, a third, 99.67 and nothing.
@pytest.mark.parametrize(
    "values", [[26] * 7 + [27] * 13, [0] * 19 + [1], [1, 2], [0, 0, 1], [99, 100, 100], [0], [100] * 3]
)
def test_the_mean_is_rounded_as_postgresql_rounds_it(values):
    with connection.cursor() as cursor:
        cursor.execute("SELECT ROUND(AVG(v)::numeric, 1)::float FROM unnest(%s::int[]) v", [values])
        (expected,) = cursor.fetchone()
    assert mean_percent(sum(values), len(values)) == expected
    assert mean_percent(0, 0) is None


@pytest.mark.parametrize("actor", [None, "partner_user", "focal_sv"])
def test_an_objective_page_reads_its_figures_off_the_shared_grouping_and_they_equal_its_own(
    request, client_for, world, actor, el_salvador
):
    """Issue 22: the objective page's totals, country rows and pager come from the per-objective grouping
    the dashboard and the API share (`live.of_objective`); each equals what a grouping of the objective's
    own actions gives, due soon and the roadmaps counted included."""
    from regional import selectors
    from roadmaps.figures import live
    from roadmaps.models import Action, Roadmap

    soon = ActionFactory(
        roadmap=Roadmap.objects.get(slug="fig-public"),
        code="S1",
        countries=[el_salvador],
        due_date=timezone.localdate() + datetime.timedelta(days=3),
    )
    _states(soon, {el_salvador: (ActionStatus.ON_TRACK, 40)})
    user = request.getfixturevalue(actor) if actor else AnonymousUser()
    client = client_for(user if actor else None)
    visible, roadmaps = Action.objects.visible_to(user), Roadmap.objects.visible_to(user)
    for number in world["objectives"]:
        objective_id = Objective.objects.get(number=number).id
        serving = visible.serving_objective(objective_id)
        page = client.get(f"/en/objectives/{number}/").context
        assert page["totals"] == live.totals(serving, roadmaps.serving([objective_id]))
        assert page["countries"] == selectors.country_rows(serving)
        assert page["page"].paginator.count == serving.count() == len(page["actions"])
    assert client.get("/en/objectives/1/").context["totals"]["due_soon"] == 1
