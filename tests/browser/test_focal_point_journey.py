"""The focal point's journey in Spanish, in Debian's Chromium: report 60 % with a PDF, the secretariat
approves it in the admin, the focal point sees it approved. And the form at 360 px: no sideways scroll."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Profile
from roadmaps.models import ProgressUpdate, ReviewState
from tests.browser.conftest import sign_in
from tests.factories import ActionFactory, CountryFactory, FocalPointFactory, RoadmapFactory, UserFactory
from tests.workspace.conftest import minimal_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-1234-word"


@pytest.fixture
def journey_data(transactional_db):
    el_salvador = CountryFactory(code="SV")
    user = UserFactory(username="focal-sv", first_name="Ana", last_name="Martínez")
    FocalPointFactory(user=user, country=el_salvador)
    Profile.objects.create(user=user, preferred_language="es")
    roadmap = RoadmapFactory(slug="movilidad-laboral", title_es="Movilidad laboral", lead_country=el_salvador)
    action = ActionFactory(
        roadmap=roadmap,
        code="A1",
        title_es="Abrir una ventanilla única para trabajadores migrantes",
        countries=[el_salvador],
    )
    return {"user": user, "action": action}


def test_focal_point_journey_in_spanish(browser, live_server, journey_data, secretariat_user, tmp_path):
    action = journey_data["action"]
    pdf = tmp_path / "informe-avance.pdf"
    pdf.write_bytes(minimal_pdf())

    focal = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-ES")
    page = focal.new_page()
    page.set_default_timeout(15000)
    # Signs in on the English page: the profile's language (Spanish) takes over.
    sign_in(page, live_server, "focal-sv", PASSWORD, language="en")
    expect(page).to_have_url(f"{live_server.url}/es/my/")

    page.get_by_role("link", name="Mis acciones").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mis acciones")
    card = page.locator("li.ws-action", has_text="Abrir una ventanilla única")
    card.get_by_role("link", name=re.compile("Informar el avance")).click()
    expect(page).to_have_url(f"{live_server.url}/es/actions/{action.pk}/report/")

    page.get_by_label("Estado").select_option("on_track")
    page.get_by_label("Porcentaje de avance").fill("60")
    page.get_by_label("Qué se hizo").fill("La ventanilla única abrió en San Salvador; 120 personas atendidas.")
    page.get_by_label("Dificultades").fill("Rotación de personal.")
    page.get_by_label("Archivo de evidencia").set_input_files(str(pdf))
    page.get_by_role("button", name="Enviar el informe").click()

    expect(page).to_have_url(f"{live_server.url}/es/my/")
    expect(page.locator(".messages")).to_contain_text(
        "Su informe sobre la acción A1 fue enviado. Queda en espera de revisión por la secretaría."
    )
    pending = page.locator("section", has=page.get_by_role("heading", name="En espera de revisión"))
    expect(pending).to_contain_text("A1")
    expect(pending).to_contain_text("60 %")
    update = ProgressUpdate.objects.get()
    assert (update.review_state, update.percent_complete) == (ReviewState.SUBMITTED, 60)
    assert update.evidence_file.name.endswith(".pdf")

    # The secretariat approves it in the admin, with the bulk action on the changelist.
    secretariat = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-ES")
    admin = secretariat.new_page()
    admin.set_default_timeout(15000)
    admin.goto(f"{live_server.url}/admin/login/")
    admin.fill("input[name=username]", secretariat_user.username)
    admin.fill("input[name=password]", PASSWORD)
    admin.click("input[type=submit], button[type=submit]")
    admin.goto(f"{live_server.url}/admin/roadmaps/progressupdate/")
    admin.check(f"input[name=_selected_action][value='{update.pk}']")
    admin.select_option("select[name=action]", "approve_selected")
    admin.click("button[name=index]")
    expect(admin.locator("ul.messagelist")).to_be_visible()
    update.refresh_from_db()
    assert update.review_state == ReviewState.APPROVED
    secretariat.close()

    # The focal point sees 60 %, approved.
    page.goto(f"{live_server.url}/es/my/")
    expect(page.get_by_role("heading", name="En espera de revisión")).to_have_count(0)
    card = page.locator("li.ws-action", has_text="Abrir una ventanilla única")
    expect(card).to_contain_text("60 %")
    card.get_by_role("link", name=re.compile("Informar el avance")).click()
    expect(page.locator("#current-percent")).to_have_text("60 %")
    expect(page.locator(".ws-history li").first.locator(".badge--approved")).to_have_count(1)
    focal.close()


def test_report_form_fits_a_360_px_phone(phone_page, live_server, journey_data, screenshot_dir):
    action = journey_data["action"]
    sign_in(phone_page, live_server, "focal-sv", PASSWORD, language="es")
    for path, name in ((f"/es/actions/{action.pk}/report/", "report-form-360.png"), ("/es/my/", "my-actions-360.png")):
        phone_page.goto(f"{live_server.url}{path}")
        phone_page.wait_for_load_state("networkidle")
        scroll_width = phone_page.evaluate("document.documentElement.scrollWidth")
        phone_page.screenshot(path=str(screenshot_dir / name), full_page=True)
        assert scroll_width <= 360, f"{path} scrolls sideways: {scroll_width}px"
    # Every field of the form has a label and is reachable with the keyboard.
    phone_page.goto(f"{live_server.url}/es/actions/{action.pk}/report/")
    for field in ("id_status", "id_percent_complete", "id_narrative", "id_evidence_url", "id_evidence_file"):
        assert phone_page.locator(f"label[for={field}]").count() == 1
    phone_page.focus("#id_status")
    phone_page.keyboard.press("Tab")
    assert phone_page.evaluate("document.activeElement.id") == "id_percent_complete"


def test_report_form_works_with_the_keyboard_and_without_javascript(browser, live_server, journey_data):
    action = journey_data["action"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-ES", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, live_server, "focal-sv", PASSWORD, language="es")
    page.goto(f"{live_server.url}/es/actions/{action.pk}/report/")

    page.focus("#id_status")
    page.keyboard.press("ArrowDown")  # not started -> on track
    order = []
    # The date input takes three Tab stops (day, month, year): consecutive repeats are counted once.
    for text in (None, "45", "Informe escrito con el teclado.", "", "", "", None, None, None, None, None, None):
        if text:
            page.keyboard.press("Control+A")
            page.keyboard.type(text)
        order.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
        page.keyboard.press("Tab")
    order.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
    order = [entry for i, entry in enumerate(order) if i == 0 or entry != order[i - 1]]
    assert order == [
        "id_status",
        "id_percent_complete",
        "id_narrative",
        "id_challenges",
        "id_next_steps",
        "id_evidence_url",
        "id_evidence_file",
        "id_reporting_date",
        "id_cycle",
        "Enviar el informe",
    ]
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/es/my/")
    update = ProgressUpdate.objects.get()
    assert (update.status, update.percent_complete, update.narrative) == (
        "on_track",
        45,
        "Informe escrito con el teclado.",
    )
    context.close()
