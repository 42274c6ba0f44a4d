"""Indicators on the pages: the action page and the review report read the one computation."""

import datetime
import io
import re
from decimal import Decimal

import docx
import pytest
from django.urls import reverse

from roadmaps import services
from tests.factories import ActionFactory, FocalPointFactory, ObjectiveFactory
from tests.indicator_factories import IndicatorFactory, ReportingCycleFactory

pytestmark = pytest.mark.django_db


def approve(indicator, country, cycle, value, reviewer, *, day=datetime.date(2026, 6, 1)):
    update = services.progress_update_submit(
        action=indicator.action,
        country=country,
        author=FocalPointFactory(country=country).user,
        status="on_track",
        percent_complete=50,
        narrative="Reported.",
        reporting_date=day,
        cycle=cycle,
        indicator_values=[{"indicator": indicator, "value": value}],
    )
    services.progress_update_approve(update=update, reviewer=reviewer)


@pytest.fixture
def reported(el_salvador, guatemala, secretariat_user):
    first = ReportingCycleFactory(key="rr-2025")
    second = ReportingCycleFactory(
        key="annual-2026", period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31)
    )
    indicator = IndicatorFactory(
        action=ActionFactory(countries=[el_salvador, guatemala]), code="I1", baseline_value=0, target_value=500
    )
    approve(indicator, el_salvador, first, Decimal(120), secretariat_user)
    approve(indicator, guatemala, second, Decimal(200), secretariat_user)
    return indicator


def cells(html, css):
    return re.findall(rf'class="{css}"[^>]*>([^<]*)<', html)


def test_action_page_shows_the_combined_actual_and_percent(client, reported):
    html = client.get(reverse("regional:action_detail", kwargs={"pk": reported.action_id})).content.decode()

    assert cells(html, "indicator__actual") == ["320"]
    assert cells(html, "indicator__percent") == ["64 %"]
    assert 'aria-labelledby="indicator-chart-I1-title"' in html
    assert cells(html, "indicator__country-actual") == ["200", "120"]  # by ISO code: GT, SV


def test_review_report_shows_the_cumulative_and_the_cycles_value(client, reported):
    html = client.get(reverse("regional:review")).content.decode()
    assert (cells(html, "indicator__actual"), cells(html, "indicator__percent")) == (["320"], ["64 %"])


def test_review_report_of_a_closed_cycle_shows_its_frozen_figures(client, el_salvador, guatemala, secretariat_user):
    from roadmaps.cycles import cycle_close

    first = ReportingCycleFactory(key="rr-2025")
    second = ReportingCycleFactory(
        key="annual-2026", period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31)
    )
    indicator = IndicatorFactory(action=ActionFactory(countries=[el_salvador, guatemala]), code="I1")
    approve(indicator, el_salvador, first, Decimal(120), secretariat_user)
    cycle_close(cycle=first, user=secretariat_user, reason="Closing for the test.")
    approve(indicator, guatemala, second, Decimal(200), secretariat_user)

    html = client.get(reverse("regional:review") + "?cycle=rr-2025").content.decode()

    assert '<th scope="col">Value in rr-2025</th>' in html
    assert (cells(html, "indicator__actual"), cells(html, "indicator__percent")) == (["120"], ["24 %"])


def test_objective_and_country_pages_summarise_the_indicators(client, reported, guatemala):
    objective = ObjectiveFactory(number=7)
    reported.action.objectives.set([objective])

    objective_html = client.get(reverse("regional:objective_detail", kwargs={"number": 7})).content.decode()
    country_html = client.get(reverse("regional:country_detail", kwargs={"code": "GT"})).content.decode()

    assert (cells(objective_html, "indicator__actual"), cells(objective_html, "indicator__percent")) == (
        ["320"],
        ["64 %"],
    )
    # Guatemala's own figure; with a regional target (sum of countries) a country has no percent of its own.
    assert (cells(country_html, "indicator__actual"), cells(country_html, "indicator__percent")) == (["200"], ["—"])


def test_review_report_as_of_a_day_counts_the_values_reported_by_then(client, el_salvador, guatemala, secretariat_user):
    first = ReportingCycleFactory(key="rr-2025")
    second = ReportingCycleFactory(
        key="annual-2026", period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31)
    )
    indicator = IndicatorFactory(action=ActionFactory(countries=[el_salvador, guatemala]), code="I1")
    approve(indicator, el_salvador, first, Decimal(120), secretariat_user, day=datetime.date(2025, 11, 1))
    approve(indicator, guatemala, second, Decimal(200), secretariat_user, day=datetime.date(2026, 6, 1))
    review = reverse("regional:review")

    as_of_2025 = client.get(review + "?as_of=2025-12-31").content.decode()
    period_2025 = client.get(review + "?date_from=2025-01-01&date_to=2025-12-31").content.decode()
    today = client.get(review).content.decode()

    assert (cells(as_of_2025, "indicator__actual"), cells(as_of_2025, "indicator__percent")) == (["120"], ["24 %"])
    assert (cells(period_2025, "indicator__actual"), cells(period_2025, "indicator__percent")) == (["120"], ["24 %"])
    assert (cells(today, "indicator__actual"), cells(today, "indicator__percent")) == (["320"], ["64 %"])
    before_any = client.get(review + "?as_of=2025-10-01").content.decode()
    assert (cells(before_any, "indicator__actual"), cells(before_any, "indicator__percent")) == (["—"], ["—"])


def test_compare_page_shows_the_indicator_deltas(client, el_salvador, guatemala, secretariat_user):
    from roadmaps.cycles import cycle_close

    first = ReportingCycleFactory(key="rr-2025")
    second = ReportingCycleFactory(
        key="annual-2026", period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31)
    )
    indicator = IndicatorFactory(action=ActionFactory(countries=[el_salvador, guatemala]), code="I1")
    approve(indicator, el_salvador, first, Decimal(120), secretariat_user)
    cycle_close(cycle=first, user=secretariat_user, reason="Closing for the test.")
    approve(indicator, guatemala, second, Decimal(200), secretariat_user)

    html = client.get(reverse("regional:review_compare") + "?from=rr-2025&to=live").content.decode()

    (row,) = re.findall(rf'<tr data-indicator="{indicator.pk}">(.*?)</tr>', html, re.S)
    figures = dict(re.findall(r'data-field="(\w+)"[^>]*>([^<]*)<', row))
    assert figures == {
        "cumulative_before": "120",
        "cumulative_after": "320",
        "cumulative_delta": "+200",
        "percent_before": "24 %",
        "percent_after": "64 %",
        "percent_delta": "+40",
    }
    assert f"I1 · {indicator.name_en}" in row


def surfaces(client, indicator):
    """(actual, percent) of `indicator` as the action page, the API and the review report read them."""
    page = client.get(reverse("regional:action_detail", kwargs={"pk": indicator.action_id})).content.decode()
    (row,) = client.get(f"/api/v1/indicators/?action={indicator.action_id}").json()["results"]
    review = client.get(reverse("regional:review")).content.decode()
    api = row["progress_toward_target"]
    return {
        "action page": (cells(page, "indicator__actual"), cells(page, "indicator__percent")),
        "api": ([f"{api['actual']:g}"], [f"{api['percent']} %"]),
        "review report": (cells(review, "indicator__actual"), cells(review, "indicator__percent")),
    }


def test_issue_17_done_when_320_and_64_percent_and_a_decrease_half_way_on_every_surface(
    client, reported, el_salvador, secretariat_user
):
    # Baseline 0, target 500, sum across cycles and countries: 120 (SV, rr-2025) + 200 (GT, annual-2026).
    assert (reported.cycle_combine, reported.country_combine) == ("sum", "sum")
    assert surfaces(client, reported) == dict.fromkeys(("action page", "api", "review report"), (["320"], ["64 %"]))

    decreasing = IndicatorFactory(
        action=ActionFactory(countries=[el_salvador]),
        code="D1",
        unit="number",
        direction="decrease",
        baseline_value=Decimal(40),
        target_value=Decimal(10),
    )
    approve(decreasing, el_salvador, reported.values.first().cycle, Decimal(25), secretariat_user)
    found = surfaces(client, decreasing)
    assert found["action page"] == found["api"] == (["25"], ["50 %"])
    # The review report lists both indicators: the decreasing one at 50 %.
    assert sorted(zip(*found["review report"], strict=True)) == [("25", "50 %"), ("320", "64 %")]


def sheet_rows(response, name):
    from openpyxl import load_workbook

    assert response.status_code == 200
    return [list(row) for row in load_workbook(io.BytesIO(response.content))[name].iter_rows(values_only=True)]


def test_downloads_carry_the_indicator_figures_of_the_page(client, el_salvador, guatemala, secretariat_user):
    from roadmaps.cycles import cycle_close

    first = ReportingCycleFactory(key="rr-2025")
    second = ReportingCycleFactory(
        key="annual-2026", period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31)
    )
    indicator = IndicatorFactory(action=ActionFactory(countries=[el_salvador, guatemala], code="A7"), code="I1")
    approve(indicator, el_salvador, first, Decimal(120), secretariat_user)
    cycle_close(cycle=first, user=secretariat_user, reason="Closing for the test.")
    approve(indicator, guatemala, second, Decimal(200), secretariat_user)
    review = reverse("regional:review")

    frozen = sheet_rows(client.get(review + "?cycle=rr-2025&format=xlsx"), "Indicators")
    today = sheet_rows(client.get(review + "?format=xlsx"), "Indicators")
    compared = sheet_rows(
        client.get(reverse("regional:review_compare") + "?from=rr-2025&to=live&format=xlsx"), "Indicators"
    )

    assert frozen[0][3] == "Value in rr-2025"
    assert frozen[1:] == [["A7", "I1", indicator.name_en, 120, 120, 500, 24]]
    assert today[1:] == [["A7", "I1", indicator.name_en, 320, 500, 64]]
    assert compared[1:] == [["A7", "I1", indicator.name_en, 120, 320, 200, 24, 64, 40]]
    document = docx.Document(io.BytesIO(client.get(review + "?cycle=rr-2025&format=docx").content))
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "Action code"]
    assert [c.text for c in table.rows[1].cells] == ["A7", f"I1 · {indicator.name_en}", "120", "120", "500", "24 %"]
