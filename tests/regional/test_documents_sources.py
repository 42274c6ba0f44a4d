"""The Word documents of a closed cycle or a day (the country's too), their indicator figures against
the XLSX, and sections streamed in chunks: opened with python-docx, as a reader's Word would."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from regional.documents import content
from roadmaps import cycles, services
from roadmaps.models import ActionStatus, ProgressUpdate
from tests.factories import ActionFactory, FocalPointFactory, ObjectiveFactory
from tests.indicator_factories import IndicatorFactory, ReportingCycleFactory
from tests.progress_world import open_cycle, report
from tests.regional.test_documents import _sheet_values, _table_values, _without_titles

pytestmark = pytest.mark.django_db

P_START, P_END = datetime.date(2024, 9, 25), datetime.date(2024, 12, 31)


def _document(response):
    assert response.status_code == 200, response.content[:300]
    return docx.Document(io.BytesIO(response.content))


def _lines(document) -> list[str]:
    """Every paragraph and cell, the generation date left out (it is the one thing that changes)."""
    lines = [p.text for p in document.paragraphs if not p.text.startswith("Generated on ")]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return lines


def _action_table(document, code):
    """The country table under the action `code`'s heading."""
    found = False
    for block in document.iter_inner_content():
        if isinstance(block, docx.text.paragraph.Paragraph):
            if block.style.name.startswith("Heading"):
                found = block.style.name == "Heading 2" and block.text.startswith(f"{code} · ")
        elif found:
            return [[cell.text for cell in row.cells] for row in block.rows[1:]]
    raise AssertionError(f"no table under {code}")


@pytest.fixture
def closed(joint):
    cycle = open_cycle(joint, "rr-2025", P_START, P_END, deadline=datetime.date(2025, 2, 28))
    report(joint, "SV", ActionStatus.ON_TRACK, 40, datetime.date(2024, 11, 20))
    report(joint, "GT", ActionStatus.ON_TRACK, 20, datetime.date(2024, 12, 10))
    return cycles.cycle_close(cycle=cycle, user=joint.secretariat, reason="Honduras reports next time")


def test_country_document_of_a_closed_cycle_is_its_snapshot_and_says_so(client, joint, closed):
    response = client.get("/en/countries/SV/report.docx?cycle=rr-2025")
    before = _document(response)
    report(joint, "SV", ActionStatus.COMPLETED, 100, datetime.date(2025, 5, 1))
    after = _document(client.get("/en/countries/SV/report.docx?cycle=rr-2025"))

    assert _lines(after) == _lines(before)
    assert _action_table(before, "A1") == [
        ["El Salvador", "On track", "40 %", "20 Nov 2024", "SV on 2024-11-20: on_track 40", "—"]
    ]
    footer = before.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Snapshot rr-2025, frozen at ")
    assert response["Content-Disposition"] == 'attachment; filename="gcm-sv-contribution-rr-2025.docx"'
    live = _document(client.get("/en/countries/SV/report.docx"))
    assert _action_table(live, "A1")[0][1:3] == ["Completed", "100 %"]
    assert live.sections[0].footer.paragraphs[0].text.startswith("Live data")


def test_country_document_as_of_a_day_reads_the_status_then(client, joint):
    report(joint, "SV", ActionStatus.ON_TRACK, 40, datetime.date(2024, 11, 20))
    report(joint, "SV", ActionStatus.COMPLETED, 100, datetime.date(2025, 5, 1))

    then = _document(client.get("/en/countries/SV/report.docx?as_of=2024-12-31"))
    today = _document(client.get("/en/countries/SV/report.docx"))

    assert _action_table(then, "A1")[0][:3] == ["El Salvador", "On track", "40 %"]
    assert _action_table(today, "A1")[0][:3] == ["El Salvador", "Completed", "100 %"]
    assert "Status as of 2024-12-31" in _lines(then)
    assert then.sections[0].footer.paragraphs[0].text.startswith("Status as of 2024-12-31 · Page ")


@pytest.mark.parametrize("query", ["cycle=rr-2025", "as_of=2024-12-31"])
def test_country_document_summaries_equal_the_xlsx_of_the_same_source(client, joint, closed, query):
    report(joint, "SV", ActionStatus.COMPLETED, 100, datetime.date(2025, 5, 1))
    workbook = load_workbook(io.BytesIO(client.get(f"/en/review/?{query}&countries=SV&format=xlsx").content))
    document = _document(client.get(f"/en/countries/SV/report.docx?{query}"))

    by_objective = _without_titles(_table_values(document.tables[0]), 1)
    assert by_objective == _without_titles(_sheet_values(workbook, 0), 1)
    by_country = _table_values(document.tables[1])
    assert by_country == _sheet_values(workbook, 1)
    assert [row[:4] + row[5:] for row in by_country] == [["SV", "El Salvador", 1, 0, 40]]  # 40 %, not today's 100


def test_country_document_unknown_cycle_is_400_naming_the_field(client, joint):
    response = client.get("/en/countries/SV/report.docx?cycle=nope")
    assert response.status_code == 400
    assert response.content.decode().startswith("cycle: ")


# --- indicators ----------------------------------------------------------------------------------


def _approve(indicator, country, cycle, value, reviewer):
    update = services.progress_update_submit(
        action=indicator.action,
        country=country,
        author=FocalPointFactory(country=country).user,
        status="on_track",
        percent_complete=50,
        narrative="Reported.",
        reporting_date=datetime.date(2026, 6, 1),
        cycle=cycle,
        indicator_values=[{"indicator": indicator, "value": value}],
    )
    services.progress_update_approve(update=update, reviewer=reviewer)


def _indicator_sheet(client, query):
    response = client.get(f"/en/review/?{query}&format=xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Indicators"]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _number(text):
    return None if text == "—" else Decimal(text.removesuffix(" %"))


@pytest.mark.parametrize("query", ["", "cycle=rr-2025"])
def test_indicator_values_against_targets_equal_the_xlsx(client, el_salvador, guatemala, secretariat_user, query):
    first = ReportingCycleFactory(key="rr-2025")
    second = ReportingCycleFactory(
        key="annual-2026", period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31)
    )
    action = ActionFactory(code="X1", countries=[el_salvador, guatemala], objectives=[ObjectiveFactory(number=3)])
    indicator = IndicatorFactory(action=action, code="I1", baseline_value=0, target_value=500)
    _approve(indicator, el_salvador, first, Decimal(120), secretariat_user)
    cycles.cycle_close(cycle=first, user=secretariat_user, reason="Closing for the test.")
    _approve(indicator, guatemala, second, Decimal(200), secretariat_user)

    sheet = _indicator_sheet(client, query)
    document = _document(client.get(f"/en/review/?{query}&format=docx"))

    indicator_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Indicator"]
    assert (
        len(indicator_tables) == 1
    )  # under the action's block (the summary table after the others starts "Action code")
    header = [c.text for c in indicator_tables[0].rows[0].cells]
    rows = [[c.text for c in row.cells] for row in indicator_tables[0].rows[1:]]
    assert rows[0][0] == f"I1 · {indicator.name}"
    assert "Indicator values against targets" in [p.text for p in document.paragraphs]
    figures = [[_number(text) for text in row[1:]] for row in rows]
    assert figures == [[None if v is None else Decimal(str(v)) for v in r[3:]] for r in sheet[1:]]
    if query:
        assert header[1] == "Value in rr-2025"
        assert figures == [[Decimal(120), Decimal(120), Decimal(500), Decimal(24)]]  # frozen at close
    else:
        assert figures == [[Decimal(320), Decimal(500), Decimal(64)]]


# --- streamed in chunks --------------------------------------------------------------------------


def _text_and_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        document = _document(client.get(url))
    return _lines(document), len(captured)


@pytest.mark.parametrize("url", ["/en/review/?format=docx", "/en/countries/SV/report.docx"])
def test_sections_written_in_chunks_are_the_same_document(client, region, monkeypatch, url):
    whole, queries = _text_and_queries(client, url)
    monkeypatch.setattr(content, "CHUNK_ACTIONS", 1)

    chunked, chunked_queries = _text_and_queries(client, url)

    assert chunked == whole
    headings = [line for line in whole if line.startswith("Objective ")]
    assert headings == sorted(set(headings), key=headings.index)  # each objective's heading once
    assert chunked_queries > queries  # one fixed set of reads per chunk, none per row


def test_a_narrative_with_control_characters_still_makes_a_document(client, region):
    updates = ProgressUpdate.objects.filter(action=region["actions"]["A2"], country=region["guatemala"])
    updates.update(narrative="Line one\x0b and\x01 two & <three>\nnext")

    text = "\n".join(_lines(_document(client.get("/en/review/?format=docx"))))

    assert "Line one and two & <three>\nnext" in text


def test_the_cycle_board_links_to_its_word_document(client, closed):
    html = client.get("/en/review/cycles/rr-2025/").content.decode()
    assert 'href="/en/review/?cycle=rr-2025&amp;format=docx"' in html
