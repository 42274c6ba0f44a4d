"""The review report frozen by a cycle, as of a day, the board and compare — as the public and the
secretariat read them, and what stays the same when later reports are approved."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roadmaps import cycles
from roadmaps.models import ActionStatus
from tests.factories import ActionFactory
from tests.progress_world import open_cycle, report

P_START, P_END = datetime.date(2024, 9, 25), datetime.date(2024, 12, 31)


@pytest.fixture
def closed(joint):
    cycle = open_cycle(joint, "rr-2025", P_START, P_END, deadline=datetime.date(2025, 2, 28))
    report(joint, "SV", ActionStatus.ON_TRACK, 40, datetime.date(2024, 11, 20))
    report(joint, "GT", ActionStatus.ON_TRACK, 20, datetime.date(2024, 12, 10))
    return cycles.cycle_close(cycle=cycle, user=joint.secretariat, reason="Honduras reports next time")


def download(client, query):
    response = client.get(f"/en/review/?{query}")
    assert response.status_code == 200
    return response.content


def test_a_frozen_cycle_downloads_the_same_bytes_after_later_approvals(client, joint, closed):
    before = {fmt: download(client, f"cycle=rr-2025&format={fmt}") for fmt in ("xlsx", "csv")}
    api_before = client.get("/api/v1/cycles/rr-2025/rows/?format=csv").getvalue()
    stats_before = client.get("/api/v1/stats/objectives/?cycle=rr-2025").content
    live_before = client.get("/en/review/").content

    report(joint, "SV", ActionStatus.COMPLETED, 100, datetime.date(2025, 5, 1))

    after = {fmt: download(client, f"cycle=rr-2025&format={fmt}") for fmt in ("xlsx", "csv")}
    assert after == before
    assert client.get("/api/v1/cycles/rr-2025/rows/?format=csv").getvalue() == api_before
    assert client.get("/api/v1/stats/objectives/?cycle=rr-2025").content == stats_before
    live_after = client.get("/en/review/").content
    assert live_after != live_before
    assert b"Completed" in live_after


def test_the_frozen_report_says_what_it_is(client, closed):
    page = client.get("/en/review/?cycle=rr-2025").content.decode()
    assert "Snapshot rr-2025, frozen at" in page
    csv_header = download(client, "cycle=rr-2025&format=csv").decode("utf-8-sig").splitlines()[0]
    assert "Status (Snapshot rr-2025, frozen at" in csv_header
    assert "Status (Status today)" in download(client, "format=csv").decode("utf-8-sig").splitlines()[0]


def test_frozen_rows_in_the_api(client, closed):
    rows = client.get("/api/v1/cycles/rr-2025/rows/").json()["results"]
    assert [(r["country_code"], r["status"], r["percent_complete"]) for r in rows] == [
        ("GT", "on_track", 20),
        ("HN", "not_started", 0),
        ("SV", "on_track", 40),
    ]
    detail = client.get("/api/v1/cycles/rr-2025/").json()
    assert detail["state"] == "closed"
    assert {c["country"]: (c["expected"], c["approved"], c["missing"]) for c in detail["completeness"]} == {
        "GT": (1, 1, 0),
        "HN": (1, 0, 1),
        "SV": (1, 1, 0),
    }


def test_as_of_reads_each_countrys_latest_report_by_then_as_independent_sql_does(client, joint):
    days = [datetime.date(2025, 1, 10), datetime.date(2025, 2, 10), datetime.date(2025, 3, 10)]
    report(joint, "SV", ActionStatus.ON_TRACK, 30, days[0])
    report(joint, "GT", ActionStatus.AT_RISK, 10, days[1])
    report(joint, "SV", ActionStatus.COMPLETED, 100, days[2])
    as_of = datetime.date(2025, 2, 15)
    with connection.cursor() as cursor:  # written here, independently of the application's SQL
        cursor.execute(
            """
            SELECT c.code, COALESCE((
                SELECT u.percent_complete FROM roadmaps_progressupdate u
                WHERE u.action_id = l.action_id AND u.country_id = l.country_id
                  AND u.review_state = 'approved' AND u.reporting_date <= %s
                ORDER BY u.reporting_date DESC, u.reviewed_at DESC LIMIT 1), 0)
            FROM roadmaps_action_countries l JOIN countries_country c ON c.id = l.country_id
            WHERE l.action_id = %s ORDER BY c.code
            """,
            [as_of, joint.action.pk],
        )
        expected = dict(cursor.fetchall())
    assert expected == {"GT": 10, "HN": 0, "SV": 30}
    csv_lines = download(client, f"as_of={as_of}&format=csv").decode("utf-8-sig").splitlines()
    assert "Status (Status as of 2025-02-15)" in csv_lines[0]
    got = {line.split(",")[2]: int(line.split(",")[8]) for line in csv_lines[1:]}
    assert got == expected
    # A period is read as of its end.
    period = download(client, "date_from=2025-01-01&date_to=2025-02-15&format=csv").decode("utf-8-sig").splitlines()
    assert {line.split(",")[2]: int(line.split(",")[8]) for line in period[1:]} == expected


def test_compare_counts_equal_the_databases(client, joint, closed):
    report(joint, "SV", ActionStatus.COMPLETED, 100, datetime.date(2025, 5, 1))
    ActionFactory(roadmap=joint.roadmap, code="A9", countries=[joint.sv])
    answer = client.get("/api/v1/cycles/rr-2025/compare/?with=live").json()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FILTER (WHERE s.id IS NOT NULL AND (s.status, s.percent_complete) IS DISTINCT FROM
                                    (p.status, p.percent_complete)),
                   count(*) FILTER (WHERE s.id IS NULL)
            FROM roadmaps_countryprogress p
            LEFT JOIN roadmaps_snapshotrow s ON s.action_id = p.action_id AND s.country_id = p.country_id
                  AND s.cycle_id = %s
            """,
            [closed.pk],
        )
        changed, added = cursor.fetchone()
    by_country = answer["counts"]["by_country"]
    assert sum(c["changed"] for c in by_country.values()) == changed == 1
    assert sum(c["added"] for c in by_country.values()) == added == 1
    assert by_country["SV"] == {"added": 1, "removed": 0, "changed": 1, "unchanged": 0}
    page = client.get("/en/review/compare/?from=rr-2025&to=live")
    assert page.status_code == 200 and 'data-change="changed"' in page.text


def test_the_public_board_shows_approved_figures_only(client, client_for, joint, closed):
    public = client.get("/en/review/cycles/rr-2025/").text
    assert 'data-field="pending"' not in public
    secretariat = client_for(joint.secretariat).get("/en/review/cycles/rr-2025/").text
    assert 'data-field="pending"' in secretariat


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url", ["/en/review/cycles/rr-2025/", "/en/review/compare/?from=rr-2025&to=live", "/en/review/?cycle=rr-2025"]
)
def test_query_counts_do_not_grow_with_rows(client, joint, closed, url):
    few = _queries(client, url)
    for n in range(12):
        ActionFactory(roadmap=joint.roadmap, code=f"B{n}", countries=[joint.sv, joint.gt])
    cycles.cycle_reopen(cycle=closed, user=joint.secretariat, reason="More actions")
    cycles.cycle_close(cycle=closed, user=joint.secretariat, reason="Again")
    assert _queries(client, url) == few


def _document_text(content: bytes) -> list[str]:
    import io

    import docx

    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs if not p.text.startswith("Generated on ")]
    for table in document.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return lines


def test_a_frozen_cycles_word_document_keeps_its_text_and_tables_after_later_approvals(client, joint, closed):
    before = _document_text(client.get("/en/review/?cycle=rr-2025&format=docx").content)
    report(joint, "SV", ActionStatus.COMPLETED, 100, datetime.date(2025, 5, 1))
    after = _document_text(client.get("/en/review/?cycle=rr-2025&format=docx").content)
    assert after == before
    assert any("Snapshot rr-2025, frozen at" in line for line in before)
    live = _document_text(client.get("/en/review/?format=docx").content)
    assert live != before
