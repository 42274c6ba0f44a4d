"""Migration 0006 moves today's data into progress per country, on a database that has data."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("roadmaps", "0004_data_generation")]


@pytest.fixture
def at_0004(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_each_country_takes_its_own_latest_approved_update(at_0004):
    apps = at_0004
    Country = apps.get_model("countries", "Country")
    User = apps.get_model("auth", "User")
    Theme, Roadmap = apps.get_model("roadmaps", "Theme"), apps.get_model("roadmaps", "Roadmap")
    Action, Update = apps.get_model("roadmaps", "Action"), apps.get_model("roadmaps", "ProgressUpdate")
    sv = Country.objects.create(code="SV", alpha3="SLV", name_en="El Salvador", name_es="El Salvador")
    gt = Country.objects.create(code="GT", alpha3="GTM", name_en="Guatemala", name_es="Guatemala")
    hn = Country.objects.create(code="HN", alpha3="HND", name_en="Honduras", name_es="Honduras")
    user = User.objects.create(username="someone")
    theme = Theme.objects.create(slug="t", title_en="T", title_es="T")
    roadmap = Roadmap.objects.create(
        slug="r", title_en="R", title_es="R", theme=theme, lead_country=sv, start_date=datetime.date(2024, 1, 1)
    )
    # As the old code left it: the last approval (Guatemala's) overwrote El Salvador's completion.
    joint = Action.objects.create(
        roadmap=roadmap, code="A1", title_en="A", title_es="A", status="on_track", percent_complete=30
    )
    joint.countries.set([sv, gt, hn])
    # Set by the secretariat, never reported on: kept as each country's starting state.
    quiet = Action.objects.create(
        roadmap=roadmap, code="A2", title_en="B", title_es="B", status="at_risk", percent_complete=40
    )
    quiet.countries.set([sv])
    now = timezone.now()
    for country, status, percent, day in ((sv, "completed", 100, 1), (gt, "on_track", 30, 2)):
        Update.objects.create(
            action=joint,
            country=country,
            author=user,
            status=status,
            percent_complete=percent,
            narrative="n",
            reporting_date=datetime.date(2025, 3, day),
            review_state="approved",
            reviewer=user,
            reviewed_at=now,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    apps = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    CountryProgress = apps.get_model("roadmaps", "CountryProgress")
    Action = apps.get_model("roadmaps", "Action")
    states = {
        (s.action.code, s.country.code): (s.status, s.percent_complete, s.update_id is not None)
        for s in CountryProgress.objects.select_related("action", "country")
    }
    assert states == {
        ("A1", "SV"): ("completed", 100, True),
        ("A1", "GT"): ("on_track", 30, True),
        ("A1", "HN"): ("not_started", 0, False),
        ("A2", "SV"): ("at_risk", 40, False),
    }
    a1, a2 = Action.objects.get(code="A1"), Action.objects.get(code="A2")
    assert (a1.status, a1.percent_complete) == ("on_track", 43)
    assert (a2.status, a2.percent_complete) == ("at_risk", 40)
