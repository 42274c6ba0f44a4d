"""Each rule's twins agree: the Q factory (ORM), the Python function and the SQL fragment."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from roadmaps.models import Action, ActionStatus, is_overdue, objective_numbers_of_action, overdue_q, overdue_sql
from tests.factories import ActionFactory, ObjectiveFactory, RoadmapFactory


@pytest.mark.django_db
def test_overdue_is_the_same_in_the_orm_in_python_and_in_sql():
    today = timezone.localdate()
    days = [None, today - datetime.timedelta(days=1), today, today + datetime.timedelta(days=1)]
    roadmap = RoadmapFactory()
    made = []
    for n, (status, day) in enumerate((s, d) for s in ActionStatus.values for d in days):
        percent = 100 if status == ActionStatus.COMPLETED else 10
        made.append(ActionFactory(roadmap=roadmap, code=f"R{n}", status=status, percent_complete=percent, due_date=day))
    orm = set(Action.objects.filter(overdue_q()).values_list("id", flat=True))
    python = {a.id for a in made if is_overdue(a.due_date, a.status)}
    condition, params = overdue_sql("a.due_date", "a.status")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT a.id FROM roadmaps_action a WHERE {condition}", params)
        sql = {row[0] for row in cursor.fetchall()}
    assert orm == python == sql
    assert len(orm) == 4  # not started, on track, at risk, delayed: due yesterday


@pytest.mark.django_db
def test_an_actions_objectives_are_its_own_else_its_roadmaps():
    one, two, three = (ObjectiveFactory(number=n) for n in (1, 2, 3))
    roadmap = RoadmapFactory(objectives=[three])
    own = ActionFactory(roadmap=roadmap, code="OWN", objectives=[two, one])
    inherited = ActionFactory(roadmap=roadmap, code="INH")
    numbers = dict(Action.objects.annotate(n=objective_numbers_of_action()).values_list("code", "n"))
    assert numbers == {"OWN": [1, 2], "INH": [3]}
    assert set(Action.objects.serving_objective(three.pk)) == {inherited}
    assert set(Action.objects.serving_objective(one.pk)) == {own}
