"""The progress form /actions/<id>/report/: who may use it, what bad input gets, the conflict case."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from roadmaps.models import ReviewState
from roadmaps.services import progress_update_approve, progress_update_return, progress_update_submit
from tests.factories import FocalPointFactory, UserFactory
from tests.workspace.conftest import minimal_pdf, valid_report

pytestmark = pytest.mark.django_db


def url(action, language="en"):
    return f"/{language}/actions/{action.pk}/report/"


# --- who may use the form -------------------------------------------------------------------------


def test_report_form_anonymous_get_is_sent_to_sign_in(client, action_sv):
    response = client.get(url(action_sv))
    assert response.status_code == 302
    assert response["Location"] == f"/en/accounts/login/?next=/en/actions/{action_sv.pk}/report/"


def test_report_form_anonymous_post_is_sent_to_sign_in_and_saves_nothing(new_updates, client, action_sv):
    response = client.post(url(action_sv), valid_report(action_sv))
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")
    assert new_updates().count() == 0


def test_report_form_focal_point_of_the_country_gets_the_form(client_for, focal_sv, action_sv):
    response = client_for(focal_sv).get(url(action_sv))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<input type="hidden" name="version" value="{action_sv.version}"' in html
    for field in ("status", "percent_complete", "narrative", "challenges", "next_steps", "evidence_url"):
        assert f'<label for="id_{field}">' in html
    assert '<label for="id_evidence_file">' in html
    # One country: nothing to choose.
    assert 'name="country"' not in html


def test_report_form_focal_point_of_another_country_gets_403_and_saves_nothing(
    new_updates, client_for, focal_gt, action_sv
):
    client = client_for(focal_gt)
    get = client.get(url(action_sv))
    post = client.post(url(action_sv), valid_report(action_sv))
    assert get.status_code == 403
    assert post.status_code == 403
    assert "No country you serve as focal point is responsible for this action" in post.content.decode()
    assert "Nothing was saved." in post.content.decode()
    assert new_updates().count() == 0


def test_report_form_secretariat_gets_403_and_saves_nothing(new_updates, client_for, secretariat_user, action_sv):
    client = client_for(secretariat_user)
    assert client.get(url(action_sv)).status_code == 403
    response = client.post(url(action_sv), valid_report(action_sv))
    assert response.status_code == 403
    assert "Only country focal points report progress here" in response.content.decode()
    assert new_updates().count() == 0


@pytest.mark.parametrize("actor", ["staff_outsider", "partner_user"])
def test_report_form_other_roles_get_403_and_save_nothing(new_updates, request, client_for, actor, action_sv):
    client = client_for(request.getfixturevalue(actor))
    assert client.get(url(action_sv)).status_code == 403
    assert client.post(url(action_sv), valid_report(action_sv)).status_code == 403
    assert new_updates().count() == 0


def test_report_form_inactive_focal_point_gets_403(new_updates, client_for, el_salvador, action_sv):
    user = FocalPointFactory(user=UserFactory(username="former-focal"), country=el_salvador, is_active=False).user
    response = client_for(user).post(url(action_sv), valid_report(action_sv))
    assert response.status_code == 403
    assert new_updates().count() == 0


def test_report_form_unknown_action_is_404(client_for, focal_sv):
    assert client_for(focal_sv).get("/en/actions/999999/report/").status_code == 404


def test_report_form_403_page_in_spanish(client_for, focal_gt, action_sv):
    response = client_for(focal_gt).get(url(action_sv, "es"))
    assert response.status_code == 403
    assert "No se guardó nada." in response.content.decode()


# --- a good report --------------------------------------------------------------------------------


def test_report_form_valid_post_saves_a_submitted_update_and_redirects(
    new_updates, client_for, focal_sv, action_sv, el_salvador
):
    client = client_for(focal_sv)
    response = client.post(url(action_sv), valid_report(action_sv))
    assert response.status_code == 302
    assert response["Location"] == "/en/my/"
    update = new_updates().get()
    assert (update.action, update.country, update.author) == (action_sv, el_salvador, focal_sv)
    assert (update.status, update.percent_complete, update.review_state) == ("on_track", 60, ReviewState.SUBMITTED)
    assert update.narrative == "The one-stop shop opened in San Salvador."
    assert (update.challenges, update.next_steps) == ("Staff turnover.", "Open a second office.")
    assert update.evidence_url == "https://example.org/report"
    action_sv.refresh_from_db()
    # Submitted, not approved: the action's own values wait for the review.
    assert (action_sv.status, action_sv.percent_complete, action_sv.version) == ("not_started", 0, 2)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your update on action A1 was sent. It awaits review by the secretariat."
    ]


def test_report_form_accepts_a_real_pdf(new_updates, client_for, focal_sv, action_sv, pdf_upload):
    response = client_for(focal_sv).post(url(action_sv), {**valid_report(action_sv), "evidence_file": pdf_upload})
    assert response.status_code == 302
    update = new_updates().get()
    with update.evidence_file.open("rb") as stored:
        assert stored.read() == minimal_pdf()
    assert update.evidence_file.name.startswith("evidence/")
    assert update.evidence_file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("sent_as", "stored_as"),
    [("x.html", "x.pdf"), ("x.PDF", "x.pdf"), ("report.exe", "report.pdf"), ("x", "x.pdf"), (".html", "html.pdf")],
)
def test_report_form_stores_a_file_under_the_extension_of_its_checked_type(
    new_updates, client_for, focal_sv, action_sv, sent_as, stored_as
):
    sent = SimpleUploadedFile(sent_as, minimal_pdf(), content_type="text/html")
    response = client_for(focal_sv).post(url(action_sv), {**valid_report(action_sv), "evidence_file": sent})
    assert response.status_code == 302
    update = new_updates().get()
    name = update.evidence_file.name.rsplit("/", 1)[-1]
    stem, extension = stored_as.rsplit(".", 1)
    # The storage adds `_<7 characters>` when a file of that name is already stored.
    assert re.fullmatch(rf"{re.escape(stem)}(_[A-Za-z0-9]{{7}})?\.{extension}", name), name
    download = client_for(focal_sv).get(f"/en/updates/{update.pk}/evidence/")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="{name}"'


def test_report_form_focal_point_of_several_countries_chooses_one(
    new_updates, client_for, focal_sv_gt, action_shared, guatemala
):
    client = client_for(focal_sv_gt)
    html = client.get(url(action_shared)).content.decode()
    assert '<label for="id_country">' in html
    response = client.post(url(action_shared), valid_report(action_shared, country=str(guatemala.pk)))
    assert response.status_code == 302
    assert new_updates().get().country == guatemala


def test_report_form_country_outside_the_users_countries_is_refused(
    new_updates, client_for, focal_sv_gt, action_shared
):
    from tests.factories import CountryFactory

    honduras = CountryFactory(code="HN")
    response = client_for(focal_sv_gt).post(url(action_shared), valid_report(action_shared, country=str(honduras.pk)))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["country"]
    assert new_updates().count() == 0


# --- bad input: a message beside the field, in the user's language, nothing saved -----------------


def test_report_form_percent_150_is_refused(new_updates, client_for, focal_sv, action_sv):
    response = client_for(focal_sv).post(url(action_sv), valid_report(action_sv, percent_complete="150"))
    assert response.status_code == 400
    assert response.context["form"].errors == {"percent_complete": ["Ensure this value is less than or equal to 100."]}
    assert new_updates().count() == 0


def test_report_form_percent_150_is_refused_in_spanish(new_updates, client_for, focal_sv, action_sv):
    response = client_for(focal_sv).post(url(action_sv, "es"), valid_report(action_sv, percent_complete="150"))
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "percent_complete": ["Asegúrese de que este valor es menor o igual a 100."]
    }
    assert "Corrija los campos marcados abajo. No se guardó nada." in response.content.decode()
    assert new_updates().count() == 0


def test_report_form_completed_with_80_percent_is_refused(new_updates, client_for, focal_sv, action_sv):
    response = client_for(focal_sv).post(
        url(action_sv), valid_report(action_sv, status="completed", percent_complete="80")
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "percent_complete": ["Status “completed” means 100 %: set the percent to 100 or choose another status."]
    }
    assert new_updates().count() == 0


def test_report_form_completed_with_80_percent_is_refused_in_spanish(new_updates, client_for, focal_sv, action_sv):
    response = client_for(focal_sv).post(
        url(action_sv, "es"), valid_report(action_sv, status="completed", percent_complete="80")
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "percent_complete": ["El estado «completada» significa 100 %: ponga el porcentaje en 100 o elija otro estado."]
    }
    assert new_updates().count() == 0


def test_report_form_narrative_of_100000_characters_is_refused(new_updates, client_for, focal_sv, action_sv):
    response = client_for(focal_sv).post(url(action_sv), valid_report(action_sv, narrative="x" * 100_000))
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "narrative": ["Ensure this value has at most 10000 characters (it has 100000)."]
    }
    assert new_updates().count() == 0


def test_report_form_exe_renamed_pdf_is_refused(new_updates, client_for, focal_sv, action_sv, exe_as_pdf):
    response = client_for(focal_sv).post(url(action_sv), {**valid_report(action_sv), "evidence_file": exe_as_pdf})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "evidence_file": [
            "This file's content is not an accepted type (PDF, PNG, JPEG, DOCX, XLSX), whatever its name says."
        ]
    }
    assert new_updates().count() == 0


def test_report_form_30_mb_file_is_refused(new_updates, client_for, focal_sv, action_sv, huge_pdf):
    response = client_for(focal_sv).post(url(action_sv), {**valid_report(action_sv), "evidence_file": huge_pdf})
    assert response.status_code == 400
    assert response.context["form"].errors == {"evidence_file": ["The file is 30.0 MB; the limit is 10 MB."]}
    assert new_updates().count() == 0


def test_report_form_png_named_docx_is_accepted_for_its_content(new_updates, client_for, focal_sv, action_sv):
    png = SimpleUploadedFile("photo.docx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="application/msword")
    response = client_for(focal_sv).post(url(action_sv), {**valid_report(action_sv), "evidence_file": png})
    assert response.status_code == 302
    assert new_updates().count() == 1


def test_report_form_missing_narrative_and_bad_link(new_updates, client_for, focal_sv, action_sv):
    response = client_for(focal_sv).post(
        url(action_sv), valid_report(action_sv, narrative="", evidence_url="not a url")
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "narrative": ["This field is required."],
        "evidence_url": ["Enter a valid URL."],
    }
    assert new_updates().count() == 0


# --- two people at once ---------------------------------------------------------------------------


def test_report_form_conflict_shows_current_values_and_saves_nothing(
    new_updates, client_for, focal_sv, el_salvador, secretariat_user, action_sv
):
    client = client_for(focal_sv)
    opened = client.get(url(action_sv))
    version_when_opened = opened.context["form"].initial["version"]
    # Meanwhile a colleague reports 30 % and the secretariat approves it.
    colleague = FocalPointFactory(user=UserFactory(username="focal-sv-colleague"), country=el_salvador).user
    other = progress_update_submit(
        action=action_sv,
        country=el_salvador,
        author=colleague,
        status="on_track",
        percent_complete=30,
        narrative="Colleague's report: premises rented.",
    )
    progress_update_approve(update=other, reviewer=secretariat_user)

    response = client.post(url(action_sv), valid_report(action_sv, version=str(version_when_opened)))

    assert response.status_code == 409
    html = response.content.decode()
    assert "This action changed since you opened the form" in html
    assert '<dd id="current-percent">30 %</dd>' in html
    assert "Colleague&#x27;s report: premises rented." in html
    action_sv.refresh_from_db()
    assert (action_sv.percent_complete, action_sv.version) == (30, 3)
    assert list(new_updates().values_list("narrative", flat=True)) == ["Colleague's report: premises rented."]
    # The user's text is kept, now against the current version: a deliberate resubmission goes through.
    form = response.context["form"]
    assert form.initial["narrative"] == "The one-stop shop opened in San Salvador."
    assert form.initial["version"] == 3
    again = client.post(url(action_sv), valid_report(action_sv, version="3"))
    assert again.status_code == 302
    assert new_updates().count() == 2


def test_report_form_conflict_in_spanish(new_updates, client_for, focal_sv, el_salvador, action_sv):
    client = client_for(focal_sv)
    stale = str(action_sv.version)
    progress_update_submit(
        action=action_sv, country=el_salvador, author=focal_sv, status="on_track", percent_complete=10, narrative="x"
    )
    response = client.post(url(action_sv, "es"), valid_report(action_sv, version=stale))
    assert response.status_code == 409
    assert "Esta acción cambió desde que abrió el formulario" in response.content.decode()
    assert new_updates().count() == 1


# --- answering a returned update ------------------------------------------------------------------


def test_report_form_answers_a_returned_update(
    new_updates, client_for, focal_sv, el_salvador, secretariat_user, action_sv
):
    first = progress_update_submit(
        action=action_sv, country=el_salvador, author=focal_sv, status="on_track", percent_complete=50, narrative="v1"
    )
    progress_update_return(update=first, reviewer=secretariat_user, comment="Add the number of people served.")
    client = client_for(focal_sv)

    home = client.get("/en/my/").content.decode()
    assert "Add the number of people served." in home
    assert f"/en/actions/{action_sv.pk}/report/?answer={first.pk}" in home

    form_page = client.get(url(action_sv) + f"?answer={first.pk}")
    assert form_page.status_code == 200
    assert "Add the number of people served." in form_page.content.decode()
    assert form_page.context["form"].initial["narrative"] == "v1"

    action_sv.refresh_from_db()
    response = client.post(
        url(action_sv) + f"?answer={first.pk}",
        valid_report(action_sv, narrative="v2: 120 people served.", percent_complete="50"),
    )
    assert response.status_code == 302
    assert list(new_updates().order_by("id").values_list("narrative", "review_state")) == [
        ("v1", "returned"),
        ("v2: 120 people served.", "submitted"),
    ]
    # Answered: no longer listed as waiting for an answer.
    home = client.get("/en/my/")
    assert home.context["returned_updates"] == []


def test_report_form_without_version_is_refused_with_a_visible_message(new_updates, client_for, focal_sv, action_sv):
    data = valid_report(action_sv)
    del data["version"]
    response = client_for(focal_sv).post(url(action_sv), data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["version"]
    assert "This form is incomplete or out of date: open it again from My actions." in response.content.decode()
    assert new_updates().count() == 0


def test_report_form_head_and_put_are_handled(client_for, focal_sv, action_sv):
    client = client_for(focal_sv)
    assert client.head("/en/my/").status_code == 200
    assert client.put(url(action_sv)).status_code == 405
