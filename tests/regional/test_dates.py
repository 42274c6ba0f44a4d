"""Dates nobody misreads: "2 Sep 2026" / "2 sep 2026" in text, ISO in dense tables, the browser's own
date picker on the review report's filters (ISO values, no contradicting format hint)."""

import datetime

import pytest

from tests.factories import ActionFactory, CountryFactory, RoadmapFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(db):
    roadmap = RoadmapFactory(slug="dated", start_date=datetime.date(2025, 1, 6), end_date=datetime.date(2027, 12, 10))
    return ActionFactory(
        roadmap=roadmap,
        code="D1",
        countries=[CountryFactory(code="SV")],
        start_date=datetime.date(2025, 3, 1),
        due_date=datetime.date(2026, 9, 2),
    )


@pytest.mark.parametrize(
    ("language", "due", "period"),
    [("en", "2 Sep 2026", "6 Jan 2025 – 10 Dec 2027"), ("es", "2 sep 2026", "6 ene 2025 – 10 dic 2027")],
)
def test_detail_pages_write_the_month_in_letters(client, action, language, due, period):
    action_html = client.get(f"/{language}/actions/{action.pk}/").content.decode()
    roadmap_html = client.get(f"/{language}/roadmaps/dated/").content.decode()
    assert f"<dd>{due}</dd>" in action_html
    assert f"<dd>{period}</dd>" in roadmap_html


@pytest.mark.parametrize("language", ["en", "es"])
def test_dense_tables_write_iso_dates(client, action, language):
    html = client.get(f"/{language}/countries/SV/").content.decode()
    assert ">2026-09-02</td>" in html
    assert "09/02/2026" not in html and "02/09/2026" not in html


@pytest.mark.parametrize("language", ["en", "es"])
def test_review_filters_are_native_date_inputs_with_iso_values(client, language):
    html = client.get(f"/{language}/review/", {"date_from": "2026-09-02"}).content.decode()
    assert '<input type="date" name="date_from" value="2026-09-02" id="id_date_from">' in html
    assert '<input type="date" name="date_to" id="id_date_to">' in html
    assert "YYYY-MM-DD" not in html and "AAAA-MM-DD" not in html
