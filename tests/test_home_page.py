"""The home page (regional dashboard) shows the GCM objectives from the database in the active language."""

import html

import pytest

from gcm.models import Objective
from gcm.reference_loader import load_reference
from regional import views

pytestmark = pytest.mark.django_db

OTHER = {"en": "es", "es": "en"}


@pytest.fixture
def reference(db):
    load_reference()


def shown(objective, language, page):
    """The objective's title or short title in `language` is on the page."""
    return getattr(objective, f"title_{language}") in page or getattr(objective, f"short_title_{language}") in page


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_home_page_shows_every_objective_in_the_active_language(reference, client, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert response.resolver_match.func == views.dashboard
    assert response["Content-Language"] == language
    page = html.unescape(response.content.decode())
    objectives = list(Objective.objects.order_by("number"))
    assert len(objectives) == 23
    missing = [o.number for o in objectives if not shown(o, language, page)]
    assert missing == []
    other = OTHER[language]
    objective_5 = Objective.objects.get(number=5)
    assert objective_5.title_es != objective_5.title_en
    assert not shown(objective_5, other, page)


def test_objective_5_in_english_on_en_and_in_spanish_on_es(reference, client):
    objective_5 = Objective.objects.get(number=5)
    english = html.unescape(client.get("/en/").content.decode())
    spanish = html.unescape(client.get("/es/").content.decode())
    assert shown(objective_5, "en", english) and not shown(objective_5, "es", english)
    assert shown(objective_5, "es", spanish) and not shown(objective_5, "en", spanish)
