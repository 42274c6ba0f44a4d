"""Reporting cycles: the decisions, the snapshot frozen at close (immutable in the database), and the
completeness figures."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from roadmaps import cycles
from roadmaps.models import ActionStatus, CycleState, ProgressUpdate, SnapshotRow
from tests.progress_world import open_cycle, report

P_START, P_END = datetime.date(2024, 9, 25), datetime.date(2024, 12, 31)


@pytest.fixture
def rr(joint):
    return open_cycle(joint, "rr-2025", P_START, P_END, deadline=datetime.date(2025, 2, 28))


def test_an_update_falls_into_the_open_cycle_covering_its_date(joint, rr):
    inside = report(joint, "SV", ActionStatus.ON_TRACK, 40, datetime.date(2024, 11, 20))
    outside = report(joint, "SV", ActionStatus.ON_TRACK, 50, datetime.date(2025, 3, 1))
    assert (inside.cycle, outside.cycle) == (rr, None)


def test_an_update_cannot_answer_a_closed_cycle(joint, rr):
    cycles.cycle_close(cycle=rr, user=joint.secretariat, reason="Test")
    with pytest.raises(ValidationError) as error:
        report(joint, "SV", ActionStatus.ON_TRACK, 40, datetime.date(2024, 11, 20), cycle=rr)
    assert error.value.message_dict == {"cycle": ["The reporting cycle rr-2025 is not open."]}


def test_closing_freezes_one_row_per_action_and_country(joint, rr):
    report(joint, "SV", ActionStatus.ON_TRACK, 40, datetime.date(2024, 11, 20))
    closed = cycles.cycle_close(cycle=rr, user=joint.secretariat, reason="HN reports next time")
    rows = {r.country_code: (r.status, r.percent_complete, r.narrative) for r in cycles.frozen_rows(closed)}
    assert rows == {
        "SV": ("on_track", 40, "SV on 2024-11-20: on_track 40"),
        "GT": ("not_started", 0, ""),
        "HN": ("not_started", 0, ""),
    }
    assert closed.state == CycleState.CLOSED
    assert closed.history.first().history_change_reason == "HN reports next time"


def test_the_database_refuses_to_change_or_delete_frozen_rows(joint, rr):
    cycles.cycle_close(cycle=rr, user=joint.secretariat, reason="Test")
    row = SnapshotRow.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        SnapshotRow.objects.filter(pk=row.pk).update(percent_complete=99)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM roadmaps_snapshotrow WHERE id = %s", [row.pk])
    assert SnapshotRow.objects.get(pk=row.pk).percent_complete == row.percent_complete


def test_closing_with_open_quality_flags_needs_a_reason(joint, rr):
    flags = {f["key"]: f["count"] for f in cycles.quality_flags(rr)}
    assert flags["overdue_on_track"] == 0 and flags["stale"] == 3  # nobody has reported yet
    with pytest.raises(ValidationError) as error:
        cycles.cycle_close(cycle=rr, user=joint.secretariat)
    assert "decision_reason" in error.value.message_dict
    rr.refresh_from_db()
    assert rr.state == CycleState.OPEN and not SnapshotRow.objects.exists()


def test_reopening_needs_a_reason_and_a_new_close_freezes_a_new_set(joint, rr):
    first = cycles.cycle_close(cycle=rr, user=joint.secretariat, reason="First")
    first_time = first.closed_at
    with pytest.raises(ValidationError):
        cycles.cycle_reopen(cycle=rr, user=joint.secretariat, reason=" ")
    cycles.cycle_reopen(cycle=rr, user=joint.secretariat, reason="Guatemala sent a late report")
    report(joint, "GT", ActionStatus.AT_RISK, 10, datetime.date(2024, 12, 15))
    second = cycles.cycle_close(cycle=rr, user=joint.secretariat, reason="Second")
    assert SnapshotRow.objects.filter(frozen_at=first_time, country_code="GT").get().status == "not_started"
    assert cycles.frozen_rows(second).get(country_code="GT").status == "at_risk"


def test_only_the_secretariat_decides(joint, rr, focal_sv):
    with pytest.raises(PermissionDenied):
        cycles.cycle_close(cycle=rr, user=focal_sv, reason="x")


def test_completeness_counts_each_country(joint, rr):
    report(joint, "SV", ActionStatus.ON_TRACK, 40, datetime.date(2024, 11, 20))
    report(joint, "GT", ActionStatus.ON_TRACK, 10, datetime.date(2024, 11, 21), approve=False)
    live = {
        r["code"]: (r["expected"], r["reported"], r["approved"], r["pending"], r["missing"])
        for r in cycles.completeness(rr, public=False)
    }
    assert live == {"GT": (1, 1, 0, 1, 0), "HN": (1, 0, 0, 0, 1), "SV": (1, 1, 1, 0, 0)}
    public = {r["code"]: (r["approved"], r["missing"], r["reported"]) for r in cycles.completeness(rr, public=True)}
    assert public == {"GT": (0, 1, None), "HN": (0, 1, None), "SV": (1, 0, None)}
    assert ProgressUpdate.objects.filter(cycle=rr).count() == 2
