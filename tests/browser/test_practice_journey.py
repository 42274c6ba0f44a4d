"""A good practice's journey in Debian's Chromium: a focal point writes and submits it in Spanish, the
secretariat publishes it from the admin's review page, and the public finds it in the catalogue by a
Spanish word and by an English word. And the catalogue and the form at 360 px: no sideways scroll."""

import pytest
from playwright.sync_api import expect

from practices.models import GoodPractice, PracticeStatus
from tests.browser.conftest import sign_in
from tests.factories import CountryFactory, FocalPointFactory, ObjectiveFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-1234-word"


@pytest.fixture
def journey_data(transactional_db):
    el_salvador = CountryFactory(code="SV")
    user = UserFactory(username="focal-sv-practice")
    FocalPointFactory(user=user, country=el_salvador)
    ObjectiveFactory(number=21, title_en="Safe and dignified return", title_es="Retorno seguro y digno")
    return {"user": user}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_practice_submitted_in_spanish_published_by_secretariat_found_in_catalogue(
    browser, live_server, journey_data, secretariat_user, screenshot_dir
):
    focal = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-ES")
    page = focal.new_page()
    page.set_default_timeout(15000)
    sign_in(page, live_server, "focal-sv-practice", PASSWORD, language="es")

    page.goto(f"{live_server.url}/es/practices/")
    page.get_by_role("link", name="Compartir una buena práctica").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compartir una buena práctica")
    page.get_by_label("título (español)").fill("Ventanilla única para personas retornadas")
    page.get_by_label("título (inglés)").fill("One-stop shop for returnees")
    page.get_by_label("resumen (español)").fill("Atención integral en el aeropuerto para quienes regresan.")
    page.get_by_label("El Salvador").check()
    page.get_by_label("Retorno seguro y digno").check()
    page.get_by_label("qué se hizo").fill("Se capacitó a 40 funcionarios en atención psicosocial.")
    page.get_by_label("resultados").fill("1 200 personas atendidas en 2024.")
    page.get_by_label("lecciones aprendidas").fill("La coordinación interinstitucional es clave.")
    page.get_by_role("button", name="Enviar a revisión").click()

    expect(page.locator(".messages")).to_contain_text("Práctica enviada. La secretaría la revisará.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ventanilla única para personas retornadas")
    practice = GoodPractice.objects.get()
    assert (practice.status, practice.language, practice.author) == (
        PracticeStatus.SUBMITTED,
        "es",
        journey_data["user"],
    )
    focal.close()

    # Not public yet.
    public = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    reader = public.new_page()
    reader.set_default_timeout(15000)
    assert reader.goto(f"{live_server.url}/en/practices/{practice.pk}/").status == 404

    # The secretariat publishes it from the admin.
    secretariat = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    admin = secretariat.new_page()
    admin.set_default_timeout(15000)
    admin.goto(f"{live_server.url}/admin/login/")
    admin.fill("input[name=username]", secretariat_user.username)
    admin.fill("input[name=password]", PASSWORD)
    admin.click("input[type=submit], button[type=submit]")
    admin.goto(f"{live_server.url}/admin/practices/goodpractice/?status__exact=submitted")
    admin.get_by_role("link", name="Publish or return").click()
    expect(admin.locator("#content-main")).to_contain_text("Se capacitó a 40 funcionarios")
    admin.get_by_role("button", name="Publish").click()
    expect(admin.locator(".messagelist")).to_contain_text("Practice published.")
    practice.refresh_from_db()
    assert (practice.status, practice.reviewer) == (PracticeStatus.PUBLISHED, secretariat_user)
    secretariat.close()

    # The public finds it by a Spanish word (accent left out) and by an English word.
    reader.goto(f"{live_server.url}/es/practices/")
    reader.get_by_label("Buscar").fill("capacito")
    reader.get_by_role("button", name="Buscar").click()
    expect(reader.locator(".practice-card")).to_have_count(1)
    expect(reader.locator(".practice-card")).to_contain_text("Ventanilla única para personas retornadas")
    reader.goto(f"{live_server.url}/en/practices/?q=returnees")
    card = reader.locator(".practice-card")
    expect(card).to_have_count(1)
    card.get_by_role("link", name="One-stop shop for returnees").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("One-stop shop for returnees")
    expect(reader.locator("main")).to_contain_text("1 200 personas atendidas en 2024.")
    reader.screenshot(path=str(screenshot_dir / "practice-page.png"), full_page=True)
    public.close()


def test_catalogue_and_form_fit_a_phone(phone_page, live_server, journey_data, screenshot_dir):
    phone_page.goto(f"{live_server.url}/es/practices/")
    assert no_sideways_scroll(phone_page)
    sign_in(phone_page, live_server, "focal-sv-practice", PASSWORD, language="es")
    phone_page.goto(f"{live_server.url}/es/practices/new/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Compartir una buena práctica")
    assert no_sideways_scroll(phone_page)
    phone_page.screenshot(path=str(screenshot_dir / "practice-form-360.png"), full_page=True)
