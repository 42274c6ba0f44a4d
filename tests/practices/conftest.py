"""Good practices in each state, arranged directly (tests of behaviour go through the services)."""

import pytest
from django.utils import timezone, translation

from practices.models import GoodPractice, PracticeStatus
from tests.factories import ObjectiveFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Services' messages are in the active language: a request in Spanish must not leak into a test."""
    with translation.override("en"):
        yield


@pytest.fixture
def objective_2(db):
    return ObjectiveFactory(
        number=2, title_en="Minimize the adverse drivers", title_es="Minimizar los factores adversos"
    )


@pytest.fixture
def objective_6(db):
    return ObjectiveFactory(number=6, title_en="Fair and ethical recruitment", title_es="Contratación equitativa")


@pytest.fixture
def make_practice(db):
    """`make_practice(countries=[...], status=..., **fields)`: a practice in any state."""

    def make(*, countries, objectives=(), status=PracticeStatus.DRAFT, author=None, **fields):
        values = {
            "title_en": "Practice",
            "title_es": "Práctica",
            "summary_es": "Resumen.",
            "what_was_done": "Se hizo.",
            "lessons_learned": "Se aprendió.",
            **fields,
        }
        if status in (PracticeStatus.PUBLISHED, PracticeStatus.RETURNED):
            values.setdefault("reviewer", UserFactory(username="arranged-reviewer"))
            values.setdefault("reviewed_at", timezone.now())
        if status == PracticeStatus.PUBLISHED:
            values.setdefault("published_at", timezone.now())
        if status == PracticeStatus.RETURNED:
            values.setdefault("review_comment", "Add figures.")
        practice = GoodPractice.objects.create(
            status=status, author=author or UserFactory(username="arranged-author"), **values
        )
        practice.countries.set(countries)
        practice.objectives.set(objectives)
        return practice

    return make


@pytest.fixture
def api_client_with_token():
    """`api_client_with_token(key)`: a client that sends `Authorization: Token <key>`."""
    from django.test import Client

    return lambda key: Client(HTTP_AUTHORIZATION=f"Token {key}")
