"""A report for chosen countries gives the indicator figures of those countries only (issue 17b): the
review page, its XLSX and Word downloads, the country document and the country page all read
roadmaps.indicators.progress_of(countries=…)."""

import datetime
import io
import re
from decimal import Decimal

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from roadmaps.models import IndicatorCountryTarget
from tests.factories import ActionFactory, CountryFactory, ObjectiveFactory
from tests.indicator_factories import IndicatorFactory, ReportingCycleFactory
from tests.regional.test_indicator_pages import approve, cells

pytestmark = pytest.mark.django_db


@pytest.fixture
def honduras(db):
    return CountryFactory(code="HN")


@pytest.fixture
def cycles():
    first = ReportingCycleFactory(key="rr-2025")
    second = ReportingCycleFactory(
        key="annual-2026", period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31)
    )
    return first, second


@pytest.fixture
def two_countries(el_salvador, guatemala, secretariat_user, cycles):
    """Sum across cycles and countries, target 500: SV 120 (its own target 300), GT 200, approved."""
    indicator = IndicatorFactory(
        action=ActionFactory(countries=[el_salvador, guatemala], code="A7"),
        code="I1",
        baseline_value=0,
        target_value=500,
    )
    indicator.action.objectives.set([ObjectiveFactory(number=7)])  # an action's rows are under an objective
    IndicatorCountryTarget.objects.create(indicator=indicator, country=el_salvador, target_value=300)
    approve(indicator, el_salvador, cycles[0], Decimal(120), secretariat_user)
    approve(indicator, guatemala, cycles[1], Decimal(200), secretariat_user)
    return indicator


def figures(html):
    return cells(html, "indicator__actual"), cells(html, "indicator__percent")


def review(client, query=""):
    return client.get(reverse("regional:review") + query).content.decode()


def test_unfiltered_review_combines_every_country(client, two_countries):
    html = review(client)

    assert figures(html) == (["320"], ["64 %"])
    assert "indicator-scope" not in html


def test_review_for_one_country_gives_its_value_against_its_own_target(client, two_countries):
    html = review(client, "?countries=SV")

    # 120 of SV's own target 300, not 120 of the region's 500 nor the region's 320.
    assert figures(html) == (["120"], ["40 %"])
    assert "Figures of El Salvador only" in html


def test_review_for_all_responsible_countries_is_the_whole_indicator(client, two_countries):
    assert figures(review(client, "?countries=SV&countries=GT")) == (["320"], ["64 %"])


def test_a_country_without_its_own_target_has_no_percent_of_a_summed_target(client, two_countries, guatemala):
    # With a sum across countries the indicator's 500 is the region's: Guatemala alone is not measured by it.
    assert figures(review(client, "?countries=GT")) == (["200"], ["—"])


def test_several_chosen_countries_add_their_own_targets(
    client, el_salvador, guatemala, honduras, secretariat_user, cycles
):
    indicator = IndicatorFactory(
        action=ActionFactory(countries=[el_salvador, guatemala, honduras]), code="I2", target_value=900
    )
    for country, target in ((el_salvador, 300), (guatemala, 100)):
        IndicatorCountryTarget.objects.create(indicator=indicator, country=country, target_value=target)
    approve(indicator, el_salvador, cycles[0], Decimal(120), secretariat_user)
    approve(indicator, guatemala, cycles[1], Decimal(80), secretariat_user)
    approve(indicator, honduras, cycles[1], Decimal(500), secretariat_user)

    # SV + GT: (120 + 80) of (300 + 100) = 50 %; Honduras's 500 is left out.
    assert figures(review(client, "?countries=SV&countries=GT")) == (["200"], ["50 %"])


def test_a_mean_indicator_of_chosen_countries_is_their_mean(
    client, el_salvador, guatemala, honduras, secretariat_user, cycles
):
    indicator = IndicatorFactory(
        action=ActionFactory(countries=[el_salvador, guatemala, honduras]),
        code="P1",
        unit="percent",
        country_combine="mean",
        cycle_combine="latest",
        baseline_value=0,
        target_value=80,
    )
    for country, value in ((el_salvador, 40), (guatemala, 60), (honduras, 20)):
        approve(indicator, country, cycles[0], Decimal(value), secretariat_user)

    assert figures(review(client)) == (["40"], ["50 %"])
    assert figures(review(client, "?countries=SV&countries=GT")) == (["50"], ["63 %"])  # 50 of 80


def test_review_xlsx_and_docx_for_a_country_carry_its_figures_labelled(client, two_countries):
    xlsx = client.get(reverse("regional:review") + "?countries=SV&format=xlsx")
    rows = [list(r) for r in load_workbook(io.BytesIO(xlsx.content))["Indicators"].iter_rows(values_only=True)]
    document = docx.Document(io.BytesIO(client.get(reverse("regional:review") + "?countries=SV&format=docx").content))

    assert rows[0][3:] == ["Cumulative (SV)", "Target (SV)", "Percent of the way to the target (SV)"]
    assert rows[1:] == [["A7", "I1", two_countries.name_en, 120, 300, 40]]
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "Action code"]
    assert [c.text for c in table.rows[1].cells] == ["A7", f"I1 · {two_countries.name_en}", "120", "300", "40 %"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Figures of El Salvador only" in text


def action_indicator_rows(document):
    """The per-action indicator tables' rows (headed "Indicator")."""
    return [
        [c.text for c in row.cells]
        for table in document.tables
        if table.rows[0].cells[0].text == "Indicator"
        for row in table.rows[1:]
    ]


def test_country_document_gives_the_countrys_own_share(client, two_countries):
    sv = docx.Document(io.BytesIO(client.get("/en/countries/SV/report.docx").content))
    gt = docx.Document(io.BytesIO(client.get("/en/countries/GT/report.docx").content))

    assert action_indicator_rows(sv) == [[f"I1 · {two_countries.name_en}", "120", "300", "40 %"]]
    assert action_indicator_rows(gt) == [[f"I1 · {two_countries.name_en}", "200", "—", "—"]]
    assert "Figures of El Salvador only" in "\n".join(p.text for p in sv.paragraphs)


def test_country_page_gives_the_countrys_own_figures_labelled(client, two_countries):
    html = client.get(reverse("regional:country_detail", kwargs={"code": "SV"})).content.decode()

    assert figures(html) == (["120"], ["40 %"])
    assert "Figures of El Salvador only" in html


def test_closed_cycle_report_for_chosen_countries_reads_their_frozen_rows(
    client, two_countries, guatemala, secretariat_user, cycles
):
    from roadmaps.cycles import cycle_close

    cycle_close(cycle=cycles[1], user=secretariat_user, reason="Closing for the test.")

    assert figures(review(client, "?cycle=annual-2026")) == (["320"], ["64 %"])
    assert figures(review(client, "?cycle=annual-2026&countries=SV")) == (["120"], ["40 %"])
    assert figures(review(client, "?cycle=annual-2026&countries=GT")) == (["200"], ["—"])
    assert figures(review(client, "?cycle=annual-2026&countries=SV&countries=GT")) == (["320"], ["64 %"])
    # The cycle's own value: GT's 200 was reported in annual-2026, SV's 120 in rr-2025.
    html = review(client, "?cycle=annual-2026&countries=GT")
    assert re.search(r'data-label="Value">200<', html)


def test_review_for_chosen_countries_reads_a_constant_number_of_queries(
    client, el_salvador, guatemala, secretariat_user, cycles
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_indicators(n):
        for _ in range(n):
            indicator = IndicatorFactory(action=ActionFactory(countries=[el_salvador, guatemala]))
            approve(indicator, el_salvador, cycles[0], Decimal(10), secretariat_user)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("regional:review") + "?countries=SV").status_code == 200
        return len(queries)

    add_indicators(2)
    few = count()
    add_indicators(4)
    assert count() == few
