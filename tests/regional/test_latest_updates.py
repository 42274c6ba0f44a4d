"""The "latest progress" lists of the objective, country and roadmap pages: approved updates of the
roadmaps the viewer may see, on the page's actions, newest first (regional.selectors.latest_approved_updates)."""

import datetime

import pytest

from roadmaps.models import ReviewState, RoadmapStatus, Visibility
from tests.factories import ActionFactory, ObjectiveFactory, ProgressUpdateFactory, RoadmapFactory

pytestmark = pytest.mark.django_db


def _approved(action, country, narrative, day, **extra):
    return ProgressUpdateFactory(
        action=action,
        country=country,
        narrative=narrative,
        reporting_date=datetime.date(2025, 3, day),
        review_state=ReviewState.APPROVED,
        reviewer=extra.pop("reviewer"),
        reviewed_at=datetime.datetime(2025, 3, day, tzinfo=datetime.UTC),
        **extra,
    )


def test_objective_page_lists_updates_of_actions_serving_it_from_visible_roadmaps(
    client, el_salvador, secretariat_user
):
    five, six = ObjectiveFactory(number=5), ObjectiveFactory(number=6)
    public = RoadmapFactory(objectives=[five], visibility=Visibility.PUBLIC, status=RoadmapStatus.ACTIVE)
    internal = RoadmapFactory(objectives=[five], visibility=Visibility.INTERNAL, status=RoadmapStatus.ACTIVE)
    by_roadmap = ActionFactory(roadmap=public, countries=[el_salvador])  # follows its roadmap's objective 5
    own_six = ActionFactory(roadmap=public, countries=[el_salvador], objectives=[six])
    hidden = ActionFactory(roadmap=internal, countries=[el_salvador])
    kw = {"reviewer": secretariat_user}
    _approved(by_roadmap, el_salvador, "older", 1, **kw)
    _approved(by_roadmap, el_salvador, "newer", 9, **kw)
    _approved(own_six, el_salvador, "on objective six", 10, **kw)
    _approved(hidden, el_salvador, "internal", 11, **kw)
    ProgressUpdateFactory(action=by_roadmap, country=el_salvador, narrative="not reviewed")

    objective_page = client.get("/en/objectives/5/")
    roadmap_page = client.get(f"/en/roadmaps/{public.slug}/")
    client.force_login(secretariat_user)
    secretariat_view = client.get("/en/objectives/5/")

    assert [u.narrative for u in objective_page.context["updates"]] == ["newer", "older"]
    assert [u.narrative for u in roadmap_page.context["updates"]] == ["on objective six", "newer", "older"]
    assert [u.narrative for u in secretariat_view.context["updates"]] == ["internal", "newer", "older"]
