"""Progress per responsible country: approving one country's report never moves another's, and the
action's overall state follows the one documented rule."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from roadmaps import services
from roadmaps.models import GCM_ADOPTION, Action, ActionStatus, CountryProgress, ProgressUpdate, overall_progress
from tests.progress_world import report

DAY = datetime.date(2025, 3, 1)


def states(action):
    return {
        s.country.code: (s.status, s.percent_complete)
        for s in CountryProgress.objects.filter(action=action).select_related("country")
    }


def test_each_responsible_country_has_a_state_row_from_the_start(joint):
    assert states(joint.action) == {"SV": ("not_started", 0), "GT": ("not_started", 0), "HN": ("not_started", 0)}


def test_adding_and_removing_a_country_adds_and_removes_its_state(joint):
    pa = joint.action.countries.model.objects.create(code="PA", alpha3="PAN", name_en="Panama", name_es="Panamá")
    joint.action.countries.add(pa)
    assert set(states(joint.action)) == {"SV", "GT", "HN", "PA"}
    joint.action.countries.remove(joint.hn)
    assert set(states(joint.action)) == {"SV", "GT", "PA"}


def test_approving_guatemala_never_changes_el_salvador(joint):
    report(joint, "SV", ActionStatus.COMPLETED, 100, DAY)
    before = CountryProgress.objects.get(action=joint.action, country=joint.sv)
    report(joint, "GT", ActionStatus.ON_TRACK, 30, DAY + datetime.timedelta(days=10))
    after = CountryProgress.objects.get(action=joint.action, country=joint.sv)
    assert (after.status, after.percent_complete, after.update_id, after.updated_at) == (
        before.status,
        before.percent_complete,
        before.update_id,
        before.updated_at,
    )
    assert states(joint.action) == {"SV": ("completed", 100), "GT": ("on_track", 30), "HN": ("not_started", 0)}


def test_the_overall_follows_the_documented_rule(joint):
    report(joint, "SV", ActionStatus.COMPLETED, 100, DAY)
    report(joint, "GT", ActionStatus.ON_TRACK, 30, DAY)
    action = Action.objects.get(pk=joint.action.pk)
    # mean of 100, 30 and Honduras' 0 (no report yet); not every country completed; nobody at risk.
    assert (action.status, action.percent_complete) == ("on_track", 43)
    assert action.is_overdue  # due 2025-06-30, and not every country has completed


@pytest.mark.parametrize(
    ("countries", "overall"),
    [
        ([("completed", 100), ("completed", 100)], ("completed", 100)),
        ([("completed", 100), ("cancelled", 10)], ("completed", 100)),
        ([("cancelled", 0), ("cancelled", 20)], ("cancelled", 10)),
        ([("completed", 100), ("at_risk", 40), ("delayed", 10)], ("delayed", 50)),
        ([("on_track", 60), ("at_risk", 40)], ("at_risk", 50)),
        ([("not_started", 0), ("not_started", 0)], ("not_started", 0)),
        ([("completed", 100), ("not_started", 0)], ("on_track", 50)),
    ],
)
def test_overall_progress_rule(countries, overall):
    assert overall_progress(countries) == overall


def test_the_latest_by_reporting_date_wins_not_the_latest_approved(joint):
    report(joint, "SV", ActionStatus.ON_TRACK, 60, DAY)
    report(joint, "SV", ActionStatus.ON_TRACK, 20, DAY - datetime.timedelta(days=30))
    assert states(joint.action)["SV"] == ("on_track", 60)


def test_a_submitted_update_changes_no_state(joint):
    report(joint, "GT", ActionStatus.AT_RISK, 10, DAY, approve=False)
    assert states(joint.action)["GT"] == ("not_started", 0)


def test_reporting_date_in_the_future_is_refused_with_the_field_named(joint):
    with pytest.raises(ValidationError) as error:
        report(joint, "SV", ActionStatus.ON_TRACK, 10, datetime.date(2999, 12, 31))
    assert error.value.message_dict == {"reporting_date": ["The reporting date cannot be in the future."]}
    assert ProgressUpdate.objects.count() == 0


def test_reporting_date_before_the_gcm_is_refused_with_the_field_named(joint):
    with pytest.raises(ValidationError) as error:
        report(joint, "SV", ActionStatus.ON_TRACK, 10, GCM_ADOPTION - datetime.timedelta(days=1))
    assert "The reporting date cannot be before the GCM's adoption (10 December 2018)." in str(error.value)
    assert ProgressUpdate.objects.count() == 0


@pytest.mark.parametrize("day", [datetime.date(2999, 12, 31), datetime.date(2018, 12, 9)])
def test_the_database_refuses_impossible_reporting_dates(joint, day):
    update = report(joint, "SV", ActionStatus.ON_TRACK, 10, DAY, approve=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.filter(pk=update.pk).update(reporting_date=day)


def test_the_secretariats_baseline_applies_to_countries_without_a_report(joint):
    report(joint, "SV", ActionStatus.COMPLETED, 100, DAY)
    services.action_progress_set_baseline(action=joint.action, status=ActionStatus.ON_TRACK, percent_complete=20)
    assert states(joint.action) == {"SV": ("completed", 100), "GT": ("on_track", 20), "HN": ("on_track", 20)}
    action = Action.objects.get(pk=joint.action.pk)
    assert (action.status, action.percent_complete) == ("on_track", 47)


def test_approval_preview_says_what_approval_does_and_writes_nothing(joint):
    report(joint, "SV", ActionStatus.COMPLETED, 100, DAY)
    pending = report(joint, "GT", ActionStatus.ON_TRACK, 30, DAY, approve=False)
    preview = services.approval_preview(pending)
    rows = {row["country"].code: (row["before"], row["after"], row["changes"]) for row in preview["countries"]}
    assert rows == {
        "GT": (("Not started", 0), ("On track", 30), True),
        "HN": (("Not started", 0), ("Not started", 0), False),
        "SV": (("Completed", 100), ("Completed", 100), False),
    }
    assert (preview["overall_before"], preview["overall_after"]) == (("On track", 33), ("On track", 43))
    assert states(joint.action)["GT"] == ("not_started", 0)
