"""stats/objectives/ and stats/countries/: exact aggregates over the actions the caller may see."""

import pytest

pytestmark = pytest.mark.django_db

STAT_KEYS = ("actions", "completed", "overdue", "mean_percent")


def by(rows, key, fields):
    return {row[key]: tuple(row[f] for f in fields) for row in rows}


def test_objective_stats_for_the_public(world, api):
    rows = api(language="es").get("/api/v1/stats/objectives/").json()
    # Visible: A1 (SV+GT, objectives 1 and 2, delayed 20 %, overdue), A2 (GT, its roadmap's objective 3, completed).
    assert by(rows, "number", (*STAT_KEYS, "countries_involved")) == {
        1: (1, 0, 1, 20.0, 2),
        2: (1, 0, 1, 20.0, 2),
        3: (1, 1, 0, 100.0, 1),
    }
    assert rows[0]["short_title"] == "Datos"
    assert (rows[0]["short_title_en"], rows[0]["short_title_es"]) == ("Data", "Datos")


def test_objective_stats_for_the_secretariat(world, api, secretariat_user):
    rows = api(secretariat_user).get("/api/v1/stats/objectives/").json()
    # + B1 (SV, objective 2, 60 %), C1 (HN, objective 1, 0 %); D1 has no objectives anywhere.
    assert by(rows, "number", (*STAT_KEYS, "countries_involved")) == {
        1: (2, 0, 1, 10.0, 3),
        2: (2, 0, 1, 40.0, 2),
        3: (1, 1, 0, 100.0, 1),
    }


def test_objective_stats_take_the_actions_filters(world, api, secretariat_user):
    rows = api(secretariat_user).get("/api/v1/stats/objectives/?roadmap=health-partners").json()
    assert by(rows, "number", (*STAT_KEYS, "countries_involved")) == {
        1: (0, 0, 0, None, 0),
        2: (1, 0, 0, 60.0, 1),
        3: (0, 0, 0, None, 0),
    }


def test_country_stats_for_the_secretariat(world, api, secretariat_user):
    rows = api(secretariat_user).get("/api/v1/stats/countries/").json()
    assert by(rows, "code", (*STAT_KEYS, "objectives_involved", "roadmaps")) == {
        "GT": (2, 1, 1, 60.0, 3, 1),
        "HN": (1, 0, 0, 0.0, 1, 1),
        "SV": (3, 0, 1, 26.7, 2, 3),
    }
    assert [row["code"] for row in rows] == ["GT", "HN", "SV"]


def test_country_stats_for_the_public_and_filtered(world, api):
    rows = api().get("/api/v1/stats/countries/").json()
    assert by(rows, "code", (*STAT_KEYS, "objectives_involved", "roadmaps")) == {
        "GT": (2, 1, 1, 60.0, 3, 1),
        "SV": (1, 0, 1, 20.0, 2, 1),
    }
    rows = api().get("/api/v1/stats/countries/?status=completed").json()
    assert by(rows, "code", STAT_KEYS) == {"GT": (1, 1, 0, 100.0)}


def test_stats_with_a_filter_matching_nothing(world, api):
    # HN is a country with no public action (an unknown code such as MX is a 400: issue 19).
    assert api().get("/api/v1/stats/countries/?country=HN").json() == []
    rows = api().get("/api/v1/stats/objectives/?country=HN").json()
    assert [row["actions"] for row in rows] == [0, 0, 0]
    assert api().get("/api/v1/stats/objectives/?country=MX").status_code == 400


def test_stats_bad_filter_is_400(world, api):
    response = api().get("/api/v1/stats/objectives/?due_after=soon")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["due_after"]
