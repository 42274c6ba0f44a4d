"""`seed_demo`: a believable II Forum follow-up, four demo accounts with the right roles, idempotent."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from rest_framework.authtoken.models import Token

from accounts import roles
from accounts.models import Profile
from countries.models import Country, FocalPoint
from gcm.models import Objective
from roadmaps.models import (
    Action,
    CountryProgress,
    ProgressUpdate,
    ReviewState,
    Roadmap,
    RoadmapStatus,
    Theme,
    Visibility,
    overall_progress,
)

pytestmark = pytest.mark.django_db

PASSWORD = "demo-pass-2024"


def seed(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out, **kwargs)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed("--password", PASSWORD)


def user(username):
    return get_user_model().objects.get(username=username)


def counts():
    return {
        "users": get_user_model().objects.count(),
        "focal points": FocalPoint.objects.count(),
        "tokens": Token.objects.count(),
        "themes": Theme.objects.count(),
        "roadmaps": Roadmap.objects.count(),
        "actions": Action.objects.count(),
        "updates": dict(ProgressUpdate.objects.values_list("review_state").annotate(n=Count("id"))),
        "action countries": Action.countries.through.objects.count(),
        "dependencies": Action.depends_on.through.objects.count(),
        "objectives": Objective.objects.count(),
    }


def test_roadmaps_and_their_actions(seeded):
    roadmaps = Roadmap.objects.annotate(n=Count("actions"))
    assert roadmaps.count() >= 4
    assert all(5 <= roadmap.n <= 10 for roadmap in roadmaps), [(r.slug, r.n) for r in roadmaps]
    assert Theme.objects.count() == 4
    visibilities = list(Roadmap.objects.values_list("visibility", flat=True))
    assert visibilities.count(Visibility.PUBLIC) > len(visibilities) / 2
    assert Visibility.PARTNERS in visibilities
    assert Visibility.INTERNAL in visibilities
    assert Roadmap.objects.filter(status=RoadmapStatus.ACTIVE).count() >= 4
    # Every action is tagged, has a responsible country and a due date not before its start.
    assert not Action.objects.filter(objectives=None).exists()
    assert not Action.objects.filter(countries=None).exists()
    assert all(a.start_date <= a.due_date for a in Action.objects.all())
    assert Action.objects.filter(countries__code="SV").exists()
    assert Action.objects.filter(countries__code="GT").exists()
    assert Action.depends_on.through.objects.count() >= 3
    assert Action.objects.overdue().count() >= 3
    assert Action.objects.due_soon(days=14).count() >= 2


def test_updates_in_every_review_state(seeded):
    states = set(ProgressUpdate.objects.values_list("review_state", flat=True))
    assert states == {ReviewState.SUBMITTED, ReviewState.APPROVED, ReviewState.RETURNED}
    for returned in ProgressUpdate.objects.filter(review_state=ReviewState.RETURNED):
        assert returned.review_comment
        assert returned.reviewer == user("secretariat")
    assert set(ProgressUpdate.objects.values_list("author__username", flat=True)) == {"focal-sv", "focal-gt"}


def test_an_approved_update_sets_its_country_and_the_action_follows_its_countries(seeded):
    approved = ProgressUpdate.objects.filter(review_state=ReviewState.APPROVED)
    assert approved.count() >= 4
    for update in approved:
        latest = (
            ProgressUpdate.objects.filter(action=update.action, country=update.country)
            .approved()
            .order_by("-reporting_date", "-reviewed_at")
            .first()
        )
        state = CountryProgress.objects.get(action_id=update.action_id, country_id=update.country_id)
        assert (state.status, state.percent_complete, state.update_id) == (
            latest.status,
            latest.percent_complete,
            latest.pk,
        )
        action = Action.objects.get(pk=update.action_id)
        states = list(CountryProgress.objects.filter(action=action).values_list("status", "percent_complete"))
        assert (action.status, action.percent_complete) == overall_progress(states)
    # A1 is shared by SV, GT and HN: El Salvador's completion is El Salvador's alone.
    a1 = Action.objects.get(roadmap__slug="regular-labour-pathways-2024-2027", code="A1")
    by_country = {s.country.code: (s.status, s.percent_complete) for s in a1.country_progress.select_related("country")}
    assert by_country == {"SV": ("completed", 100), "GT": ("on_track", 20), "HN": ("not_started", 0)}
    assert (a1.status, a1.percent_complete) == ("on_track", 40)


def test_the_four_accounts_have_their_roles(seeded):
    secretariat, focal_sv, focal_gt, partner = (user(n) for n in ("secretariat", "focal-sv", "focal-gt", "partner"))
    assert secretariat.is_staff and roles.is_secretariat(secretariat)
    assert not roles.is_partner(secretariat) and not roles.is_focal_point(secretariat)
    assert roles.focal_country_ids(focal_sv) == {Country.objects.get(code="SV").id}
    assert roles.focal_country_ids(focal_gt) == {Country.objects.get(code="GT").id}
    assert not focal_sv.is_staff and not roles.is_secretariat(focal_sv)
    assert roles.is_partner(partner) and not partner.is_staff and not roles.is_focal_point(partner)
    assert Token.objects.filter(user=partner).exists()
    assert Profile.objects.get(user=focal_sv).preferred_language == "es"
    for account in (secretariat, focal_sv, focal_gt, partner):
        assert account.check_password(PASSWORD)


def test_it_prints_the_password_and_the_partner_token(seeded):
    token = Token.objects.get(user__username="partner").key
    assert f"Password of every demo account: {PASSWORD}" in seeded
    assert f"API token of 'partner': {token}" in seeded


def test_the_password_comes_from_demo_password_or_is_generated(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "from-the-environment")
    seed()
    assert user("focal-gt").check_password("from-the-environment")
    monkeypatch.delenv("DEMO_PASSWORD")
    output = seed()
    generated = re.search(r"Password of every demo account: (\S+)", output).group(1)
    assert len(generated) >= 12
    assert user("focal-gt").check_password(generated)


def test_running_twice_gives_the_same_counts(seeded):
    before = counts()
    seed("--password", PASSWORD)
    assert counts() == before


def test_two_countries_have_near_duplicate_actions_for_the_collaboration_finder(seeded):
    sv = Action.objects.get(roadmap__slug="regular-labour-pathways-2024-2027", code="A3")
    gt = Action.objects.get(roadmap__slug="return-and-reintegration-2024-2027", code="A2")
    assert set(sv.countries.values_list("code", flat=True)) == {"SV"}
    assert set(gt.countries.values_list("code", flat=True)) == {"GT"}
    shared = set(sv.objectives.values_list("number", flat=True)) & set(gt.objectives.values_list("number", flat=True))
    assert 5 in shared
    assert "one-stop information centres on regular labour migration pathways" in sv.title_en
    assert "one-stop information centres on regular labour migration pathways" in gt.title_en
    assert "ventanillas únicas de información sobre vías regulares de migración laboral" in sv.title_es
    assert "ventanillas únicas de información sobre vías regulares de migración laboral" in gt.title_es


@pytest.mark.django_db(transaction=True)
def test_seeding_mails_nobody(mailoutbox):
    """The demo reviews trigger review notices after commit; they go to a dummy backend, not to anyone."""
    seed("--password", PASSWORD)
    # 11 reviewed updates of the demo, plus the 4 approved reports of the closed cycle rr-2025, plus the
    # 34 approved reports that carry the demo's indicator values (roadmaps.demo_indicators).
    assert ProgressUpdate.objects.exclude(review_state=ReviewState.SUBMITTED).count() == 15 + 34
    assert mailoutbox == []


def test_it_loads_the_reference_data_when_some_is_missing(db):
    from tests.factories import CountryFactory, ObjectiveFactory

    CountryFactory(code="SV")
    ObjectiveFactory(number=5)
    output = seed("--password", PASSWORD)
    assert "Reference data missing: loading it first." in output
    assert Objective.objects.count() == 23
    assert Roadmap.objects.count() == 5
    # Rows made before the first load (no snapshot, so no correction to keep) take the file's values.
    assert "adopted: objective 5 existed without a reference snapshot" in output
    assert Objective.objects.get(number=5).title_en.startswith("Enhance availability and flexibility of pathways")


def test_indicators_with_values_in_both_cycles(seeded):
    from roadmaps.indicator_snapshots import frozen_indicator_rows
    from roadmaps.models import IndicatorValue, ReportingCycle

    with_indicator = Action.objects.filter(indicators__isnull=False).distinct().count()
    assert with_indicator * 2 >= Action.objects.count()
    values = IndicatorValue.objects.counted()
    assert set(values.values_list("cycle__key", flat=True)) == {"rr-2025", "annual-2026"}
    assert set(values.values_list("country__code", flat=True)) == {"SV", "GT"}
    disaggregated = values.exclude(disaggregation={})
    assert disaggregated.exists()
    assert all(set(v.disaggregation) == {"sex", "age"} for v in disaggregated)
    assert frozen_indicator_rows(ReportingCycle.objects.get(key="rr-2025")).filter(country_code="").exists()
