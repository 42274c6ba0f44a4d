"""/my/: the focal point's actions, due marks, pending and returned updates, filters; per role."""

import datetime

import pytest
from django.utils import timezone

from roadmaps.models import ProgressUpdate
from roadmaps.services import progress_update_return, progress_update_submit
from tests.factories import ActionFactory, ObjectiveFactory, ProgressUpdateFactory, RoadmapFactory

pytestmark = pytest.mark.django_db


def codes(response):
    return [action.code for action in response.context["actions"]]


def test_home_anonymous_is_sent_to_sign_in(client):
    response = client.get("/en/my/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=/en/my/"


def test_home_lists_only_the_actions_of_the_users_countries(client_for, focal_sv, action_sv, action_gt, action_shared):
    response = client_for(focal_sv).get("/en/my/")
    assert response.status_code == 200
    # By due date, then roadmap and code: the world's A1 (SV + GT, overdue) and B1 (partners, in 30
    # days), this roadmap's A1 and A3 (in 90 days), the world's draft D1 (no due date) last.
    assert codes(response) == ["A1", "B1", "A1", "A3", "D1"]
    assert "Train consular staff" not in response.content.decode()


def test_home_focal_point_of_another_country_sees_its_own(client_for, focal_gt, action_sv, action_gt, action_shared):
    # The world's A1 (SV + GT, 10 days late) and A2 (5 days late), then this roadmap's A2 and A3.
    assert codes(client_for(focal_gt).get("/en/my/")) == ["A1", "A2", "A2", "A3"]


def test_home_secretariat_is_told_it_is_not_a_focal_point(client_for, secretariat_user, action_sv):
    response = client_for(secretariat_user).get("/en/my/")
    assert response.status_code == 200
    assert list(response.context["actions"]) == []
    html = response.content.decode()
    assert "You are not registered as the focal point of any country" in html
    assert 'href="/admin/"' in html


def test_home_marks_overdue_and_due_soon(client_for, focal_sv, roadmap_sv, el_salvador):
    today = timezone.localdate()
    ActionFactory(
        roadmap=roadmap_sv,
        code="LATE",
        start_date=today - datetime.timedelta(days=60),
        due_date=today - datetime.timedelta(days=3),
        countries=[el_salvador],
    )
    ActionFactory(roadmap=roadmap_sv, code="SOON", due_date=today + datetime.timedelta(days=5), countries=[el_salvador])
    ActionFactory(
        roadmap=roadmap_sv, code="LATER", due_date=today + datetime.timedelta(days=90), countries=[el_salvador]
    )
    response = client_for(focal_sv).get("/en/my/")
    # The world's A1 (10 days late), B1 (in 30 days, not soon) and D1 (no due date) come in between.
    assert codes(response) == ["A1", "LATE", "SOON", "B1", "LATER", "D1"]
    html = response.content.decode()
    assert html.count('<span class="badge badge--overdue">Overdue</span>') == 2
    assert html.count('<span class="badge badge--due-soon">Due soon</span>') == 1


def test_home_in_spanish(client_for, focal_sv, action_sv):
    html = client_for(focal_sv).get("/es/my/").content.decode()
    assert "<h1>Mis acciones</h1>" in html
    assert "Informar el avance" in html


def test_home_shows_pending_and_returned_updates(
    world, client_for, focal_sv, el_salvador, secretariat_user, action_sv, roadmap_sv
):
    pending = progress_update_submit(
        action=action_sv, country=el_salvador, author=focal_sv, status="on_track", percent_complete=20, narrative="p"
    )
    other = ActionFactory(roadmap=roadmap_sv, code="B1", countries=[el_salvador])
    returned = progress_update_submit(
        action=other, country=el_salvador, author=focal_sv, status="on_track", percent_complete=20, narrative="r"
    )
    progress_update_return(update=returned, reviewer=secretariat_user, comment="Which municipalities?")
    response = client_for(focal_sv).get("/en/my/")
    # The world's submitted SV update of its A1 too (same reporting day, older); its returned one is GT's.
    assert response.context["pending_updates"] == [pending, world.u_submitted]
    assert response.context["returned_updates"] == [returned]
    assert "Which municipalities?" in response.content.decode()


def test_home_does_not_show_another_countrys_updates(client_for, focal_gt, focal_sv, el_salvador, action_shared):
    progress_update_submit(
        action=action_shared,
        country=el_salvador,
        author=focal_sv,
        status="on_track",
        percent_complete=20,
        narrative="p",
    )
    response = client_for(focal_gt).get("/en/my/")
    assert response.context["pending_updates"] == []


def test_home_filters_by_roadmap_objective_and_status(world, client_for, focal_sv, el_salvador, roadmap_sv, action_sv):
    objective_5 = ObjectiveFactory(number=5)
    objective_7 = ObjectiveFactory(number=7)
    other_roadmap = RoadmapFactory(slug="returns", objectives=[objective_7])
    inherited = ActionFactory(roadmap=other_roadmap, code="R1", countries=[el_salvador], status="on_track")
    own = ActionFactory(roadmap=roadmap_sv, code="O5", countries=[el_salvador], objectives=[objective_5])
    client = client_for(focal_sv)

    assert codes(client.get("/en/my/", {"roadmap": other_roadmap.pk})) == ["R1"]
    assert codes(client.get("/en/my/", {"objective": objective_5.pk})) == ["O5"]
    # An action without objectives of its own serves its roadmap's.
    assert codes(client.get("/en/my/", {"objective": objective_7.pk})) == ["R1"]
    # The world's partners action B1 of El Salvador is on track too (due sooner).
    assert codes(client.get("/en/my/", {"status": "on_track"})) == ["B1", "R1"]
    assert codes(client.get("/en/my/", {"status": "on_track", "roadmap": roadmap_sv.pk})) == []
    assert sorted(codes(client.get("/en/my/", {"roadmap": "", "objective": "", "status": ""}))) == sorted(
        [
            action_sv.code,
            inherited.code,
            own.code,
            world.a_public_sv.code,
            world.a_partners_sv.code,
            world.a_draft_sv.code,
        ]
    )


def test_home_filter_by_a_roadmap_of_another_country_is_an_error(client_for, focal_sv, guatemala, action_sv):
    foreign = RoadmapFactory(slug="foreign", lead_country=guatemala)
    ActionFactory(roadmap=foreign, code="F1", countries=[guatemala])
    response = client_for(focal_sv).get("/en/my/", {"roadmap": foreign.pk})
    assert list(response.context["filters"].errors) == ["roadmap"]
    # Unfiltered: the world's A1 and B1, this roadmap's A1, the world's draft D1.
    assert codes(response) == ["A1", "B1", "A1", "D1"]


def test_home_query_count_does_not_grow_with_actions_and_updates(
    client_for, focal_sv, el_salvador, secretariat_user, roadmap_sv, django_assert_max_num_queries
):
    client = client_for(focal_sv)

    def add(code):
        action = ActionFactory(roadmap=roadmap_sv, code=code, countries=[el_salvador])
        pending = ProgressUpdateFactory(action=action, country=el_salvador, author=focal_sv)
        returned = ProgressUpdateFactory(action=action, country=el_salvador, author=focal_sv)
        progress_update_return(update=returned, reviewer=secretariat_user, comment="Say more.")
        ProgressUpdate.objects.filter(pk=pending.pk).update(created_at=returned.created_at - datetime.timedelta(1))

    add("Q0")
    with django_assert_max_num_queries(14) as few:
        client.get("/en/my/")
    # 19 of ours and the world's submitted SV update: the 20 the page lists without counting them.
    for n in range(1, 19):
        add(f"Q{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/en/my/")
    assert len(response.context["actions"]) == 19 + 3  # and the world's A1, B1, D1 of El Salvador
    assert len(response.context["pending_updates"]) == 20
    assert len(response.context["returned_updates"]) == 19  # the world's returned update is Guatemala's


def test_home_shows_an_update_entered_on_the_countrys_behalf(client_for, focal_sv, secretariat_user, action_sv):
    from roadmaps.models import ActionStatus

    progress_update_submit(
        action=action_sv,
        country=action_sv.countries.get(code="SV"),
        author=secretariat_user,
        status=ActionStatus.ON_TRACK,
        percent_complete=20,
        narrative="From the ministry's letter.",
        on_behalf=True,
    )
    page = client_for(focal_sv).get("/en/my/")
    # Then the world's submitted SV update, entered by its author.
    assert [u.on_behalf for u in page.context["pending_updates"]] == [True, False]
    assert "entered by the secretariat on the country's behalf" in page.content.decode()
