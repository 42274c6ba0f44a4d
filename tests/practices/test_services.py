"""The workflow per role: draft → submitted → published, or returned with a comment."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.errors import InvalidStateError
from practices import services
from practices.models import GoodPractice, PracticeStatus
from tests.factories import ActionFactory, RoadmapFactory

pytestmark = pytest.mark.django_db


def draft_values(countries, objectives=(), **overrides):
    return {
        "title_es": "Ventanilla única para personas retornadas",
        "title_en": "",
        "summary_es": "Atención integral en un solo lugar.",
        "summary_en": "",
        "language": "es",
        "what_was_done": "Se abrió una ventanilla en el aeropuerto.",
        "lessons_learned": "La coordinación interinstitucional es clave.",
        "countries": list(countries),
        "objectives": list(objectives),
        **overrides,
    }


def test_practice_save_draft_by_focal_point_for_own_country(focal_sv, el_salvador, objective_2):
    practice = services.practice_save_draft(user=focal_sv, values=draft_values([el_salvador], [objective_2]))

    practice.refresh_from_db()
    assert practice.status == PracticeStatus.DRAFT
    assert practice.author == focal_sv
    assert practice.title == "Ventanilla única para personas retornadas"
    assert list(practice.countries.values_list("code", flat=True)) == ["SV"]
    assert list(practice.objectives.values_list("number", flat=True)) == [2]


def test_practice_save_draft_for_another_country_is_refused_and_nothing_saved(focal_sv, guatemala):
    with pytest.raises(PermissionDenied):
        services.practice_save_draft(user=focal_sv, values=draft_values([guatemala]))

    assert GoodPractice.objects.count() == 0


@pytest.mark.parametrize("actor", ["partner_user", "staff_outsider"])
def test_practice_save_draft_by_non_focal_point_is_refused(request, actor, el_salvador):
    with pytest.raises(PermissionDenied):
        services.practice_save_draft(user=request.getfixturevalue(actor), values=draft_values([el_salvador]))
    assert GoodPractice.objects.count() == 0


def test_practice_save_draft_without_country_is_a_field_error(focal_sv):
    with pytest.raises(ValidationError) as caught:
        services.practice_save_draft(user=focal_sv, values=draft_values([]))
    assert caught.value.message_dict == {"countries": ["Choose at least one country."]}


def test_practice_save_draft_with_period_ending_before_start_is_a_field_error(focal_sv, el_salvador):
    values = draft_values([el_salvador], start_date=datetime.date(2025, 5, 1), end_date=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError) as caught:
        services.practice_save_draft(user=focal_sv, values=values)
    assert caught.value.message_dict["end_date"] == ["The period cannot end before it starts."]
    assert GoodPractice.objects.count() == 0


def test_practice_save_draft_refuses_contact_with_an_email(focal_sv, el_salvador):
    with pytest.raises(ValidationError) as caught:
        services.practice_save_draft(user=focal_sv, values=draft_values([el_salvador], contact_role="ana.perez@gob.sv"))
    assert list(caught.value.message_dict) == ["contact_role"]


def test_practice_save_draft_refuses_an_action_the_user_cannot_see(focal_sv, el_salvador, guatemala):
    hidden = ActionFactory(roadmap=RoadmapFactory(status="draft", lead_country=guatemala), countries=[guatemala])
    with pytest.raises(ValidationError) as caught:
        services.practice_save_draft(user=focal_sv, values=draft_values([el_salvador], actions=[hidden]))
    assert list(caught.value.message_dict) == ["actions"]
    assert GoodPractice.objects.count() == 0


def test_focal_point_of_a_shared_practice_cannot_remove_the_other_country(
    focal_gt, el_salvador, guatemala, make_practice
):
    practice = make_practice(countries=[el_salvador, guatemala])
    with pytest.raises(PermissionDenied):
        services.practice_save_draft(user=focal_gt, practice=practice, values={"countries": [guatemala]})
    assert set(practice.countries.values_list("code", flat=True)) == {"SV", "GT"}


def test_focal_point_of_a_shared_practice_may_edit_its_text(focal_gt, el_salvador, guatemala, make_practice):
    practice = make_practice(countries=[el_salvador, guatemala])
    services.practice_save_draft(
        user=focal_gt, practice=practice, values={"countries": [el_salvador, guatemala], "results": "200 personas"}
    )
    practice.refresh_from_db()
    assert practice.results == "200 personas"


def test_practice_submit_by_its_focal_point(focal_sv, el_salvador, objective_2, make_practice):
    practice = make_practice(countries=[el_salvador], objectives=[objective_2])

    services.practice_submit(practice=practice, user=focal_sv)

    practice.refresh_from_db()
    assert practice.status == PracticeStatus.SUBMITTED
    assert practice.submitted_at is not None


def test_practice_submit_by_another_countrys_focal_point_is_refused(focal_gt, el_salvador, objective_2, make_practice):
    practice = make_practice(countries=[el_salvador], objectives=[objective_2])

    with pytest.raises(PermissionDenied):
        services.practice_submit(practice=practice, user=focal_gt)

    practice.refresh_from_db()
    assert practice.status == PracticeStatus.DRAFT


def test_practice_submit_incomplete_lists_what_is_missing(focal_sv, el_salvador, make_practice):
    practice = make_practice(countries=[el_salvador], summary_es="", what_was_done="", lessons_learned="")

    with pytest.raises(ValidationError) as caught:
        services.practice_submit(practice=practice, user=focal_sv)

    assert sorted(caught.value.message_dict) == ["lessons_learned", "objectives", "summary_es", "what_was_done"]
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.DRAFT


def test_practice_publish_by_secretariat(secretariat_user, el_salvador, make_practice):
    practice = make_practice(countries=[el_salvador], status=PracticeStatus.SUBMITTED)

    services.practice_publish(practice=practice, reviewer=secretariat_user)

    practice.refresh_from_db()
    assert practice.status == PracticeStatus.PUBLISHED
    assert practice.reviewer == secretariat_user
    assert practice.published_at == practice.reviewed_at
    assert list(practice.history.values_list("status", flat=True)[:2]) == ["published", "submitted"]


@pytest.mark.parametrize("actor", ["staff_outsider", "focal_sv", "partner_user"])
def test_practice_publish_by_anyone_else_is_refused(request, actor, el_salvador, make_practice):
    practice = make_practice(countries=[el_salvador], status=PracticeStatus.SUBMITTED)

    with pytest.raises(PermissionDenied):
        services.practice_publish(practice=practice, reviewer=request.getfixturevalue(actor))

    practice.refresh_from_db()
    assert practice.status == PracticeStatus.SUBMITTED


def test_practice_publish_of_a_draft_is_an_invalid_state(secretariat_user, el_salvador, make_practice):
    practice = make_practice(countries=[el_salvador])
    with pytest.raises(InvalidStateError):
        services.practice_publish(practice=practice, reviewer=secretariat_user)


def test_practice_return_needs_a_comment(secretariat_user, el_salvador, make_practice):
    practice = make_practice(countries=[el_salvador], status=PracticeStatus.SUBMITTED)

    with pytest.raises(ValidationError) as caught:
        services.practice_return(practice=practice, reviewer=secretariat_user, comment="  ")

    assert list(caught.value.message_dict) == ["review_comment"]
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.SUBMITTED


def test_returned_practice_is_corrected_and_submitted_again(secretariat_user, focal_sv, el_salvador, make_practice):
    practice = make_practice(countries=[el_salvador], objectives=[], status=PracticeStatus.SUBMITTED)
    services.practice_return(practice=practice, reviewer=secretariat_user, comment="Faltan cifras.")
    practice.refresh_from_db()
    assert (practice.status, practice.review_comment) == (PracticeStatus.RETURNED, "Faltan cifras.")

    services.practice_save_draft(
        user=focal_sv, practice=practice, values={"countries": [el_salvador], "results": "1 200 personas atendidas"}
    )
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.RETURNED
    with pytest.raises(ValidationError):  # still no objective
        services.practice_submit(practice=practice, user=focal_sv)


def test_published_practice_cannot_be_edited_by_its_focal_point(focal_sv, el_salvador, make_practice):
    practice = make_practice(countries=[el_salvador], status=PracticeStatus.PUBLISHED)
    with pytest.raises(InvalidStateError):
        services.practice_save_draft(user=focal_sv, practice=practice, values={"countries": [el_salvador]})
    assert services.may_edit(user=focal_sv, practice=practice) is False


def test_published_practice_can_be_taken_back_with_a_comment(secretariat_user, el_salvador, make_practice):
    practice = make_practice(countries=[el_salvador], status=PracticeStatus.PUBLISHED)
    services.practice_return(practice=practice, reviewer=secretariat_user, comment="Datos personales en el texto.")
    practice.refresh_from_db()
    assert (practice.status, practice.published_at) == (PracticeStatus.RETURNED, None)


def test_database_refuses_a_returned_practice_without_comment(el_salvador, make_practice):
    practice = make_practice(countries=[el_salvador], status=PracticeStatus.RETURNED)
    with pytest.raises(IntegrityError), transaction.atomic():
        GoodPractice.objects.filter(pk=practice.pk).update(review_comment="")


def test_database_refuses_a_period_ending_before_it_starts(el_salvador, make_practice):
    practice = make_practice(countries=[el_salvador])
    with pytest.raises(IntegrityError), transaction.atomic():
        GoodPractice.objects.filter(pk=practice.pk).update(
            start_date=datetime.date(2025, 2, 1), end_date=datetime.date(2025, 1, 1)
        )


def test_database_refuses_a_published_practice_without_reviewer(el_salvador, make_practice):
    practice = make_practice(countries=[el_salvador], status=PracticeStatus.SUBMITTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        GoodPractice.objects.filter(pk=practice.pk).update(status=PracticeStatus.PUBLISHED)


def test_visible_to_per_role(
    el_salvador, guatemala, make_practice, focal_sv, focal_gt, secretariat_user, partner_user, staff_outsider
):
    from django.contrib.auth.models import AnonymousUser

    published = make_practice(countries=[guatemala], status=PracticeStatus.PUBLISHED, title_en="published")
    sv_draft = make_practice(countries=[el_salvador], title_en="sv draft")
    sv_returned = make_practice(countries=[el_salvador], status=PracticeStatus.RETURNED, title_en="sv returned")
    gt_submitted = make_practice(countries=[guatemala], status=PracticeStatus.SUBMITTED, title_en="gt submitted")

    def visible(user):
        return set(GoodPractice.objects.visible_to(user).values_list("id", flat=True))

    assert visible(AnonymousUser()) == {published.id}
    assert visible(partner_user) == {published.id}
    assert visible(staff_outsider) == {published.id}
    assert visible(focal_sv) == {published.id, sv_draft.id, sv_returned.id}
    assert visible(focal_gt) == {published.id, gt_submitted.id}
    assert visible(secretariat_user) == {published.id, sv_draft.id, sv_returned.id, gt_submitted.id}


def test_practice_save_draft_with_a_bad_file_saves_nothing(focal_sv, el_salvador):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from practices.models import PracticeAttachment

    with pytest.raises(ValidationError) as caught:
        services.practice_save_draft(
            user=focal_sv,
            values=draft_values([el_salvador]),
            new_attachments=[SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>")],
        )
    assert list(caught.value.message_dict) == ["attachment"]
    assert (GoodPractice.objects.count(), PracticeAttachment.objects.count()) == (0, 0)
