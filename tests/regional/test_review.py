"""The regional review report: rows, grouping, filters, and the XLSX / CSV downloads."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.regional import expected

pytestmark = pytest.mark.django_db


def _page_rows(response):
    """(objective, country, action code, percent) of every row the page shows, in page order."""
    return [
        (int(o), c, a, int(p))
        for o, c, a, p in re.findall(r'data-row="(\d+)\|(\w+)\|([^|]+)\|(\d+)"', response.content.decode())
    ]


def _expected_rows(actions, country_codes=None):
    rows = []
    for action in actions:
        for number in expected.effective_objectives(action):
            for country in action.countries.all():
                if country_codes and country.code not in country_codes:
                    continue
                rows.append((number, country.name_en, action.code, country.code, action.percent_complete))
    rows.sort()
    return [(number, code, action_code, percent) for number, _name, action_code, code, percent in rows]


def _public(region, world):
    """The public actions: the region's A1, A2, A3, B1 and the shared world's A1 (SV + GT 20 %, objectives
    1 and 2) and A2 (GT 100 %, its roadmap's objective 3)."""
    return [region["actions"][k] for k in ("A1", "A2", "A3", "B1")] + [world.a_public_sv, world.a_public_gt]


def test_review_rows_grouped_by_objective_then_country(client, world, region):
    actions = _public(region, world)

    response = client.get("/en/review/")

    assert response.status_code == 200
    assert _page_rows(response) == _expected_rows(actions)
    assert _page_rows(response) == [
        (1, "SV", "A1", 20),
        (1, "SV", "A2", 100),
        (1, "GT", "A1", 20),
        (1, "GT", "A2", 100),
        (1, "GT", "A3", 10),
        (2, "SV", "A1", 20),
        (2, "SV", "A2", 100),
        (2, "GT", "A1", 20),
        (2, "GT", "A2", 100),
        (2, "GT", "A3", 10),
        (3, "GT", "A2", 100),
        (5, "SV", "A1", 40),
        (23, "HN", "B1", 60),
    ]  # within an objective, countries by name: El Salvador before Guatemala
    groups = response.context["groups"]
    assert [g["number"] for g in groups] == [1, 2, 3, 5, 23]
    assert [c["code"] for c in groups[0]["countries"]] == ["SV", "GT"]


def test_review_shows_latest_approved_narrative_of_each_country(client, region):
    response = client.get("/en/review/")
    rows = {
        (r.objective_number, r.country_code, r.action_code): r
        for g in response.context["groups"]
        for c in g["countries"]
        for r in c["rows"]
    }

    assert rows[(1, "SV", "A2")].narrative == "El Salvador closed the pilot."
    assert rows[(1, "SV", "A2")].challenges == "Staff."
    assert rows[(1, "GT", "A2")].narrative == "Guatemala finished its part."
    assert rows[(5, "SV", "A1")].narrative == ""  # only a submitted (unapproved) update exists
    assert "Submitted, not yet approved." not in response.content.decode()


def test_review_summary_figures_equal_hand_computed_ones(client, world, region):
    actions = _public(region, world)

    response = client.get("/en/review/")

    summary = {r.objective.number: (r.actions, r.countries, r.mean_percent) for r in response.context["objective_rows"]}
    assert summary == expected.per_objective(actions)
    by_country = {
        r["code"]: (r["actions"], r["completed"], r["overdue"], r["mean_percent"])
        for r in response.context["country_rows"]
    }
    # SV: A1 40, A2 100 (completed), the world's A1 20 (overdue). GT: A2 100, A3 10 (overdue), the world's
    # A1 20 (overdue) and A2 100 (completed). HN: B1 60 (the world's C1 is internal).
    assert by_country == {"SV": (3, 1, 1, 53.3), "GT": (4, 2, 2, 57.5), "HN": (1, 0, 0, 60.0)}


def test_review_filters_by_country(client, world, region):
    actions = _public(region, world)

    response = client.get("/en/review/", {"countries": ["GT"]})

    assert _page_rows(response) == _expected_rows(actions, {"GT"})
    assert {r["code"] for r in response.context["country_rows"]} == {"GT"}
    summary = {r.objective.number: (r.actions, r.countries) for r in response.context["objective_rows"]}
    assert summary == {1: (3, 1), 2: (3, 1), 3: (1, 1)}  # A2, A3 and the world's A1; the world's A2


def test_review_period_limits_narratives_and_actions(client, region):
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=38), today - datetime.timedelta(days=32)
    region["actions"]["A3"].due_date = today - datetime.timedelta(days=39)  # ended before the period
    region["actions"]["A3"].save(update_fields=["due_date"])

    response = client.get("/en/review/", {"date_from": start.isoformat(), "date_to": end.isoformat()})

    rows = {
        (r.objective_number, r.country_code, r.action_code): r
        for g in response.context["groups"]
        for c in g["countries"]
        for r in c["rows"]
    }
    assert "A3" not in {key[2] for key in rows}
    assert rows[(1, "SV", "A2")].narrative == "El Salvador closed the pilot."  # reported 35 days ago
    assert rows[(1, "GT", "A2")].narrative == ""  # reported 40 days ago, before the period


def test_review_bad_period_is_a_400_with_the_field_message(client, region):
    response = client.get("/en/review/", {"date_from": "2026-05-01", "date_to": "2026-04-01"})

    assert response.status_code == 400
    assert response.context["form"].errors == {"date_to": ["The end of the period cannot be before its start."]}


def test_review_unknown_format_is_a_400(client, region):
    assert client.get("/en/review/", {"format": "pdf"}).status_code == 400


def test_review_xlsx_holds_the_same_rows_as_the_page(client, region):
    page_rows = _page_rows(client.get("/en/review/", {"countries": ["SV", "GT"]}))

    response = client.get("/en/review/", {"countries": ["SV", "GT"], "format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["By objective", "By country", "Actions"]
    sheet = workbook["Actions"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["Objective", "Objective title", "Country code", "Country", "Action code"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:M{len(page_rows) + 1}"
    sheet_rows = [(r[0], r[2], r[4], r[8]) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert sheet_rows == page_rows
    by_objective = list(workbook["By objective"].iter_rows(min_row=2, values_only=True))
    # every objective is listed, those without actions with zeros (here 5: the world's 1, 2, 3 and the
    # region's 5, 23); objectives 1 and 2: A2 100, A3 10 and the world's A1 20
    assert [(r[0], r[2], r[3], r[4]) for r in by_objective] == [
        (1, 3, 2, 43.3),
        (2, 3, 2, 43.3),
        (3, 1, 1, 100),
        (5, 1, 1, 40),
        (23, 0, 0, None),
    ]
    by_country = {r[0]: r[2:] for r in workbook["By country"].iter_rows(min_row=2, values_only=True)}
    assert by_country == {"SV": (3, 1, 1, 53.3), "GT": (4, 2, 2, 57.5)}


def test_review_xlsx_in_spanish_names_its_sheets_in_spanish(client, region):
    response = client.get("/es/review/", {"format": "xlsx"})

    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Por objetivo", "Por país", "Acciones"]


def test_review_csv_holds_the_same_rows_as_the_page(client, region):
    page_rows = _page_rows(client.get("/en/review/"))

    response = client.get("/en/review/", {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][:3] == ["Objective", "Objective title", "Country code"]
    assert [(int(r[0]), r[2], r[4], int(r[8])) for r in lines[1:]] == page_rows


def test_review_anonymous_does_not_see_partner_or_internal_actions(client, region):
    codes = {row[2] for row in _page_rows(client.get("/en/review/"))}
    csv_text = client.get("/en/review/", {"format": "csv"}).content.decode("utf-8-sig")

    assert codes == {"A1", "A2", "A3", "B1"}
    assert ",P1," not in csv_text and ",I1," not in csv_text


def test_review_secretariat_sees_every_action(client_for, region, secretariat_user):
    codes = {row[2] for row in _page_rows(client_for(secretariat_user).get("/en/review/"))}

    # and the world's internal C1 (its draft D1 serves no objective, so has no row)
    assert codes == {"A1", "A2", "A3", "B1", "P1", "I1", "C1"}
