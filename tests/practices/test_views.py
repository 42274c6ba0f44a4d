"""Pages: the catalogue, a practice's page, the focal points' form, files. Per role."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from practices.models import GoodPractice, PracticeAttachment, PracticeStatus
from tests.factories import ActionFactory, RoadmapFactory, UserFactory
from tests.practices.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db

CATALOGUE = "/en/practices/"


def form_data(country, objective=None, **overrides):
    data = {
        "title_es": "Ventanilla única para personas retornadas",
        "title_en": "",
        "summary_es": "Atención integral en un solo lugar.",
        "summary_en": "",
        "countries": [country.pk],
        "objectives": [objective.pk] if objective else [],
        "language": "es",
        "what_was_done": "Se abrió una ventanilla en el aeropuerto.",
        "results": "",
        "lessons_learned": "La coordinación interinstitucional es clave.",
        "replication_needs": "",
        "links": "https://www.gob.sv/ventanilla",
        "contact_role": "Dirección de Atención al Migrante",
        "start_date": "2024-01-15",
        "end_date": "",
        "save": "1",
    }
    data.update(overrides)
    return data


# --- the catalogue and the practice page ---------------------------------------------------------


def test_catalogue_anonymous_sees_only_published(client, el_salvador, make_practice):
    make_practice(countries=[el_salvador], status=PracticeStatus.PUBLISHED, title_en="Published one")
    for status in (PracticeStatus.DRAFT, PracticeStatus.SUBMITTED, PracticeStatus.RETURNED):
        make_practice(countries=[el_salvador], status=status, title_en=f"Hidden {status}")

    response = client.get(CATALOGUE)

    assert response.status_code == 200
    assert [p.title for p in response.context["page"]] == ["Published one"]
    assert b"Hidden" not in response.content


def test_catalogue_for_focal_point_lists_published_only(client_for, focal_sv, el_salvador, make_practice):
    make_practice(countries=[el_salvador], status=PracticeStatus.PUBLISHED, title_en="Published one")
    make_practice(countries=[el_salvador], title_en="Our draft")

    response = client_for(focal_sv).get(CATALOGUE)

    assert [p.title for p in response.context["page"]] == ["Published one"]


@pytest.mark.parametrize("status", [PracticeStatus.DRAFT, PracticeStatus.SUBMITTED, PracticeStatus.RETURNED])
def test_practice_page_of_unpublished_is_404_for_anonymous_partner_and_other_focal_point(
    client_for, status, el_salvador, make_practice, partner_user, focal_gt, staff_outsider
):
    practice = make_practice(countries=[el_salvador], status=status)
    for user in (None, partner_user, focal_gt, staff_outsider):
        assert client_for(user).get(practice.get_absolute_url()).status_code == 404


def test_practice_page_of_unpublished_is_shown_to_its_focal_point_and_secretariat(
    client_for, el_salvador, make_practice, focal_sv, secretariat_user
):
    practice = make_practice(countries=[el_salvador], status=PracticeStatus.RETURNED, review_comment="Añadir cifras")
    for user in (focal_sv, secretariat_user):
        response = client_for(user).get(practice.get_absolute_url())
        assert response.status_code == 200
        assert "Añadir cifras" in response.content.decode()


def test_practice_page_published_shows_content_in_the_readers_language(client, el_salvador, objective_2, make_practice):
    practice = make_practice(
        countries=[el_salvador],
        objectives=[objective_2],
        status=PracticeStatus.PUBLISHED,
        title_en="One-stop shop",
        title_es="Ventanilla única",
        contact_role="Migration policy unit",
        links="https://example.org/report",
    )
    english = client.get(f"/en/practices/{practice.pk}/").content.decode()
    spanish = client.get(f"/es/practices/{practice.pk}/").content.decode()

    assert "<h1>One-stop shop</h1>" in english
    assert "<h1>Ventanilla única</h1>" in spanish
    assert "Migration policy unit" in english
    assert 'href="https://example.org/report"' in english
    assert "Minimizar los factores adversos" in spanish
    assert "The account below is written in Spanish." in english
    assert "El relato siguiente" not in spanish


def test_catalogue_query_count_does_not_grow_with_practices(
    client, el_salvador, guatemala, objective_2, objective_6, make_practice, django_assert_max_num_queries
):
    make_practice(countries=[el_salvador], objectives=[objective_2], status=PracticeStatus.PUBLISHED)
    with django_assert_max_num_queries(8) as one:
        client.get(CATALOGUE)
    for n in range(12):
        make_practice(
            countries=[el_salvador, guatemala],
            objectives=[objective_2, objective_6],
            status=PracticeStatus.PUBLISHED,
            title_en=f"P{n}",
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(CATALOGUE)
    assert len(response.context["page"]) == 13


def test_catalogue_bad_filter_value_is_a_field_error_not_a_500(client):
    response = client.get(CATALOGUE, {"objective": "99", "country": "ZZ"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"objective", "country"}


# --- the focal point's form -------------------------------------------------------------------------


def test_new_practice_page_per_role(client_for, focal_sv, partner_user, staff_outsider, secretariat_user):
    assert client_for(None).get("/en/practices/new/").status_code == 302
    for user in (partner_user, staff_outsider, secretariat_user):
        assert client_for(user).get("/en/practices/new/").status_code == 403
    response = client_for(focal_sv).get("/es/practices/new/")
    assert response.status_code == 200
    assert response.context["form"].initial["language"] == "es"
    assert [c for c, _label in response.context["form"].fields["countries"].widget.choices] == [
        focal_sv.focal_points.get().country_id
    ]


def test_new_practice_saved_as_draft(client_for, focal_sv, el_salvador, objective_2):
    response = client_for(focal_sv).post("/es/practices/new/", form_data(el_salvador, objective_2))

    practice = GoodPractice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/es/practices/{practice.pk}/edit/"
    assert (practice.status, practice.author, practice.language) == (PracticeStatus.DRAFT, focal_sv, "es")
    assert practice.start_date == datetime.date(2024, 1, 15)
    assert practice.link_list == ["https://www.gob.sv/ventanilla"]


def test_new_practice_for_another_country_is_403_and_nothing_saved(client_for, focal_sv, guatemala, objective_2):
    response = client_for(focal_sv).post("/en/practices/new/", form_data(guatemala, objective_2, submit="1"))

    assert response.status_code == 403
    assert "You are not a focal point for Guatemala" in response.content.decode()
    assert GoodPractice.objects.count() == 0


def test_new_practice_saved_and_submitted_in_one_step(client_for, focal_sv, el_salvador, objective_2):
    data = form_data(el_salvador, objective_2, submit="1")
    del data["save"]
    response = client_for(focal_sv).post("/es/practices/new/", data)

    practice = GoodPractice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/es/practices/{practice.pk}/"
    assert practice.status == PracticeStatus.SUBMITTED


def test_submit_incomplete_keeps_the_draft_and_marks_the_fields(client_for, focal_sv, el_salvador):
    data = form_data(el_salvador, None, submit="1", lessons_learned="")
    del data["save"]
    response = client_for(focal_sv).post("/en/practices/new/", data)

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"objectives", "lessons_learned"}
    assert GoodPractice.objects.get().status == PracticeStatus.DRAFT


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title_es": "", "title_en": ""}, "title_es"),
        ({"end_date": "2023-01-01"}, "end_date"),
        ({"links": "not a link"}, "links"),
        ({"contact_role": "+503 2222 3333"}, "contact_role"),
        ({"start_date": "31/31/2024"}, "start_date"),
    ],
)
def test_bad_input_is_a_field_error_and_nothing_saved(client_for, focal_sv, el_salvador, overrides, field):
    response = client_for(focal_sv).post("/en/practices/new/", form_data(el_salvador, **overrides))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert GoodPractice.objects.count() == 0


def test_upload_that_is_not_an_accepted_type_is_refused(client_for, focal_sv, el_salvador):
    data = form_data(el_salvador, attachment=SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf"))
    response = client_for(focal_sv).post("/en/practices/new/", data)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["attachment"]
    assert GoodPractice.objects.count() == 0
    assert PracticeAttachment.objects.count() == 0


def test_attachment_is_private_until_published(
    client_for, focal_sv, focal_gt, secretariat_user, el_salvador, objective_2
):
    from practices import services

    data = form_data(el_salvador, objective_2, attachment=SimpleUploadedFile("informe.pdf", PDF_BYTES))
    data["attachment_description"] = "Informe final"
    client_for(focal_sv).post("/en/practices/new/", data)
    attachment = PracticeAttachment.objects.get()
    url = reverse("practices:attachment", kwargs={"pk": attachment.pk})
    assert (attachment.description, attachment.uploaded_by) == ("Informe final", focal_sv)

    assert client_for(None).get(url).status_code == 404
    assert client_for(focal_gt).get(url).status_code == 404
    response = client_for(focal_sv).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES

    services.practice_submit(practice=attachment.practice, user=focal_sv)
    services.practice_publish(practice=attachment.practice, reviewer=secretariat_user)
    assert client_for(None).get(url).status_code == 200


def test_edit_page_per_role(client_for, el_salvador, make_practice, focal_sv, focal_gt, partner_user, secretariat_user):
    practice = make_practice(countries=[el_salvador])
    url = f"/en/practices/{practice.pk}/edit/"
    assert client_for(focal_sv).get(url).status_code == 200
    assert client_for(focal_gt).get(url).status_code == 404
    assert client_for(partner_user).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_edit_of_published_practice_redirects_with_a_message(client_for, el_salvador, make_practice, focal_sv):
    practice = make_practice(countries=[el_salvador], status=PracticeStatus.PUBLISHED, title_en="Kept")
    response = client_for(focal_sv).post(f"/en/practices/{practice.pk}/edit/", form_data(el_salvador, title_en="X"))
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.title_en == "Kept"


def test_submit_button_on_practice_page(client_for, el_salvador, objective_2, make_practice, focal_sv, focal_gt):
    practice = make_practice(countries=[el_salvador], objectives=[objective_2])
    url = f"/en/practices/{practice.pk}/submit/"

    assert client_for(focal_gt).post(url).status_code == 404
    assert client_for(focal_sv).get(url).status_code == 405
    response = client_for(focal_sv).post(url)

    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.SUBMITTED


def test_mine_lists_every_status_of_my_countries(client_for, el_salvador, guatemala, make_practice, focal_sv):
    make_practice(countries=[el_salvador], title_en="SV draft")
    make_practice(countries=[el_salvador], status=PracticeStatus.RETURNED, title_en="SV returned")
    make_practice(countries=[guatemala], status=PracticeStatus.PUBLISHED, title_en="GT published")

    response = client_for(focal_sv).get("/en/practices/mine/")

    assert sorted(p.title for p in response.context["practices"]) == ["SV draft", "SV returned"]
    assert client_for(UserFactory(username="nobody")).get("/en/practices/mine/").status_code == 403


def test_edit_removes_a_file_and_adds_another(
    client_for, focal_sv, el_salvador, objective_2, django_capture_on_commit_callbacks
):
    client = client_for(focal_sv)
    first = form_data(el_salvador, objective_2, attachment=SimpleUploadedFile("uno.pdf", PDF_BYTES))
    client.post("/en/practices/new/", first)
    practice = GoodPractice.objects.get()
    old = practice.attachments.get()

    second = form_data(el_salvador, objective_2, attachment=SimpleUploadedFile("dos.pdf", PDF_BYTES))
    second["remove_attachments"] = [old.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/practices/{practice.pk}/edit/", second)

    assert response.status_code == 302
    assert [a.filename.split("_")[0].removesuffix(".pdf") for a in practice.attachments.all()] == ["dos"]
    assert not old.file.storage.exists(old.file.name)


def test_practice_page_query_count(
    client, el_salvador, guatemala, objective_2, objective_6, make_practice, django_assert_max_num_queries
):
    practice = make_practice(
        countries=[el_salvador, guatemala], objectives=[objective_2, objective_6], status=PracticeStatus.PUBLISHED
    )
    with django_assert_max_num_queries(12):
        assert client.get(practice.get_absolute_url()).status_code == 200


def test_practice_page_hides_actions_of_roadmaps_the_reader_cannot_see(
    client_for, el_salvador, make_practice, partner_user
):
    hidden = ActionFactory(
        roadmap=RoadmapFactory(visibility="partners"), countries=[el_salvador], title_en="Partners-only step"
    )
    practice = make_practice(countries=[el_salvador], status=PracticeStatus.PUBLISHED)
    practice.actions.set([hidden])

    anonymous = client_for(None).get(practice.get_absolute_url()).content.decode()
    partner = client_for(partner_user).get(practice.get_absolute_url()).content.decode()
    api_anonymous = client_for(None).get(f"/api/v1/practices/{practice.pk}/").json()
    api_partner = client_for(partner_user).get(f"/api/v1/practices/{practice.pk}/").json()

    assert "Partners-only step" not in anonymous
    assert "Partners-only step" in partner
    assert (api_anonymous["action_ids"], api_partner["action_ids"]) == ([], [hidden.pk])


def test_form_offers_the_actions_of_the_users_countries(client_for, focal_sv, el_salvador, guatemala):
    own = ActionFactory(countries=[el_salvador], code="SV1", title_en="Ours")
    ActionFactory(countries=[guatemala], code="GT1", title_en="Theirs")

    form = client_for(focal_sv).get("/en/practices/new/").context["form"]

    assert [label for _value, label in form.fields["actions"].choices] == [f"{own.roadmap.title} · SV1 Ours"]
