"""The secretariat reviews in the admin: publish / return with a comment, one by one and in bulk."""

import pytest

from practices.models import PracticeStatus

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/practices/goodpractice/"


def review_url(practice):
    return f"{CHANGELIST}{practice.pk}/review/"


def test_review_page_publish(client_for, secretariat_user, el_salvador, make_practice):
    practice = make_practice(countries=[el_salvador], status=PracticeStatus.SUBMITTED, title_es="Ventanilla")
    client = client_for(secretariat_user)

    page = client.get(review_url(practice))
    response = client.post(review_url(practice), {"publish": "Publish", "review_comment": ""})

    assert page.status_code == 200
    assert "Ventanilla" in page.content.decode()
    assert response.status_code == 302
    practice.refresh_from_db()
    assert (practice.status, practice.reviewer) == (PracticeStatus.PUBLISHED, secretariat_user)


def test_review_page_return_without_comment_is_refused(client_for, secretariat_user, el_salvador, make_practice):
    practice = make_practice(countries=[el_salvador], status=PracticeStatus.SUBMITTED)

    response = client_for(secretariat_user).post(review_url(practice), {"return": "1", "review_comment": " "})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["review_comment"]
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.SUBMITTED


def test_review_page_return_with_comment(client_for, secretariat_user, el_salvador, make_practice):
    practice = make_practice(countries=[el_salvador], status=PracticeStatus.SUBMITTED)

    client_for(secretariat_user).post(review_url(practice), {"return": "1", "review_comment": "Añadir cifras."})

    practice.refresh_from_db()
    assert (practice.status, practice.review_comment) == (PracticeStatus.RETURNED, "Añadir cifras.")


def test_review_page_publishing_a_draft_is_refused_with_a_message(
    client_for, secretariat_user, el_salvador, make_practice
):
    practice = make_practice(countries=[el_salvador])
    response = client_for(secretariat_user).post(review_url(practice), {"publish": "1"}, follow=True)
    assert "only submitted practices can be published" in response.content.decode()
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.DRAFT


@pytest.mark.parametrize("actor", ["staff_outsider", "focal_sv", None])
def test_admin_review_is_closed_to_everyone_else(client_for, request, actor, el_salvador, make_practice):
    practice = make_practice(countries=[el_salvador], status=PracticeStatus.SUBMITTED)
    user = request.getfixturevalue(actor) if actor else None
    response = client_for(user).post(review_url(practice), {"publish": "1"})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.SUBMITTED


def test_bulk_publish_reports_what_could_not_be_published(client_for, secretariat_user, el_salvador, make_practice):
    submitted = make_practice(countries=[el_salvador], status=PracticeStatus.SUBMITTED)
    draft = make_practice(countries=[el_salvador], title_en="Still a draft")

    response = client_for(secretariat_user).post(
        CHANGELIST, {"action": "publish_selected", "_selected_action": [submitted.pk, draft.pk]}, follow=True
    )

    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert (submitted.status, draft.status) == (PracticeStatus.PUBLISHED, PracticeStatus.DRAFT)
    text = response.content.decode()
    assert "1 practice published." in text
    assert "Still a draft: This practice is draft; only submitted practices can be published." in text


def test_bulk_return_asks_for_a_comment_then_returns(client_for, secretariat_user, el_salvador, make_practice):
    one = make_practice(countries=[el_salvador], status=PracticeStatus.SUBMITTED)
    two = make_practice(countries=[el_salvador], status=PracticeStatus.PUBLISHED)
    client = client_for(secretariat_user)
    selected = {"action": "return_selected", "_selected_action": [one.pk, two.pk]}

    ask = client.post(CHANGELIST, selected)
    empty = client.post(CHANGELIST, {**selected, "apply": "1", "review_comment": ""})
    done = client.post(CHANGELIST, {**selected, "apply": "1", "review_comment": "Quitar nombres propios."})

    assert ask.status_code == 200
    assert 'name="review_comment"' in ask.content.decode()
    assert empty.status_code == 200
    assert done.status_code == 302
    one.refresh_from_db()
    two.refresh_from_db()
    assert {one.status, two.status} == {PracticeStatus.RETURNED}
    assert one.review_comment == "Quitar nombres propios."


def test_change_form_and_history_record_who_reviewed(client_for, secretariat_user, el_salvador, make_practice):
    practice = make_practice(countries=[el_salvador], status=PracticeStatus.SUBMITTED)
    client = client_for(secretariat_user)
    client.post(review_url(practice), {"publish": "1"})

    change = client.get(f"{CHANGELIST}{practice.pk}/change/")
    history = client.get(f"{CHANGELIST}{practice.pk}/history/")

    latest = practice.history.first()
    assert (latest.status, latest.history_user) == (PracticeStatus.PUBLISHED, secretariat_user)
    assert change.status_code == 200
    assert 'name="status"' not in change.content.decode()  # the state changes only through the review
    assert history.status_code == 200
    assert history.context["page_obj"][0].history_user == secretariat_user
