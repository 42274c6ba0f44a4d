"""Objective and action pages show the good practices that serve them (published ones only)."""

import pytest
from django.utils import timezone

from practices.models import GoodPractice, PracticeStatus
from tests.factories import ActionFactory, ObjectiveFactory, RoadmapFactory, UserFactory

pytestmark = pytest.mark.django_db


def _practice(title, *, status, country, objective, actions=()):
    reviewed = status == PracticeStatus.PUBLISHED
    practice = GoodPractice.objects.create(
        title_en=title,
        title_es=title,
        summary_es="Resumen.",
        what_was_done="Se hizo.",
        lessons_learned="Se aprendió.",
        status=status,
        author=UserFactory(username=f"author-{title[:10]}"),
        reviewer=UserFactory(username="reviewer-blocks") if reviewed else None,
        reviewed_at=timezone.now() if reviewed else None,
        published_at=timezone.now() if reviewed else None,
    )
    practice.countries.set([country])
    practice.objectives.set([objective])
    practice.actions.set(actions)
    return practice


def test_objective_page_lists_published_practices_for_that_objective(client, el_salvador):
    objective = ObjectiveFactory(number=5)
    _practice("Seasonal work desk", status=PracticeStatus.PUBLISHED, country=el_salvador, objective=objective)
    _practice("Unpublished draft idea", status=PracticeStatus.DRAFT, country=el_salvador, objective=objective)
    html = client.get("/en/objectives/5/").content.decode()
    assert "Seasonal work desk" in html
    assert "Unpublished draft idea" not in html


def test_action_page_lists_the_practice_that_came_from_it(client, el_salvador):
    objective = ObjectiveFactory(number=5)
    action = ActionFactory(roadmap=RoadmapFactory(objectives=[objective]), countries=[el_salvador])
    _practice(
        "Lessons from the pilot desk",
        status=PracticeStatus.PUBLISHED,
        country=el_salvador,
        objective=objective,
        actions=[action],
    )
    html = client.get(f"/en/actions/{action.pk}/").content.decode()
    assert "Related good practices" in html
    assert "Lessons from the pilot desk" in html
