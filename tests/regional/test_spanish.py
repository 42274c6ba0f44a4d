"""Spanish that agrees: plurals counted per number (ngettext), one action's badges in the singular, and
one name per term across pages (docs/glossary.md)."""

import datetime

import pytest
from django.utils import timezone

from roadmaps.models import ActionStatus, ReviewState
from tests.factories import ActionFactory, ObjectiveFactory, ProgressUpdateFactory, RoadmapFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("actions", "completed", "spanish", "english"),
    [
        (7, 1, "7 acciones, 1 completada", "7 actions, 1 completed"),
        (1, 0, "1 acción, 0 completadas", "1 action, 0 completed"),
        (2, 2, "2 acciones, 2 completadas", "2 actions, 2 completed"),
    ],
)
def test_roadmap_progress_counts_each_number_in_its_plural(client, el_salvador, actions, completed, spanish, english):
    roadmap = RoadmapFactory(slug="counted", lead_country=el_salvador)
    for i in range(actions):
        done = i < completed
        ActionFactory(
            roadmap=roadmap,
            code=f"C{i}",
            countries=[el_salvador],
            status=ActionStatus.COMPLETED if done else ActionStatus.ON_TRACK,
            percent_complete=100 if done else 10,
        )
    assert spanish in client.get("/es/roadmaps/counted/").content.decode()
    assert english in client.get("/en/roadmaps/counted/").content.decode()


def test_my_actions_badges_of_one_action_are_singular_and_states_named_as_in_history(client_for, focal_sv, el_salvador):
    today = timezone.localdate()
    overdue = ActionFactory(
        code="V1",
        countries=[el_salvador],
        start_date=today - datetime.timedelta(days=90),
        due_date=today - datetime.timedelta(days=3),
    )
    ActionFactory(code="V2", countries=[el_salvador], due_date=today + datetime.timedelta(days=3))
    update = ProgressUpdateFactory(action=overdue, country=el_salvador, author=focal_sv)
    assert update.review_state == ReviewState.SUBMITTED

    html = client_for(focal_sv).get("/es/my/").content.decode()

    assert '<span class="badge badge--overdue">Vencida</span>' in html
    assert '<span class="badge badge--due-soon">Vence pronto</span>' in html
    assert "Vencidas</span>" not in html and "Vencen pronto</span>" not in html
    # The state has the name the admin history gives it.
    assert '<span class="badge badge--submitted">Enviado</span>' in html
    assert "Pendiente de revisión</span>" not in html


def test_practices_filters_use_the_glossary_words(client, db):
    ObjectiveFactory(number=5)
    html = client.get("/es/practices/").content.decode()
    assert '<label for="id_objective">Objetivo del PMM</label>' in html
    assert '<option value="" selected>Cualquiera</option>' in html
    assert "---------" not in html
    assert "objetivo del pacto mundial" not in html.lower()


def test_a_practice_and_a_report_each_get_their_own_gender_in_spanish():
    from django.utils import translation

    from practices.models import PracticeStatus

    with translation.override("es"):
        practice = [str(PracticeStatus.SUBMITTED.label), str(PracticeStatus.RETURNED.label)]
        report = [str(ReviewState.SUBMITTED.label), str(ReviewState.RETURNED.label)]
    assert practice == ["Enviada", "Devuelta"]
    assert report == ["Enviado", "Devuelto"]
