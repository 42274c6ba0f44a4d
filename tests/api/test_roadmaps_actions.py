"""Roadmaps, actions and progress updates: rows, every filter, ordering, pagination, incremental sync."""

import datetime

import pytest
from django.utils import timezone

from roadmaps.models import Action, ProgressUpdate, Roadmap
from tests.api.conftest import keys
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


def codes(response):
    return sorted(keys(response, "code"))


# --- roadmaps --------------------------------------------------------------------------------------


def test_roadmap_detail_row(world, api, secretariat_user):
    row = api(secretariat_user, language="es").get("/api/v1/roadmaps/labour-public/").json()
    assert row == {
        "slug": "labour-public",
        "title_en": "Fair recruitment roadmap",
        "title_es": "Hoja de ruta de contratación equitativa",
        "title": "Hoja de ruta de contratación equitativa",
        "description_en": "",
        "description_es": "",
        "description": "",
        "theme_slug": "labour-migration",
        "forum_key": "ii-regional-forum",
        "lead_country_code": "SV",
        "country_codes": ["GT", "SV"],
        "organization_keys": ["iom"],
        "objective_numbers": [3],
        "principle_codes": ["people-centred"],
        "start_date": "2025-01-01",
        "end_date": "2027-12-31",
        "status": "active",
        "visibility": "public",
        "action_count": 2,
        "updated_at": row["updated_at"],
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["draft-sv", "health-partners", "internal-hn", "labour-public"]),
        ("country=GT", ["health-partners", "labour-public"]),  # leads one, takes part in the other
        ("country=hn", ["internal-hn"]),
        ("country=SV,HN", ["draft-sv", "health-partners", "internal-hn", "labour-public"]),  # SV acts in B1
        # its own objective, or one of its actions' (labour-public's A1 works on 1 and 2)
        ("objective=2", ["health-partners", "labour-public"]),
        ("objective=1,3", ["internal-hn", "labour-public"]),
        ("principle=international-cooperation", ["health-partners"]),
        ("organization=iom", ["labour-public"]),
        ("theme=health", ["health-partners"]),
        ("forum=ii-regional-forum", ["labour-public"]),
        ("status=draft", ["draft-sv"]),
        ("status=draft&status=active", ["draft-sv", "health-partners", "internal-hn", "labour-public"]),
        ("visibility=partners", ["health-partners"]),
        ("search=contratacion", ["labour-public"]),
        ("search=health", ["health-partners"]),
    ],
)
def test_roadmaps_filters(world, api, secretariat_user, query, expected):
    assert sorted(keys(api(secretariat_user).get(f"/api/v1/roadmaps/?{query}"), "slug")) == expected


def test_roadmaps_ordering(world, api, secretariat_user):
    Roadmap.objects.filter(slug="internal-hn").update(start_date=datetime.date(2024, 1, 1))
    response = api(secretariat_user).get("/api/v1/roadmaps/?ordering=start_date,-slug")
    assert keys(response, "slug") == ["internal-hn", "labour-public", "health-partners", "draft-sv"]


# --- actions ---------------------------------------------------------------------------------------


def test_action_detail_row(world, api):
    row = api().get(f"/api/v1/actions/{world.a_public_sv.pk}/").json()
    assert row == {
        "id": world.a_public_sv.pk,
        "roadmap_slug": "labour-public",
        "code": "A1",
        "title_en": "Train labour inspectors on recruitment fees",
        "title_es": "Capacitar a inspectores laborales sobre comisiones de contratación",
        "title": "Train labour inspectors on recruitment fees",
        "description_en": "",
        "description_es": "",
        "description": "",
        "country_codes": ["GT", "SV"],
        "organization_keys": ["iom"],
        "objective_numbers": [1, 2],
        "start_date": "2025-01-01",
        "due_date": world.a_public_sv.due_date.isoformat(),
        "indicator": "",
        "baseline": "",
        "target": "",
        "status": "delayed",
        "percent_complete": 20,
        "is_overdue": True,
        "progress_by_country": [
            {"country": "GT", "status": "delayed", "percent_complete": 20, "update_id": None, "reporting_date": None},
            {"country": "SV", "status": "delayed", "percent_complete": 20, "update_id": None, "reporting_date": None},
        ],
        "version": 1,
        "updated_at": row["updated_at"],
    }


def test_action_without_objectives_reports_its_roadmaps(world, api):
    assert api().get(f"/api/v1/actions/{world.a_public_gt.pk}/").json()["objective_numbers"] == [3]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["A1", "A2", "B1", "C1", "D1"]),
        ("country=SV", ["A1", "B1", "D1"]),
        ("country=gt,hn", ["A1", "A2", "C1"]),
        ("objective=1", ["A1", "C1"]),
        ("objective=3", ["A2"]),  # through its roadmap: it has no objectives of its own
        ("objective=2,3", ["A1", "A2", "B1"]),
        ("principle=people-centred", ["A1", "A2"]),
        ("organization=unhcr", ["B1"]),
        ("organization=iom,unhcr", ["A1", "B1"]),
        ("theme=health", ["B1"]),
        ("roadmap=labour-public", ["A1", "A2"]),
        ("status=completed", ["A2"]),
        ("status=completed&status=on_track", ["A2", "B1"]),
        ("overdue=true", ["A1"]),
        ("overdue=false", ["A2", "B1", "C1", "D1"]),
        ("search=vacunacion", ["B1"]),
        ("search=inspectors", ["A1"]),
        ("search=agreement", ["A2"]),
    ],
)
def test_actions_filters(world, api, secretariat_user, query, expected):
    assert codes(api(secretariat_user).get(f"/api/v1/actions/?{query}")) == expected


def test_actions_due_date_range(world, api, secretariat_user):
    today = timezone.localdate()
    client = api(secretariat_user)
    after = (today - datetime.timedelta(days=6)).isoformat()
    before = (today + datetime.timedelta(days=30)).isoformat()
    assert codes(client.get(f"/api/v1/actions/?due_after={after}")) == ["A2", "B1", "C1"]
    assert codes(client.get(f"/api/v1/actions/?due_before={before}")) == ["A1", "A2", "B1"]
    assert codes(client.get(f"/api/v1/actions/?due_after={after}&due_before={before}")) == ["A2", "B1"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("updated_since=yesterday", "updated_since"),
        ("due_after=31-12-2025", "due_after"),
        ("overdue=perhaps", "overdue"),
        ("status=finished", "status"),
        ("objective=three", "objective"),
        ("ordering=secret_field", "ordering"),
    ],
)
def test_actions_bad_filter_value_is_400_naming_the_parameter(world, api, query, parameter):
    response = api().get(f"/api/v1/actions/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == [parameter]
    assert body["errors"][parameter][0]


def test_actions_ordering_with_id_tiebreak(world, api, secretariat_user):
    client = api(secretariat_user)
    assert keys(client.get("/api/v1/actions/?ordering=-percent_complete"), "code") == ["A2", "B1", "A1", "C1", "D1"]
    assert keys(client.get("/api/v1/actions/?ordering=due_date"), "code") == ["A1", "A2", "B1", "C1", "D1"]


def test_actions_updated_since_returns_exactly_rows_changed_after_the_instant(world, api, secretariat_user):
    instant = timezone.now() - datetime.timedelta(hours=1)
    Action.objects.update(updated_at=instant - datetime.timedelta(days=1))
    Action.objects.filter(pk__in=[world.a_public_gt.pk, world.a_internal_hn.pk]).update(
        updated_at=instant + datetime.timedelta(seconds=1)
    )
    Action.objects.filter(pk=world.a_partners_sv.pk).update(updated_at=instant)  # at, not after
    client = api(secretariat_user)
    since = instant.isoformat().replace("+00:00", "Z")
    assert codes(client.get("/api/v1/actions/", {"updated_since": since})) == ["A2", "C1"]
    # "+00:00", also when its "+" arrives as a space (sent back as received, not URL-encoded).
    assert codes(client.get("/api/v1/actions/", {"updated_since": instant.isoformat()})) == ["A2", "C1"]
    raw = instant.isoformat()
    assert codes(client.get(f"/api/v1/actions/?updated_since={raw}")) == ["A2", "C1"]
    assert "+" in raw and codes(client.get("/api/v1/actions/", {"updated_since": raw.replace("+", " ")})) == [
        "A2",
        "C1",
    ]
    other_zone = instant.astimezone(datetime.timezone(datetime.timedelta(hours=-6))).isoformat()
    assert codes(client.get("/api/v1/actions/", {"updated_since": other_zone})) == ["A2", "C1"]


@pytest.mark.parametrize("value", ["2025-03-01T12:00:00", "2025-03-01 12:00", "2025-03-01", "2025-03-01T12:00:00.5"])
def test_actions_updated_since_without_an_offset_is_a_400_naming_it(world, api, value):
    response = api(language="en").get("/api/v1/actions/", {"updated_since": value})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "updated_since": [
            "Give the instant with its offset from UTC, e.g. 2025-03-01T12:00:00Z or 2025-03-01T06:00:00-06:00."
        ]
    }
    spanish = api(language="es").get("/api/v1/actions/", {"updated_since": value}).json()
    assert spanish["errors"]["updated_since"] == [
        "Indique el instante con su diferencia respecto de UTC, p. ej. 2025-03-01T12:00:00Z o "
        "2025-03-01T06:00:00-06:00."
    ]


def test_submitting_an_update_marks_the_action_changed_for_sync(world, api, focal_sv):
    instant = timezone.now()
    Action.objects.update(updated_at=instant - datetime.timedelta(minutes=5))
    response = api(focal_sv).post(
        f"/api/v1/actions/{world.a_partners_sv.pk}/progress-updates/",
        {"status": "on_track", "percent_complete": 70, "narrative": "More vaccines."},
        format="json",
    )
    assert response.status_code == 201
    since = instant.isoformat()
    assert codes(api(focal_sv).get("/api/v1/actions/", {"updated_since": since})) == ["B1"]


# --- pagination ------------------------------------------------------------------------------------


def test_pagination_page_and_page_size(world, api, secretariat_user):
    client = api(secretariat_user)
    body = client.get("/api/v1/actions/?page_size=2&page=2").json()
    assert body["count"] == 5
    assert [r["code"] for r in body["results"]] == ["B1", "C1"]
    assert body["next"] == "http://testserver/api/v1/actions/?page=3&page_size=2"
    assert body["previous"] == "http://testserver/api/v1/actions/?page_size=2"
    assert client.get("/api/v1/actions/?page=9").status_code == 404


def test_page_size_over_the_limit_is_capped_not_refused(world, api, secretariat_user):
    roadmap = world.public
    ActionFactory.create_batch(210, roadmap=roadmap, countries=[world.sv])
    client = api(secretariat_user)
    body = client.get("/api/v1/actions/?page_size=500").json()
    assert (body["count"], len(body["results"])) == (215, 200)
    assert len(client.get("/api/v1/actions/").json()["results"]) == 50


# --- progress updates ------------------------------------------------------------------------------


def test_progress_update_detail_row(world, api):
    row = api().get(f"/api/v1/progress-updates/{world.u_approved.pk}/").json()
    assert row == {
        "id": world.u_approved.pk,
        "action_id": world.a_public_sv.pk,
        "action_code": "A1",
        "roadmap_slug": "labour-public",
        "country_code": "SV",
        "reporting_date": world.u_approved.reporting_date.isoformat(),
        "status": "delayed",
        "percent_complete": 20,
        "narrative": "Inspectors trained in San Salvador.",
        "challenges": "",
        "next_steps": "",
        "evidence_url": "",
        "has_evidence_file": False,
        "review_state": "approved",
        "reviewed_at": row["reviewed_at"],
        "review_comment": "",
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def test_progress_updates_filters(world, api, secretariat_user):
    client = api(secretariat_user)
    w = world

    def ids(query):
        return sorted(keys(client.get(f"/api/v1/progress-updates/?{query}"), "id"))

    everything = sorted(
        [w.u_approved.pk, w.u_submitted.pk, w.u_returned.pk, w.u_approved_partners.pk, w.u_approved_internal.pk]
    )
    assert ids("") == everything
    assert ids(f"action={w.a_public_sv.pk}") == sorted([w.u_approved.pk, w.u_submitted.pk, w.u_returned.pk])
    assert ids("country=gt") == [w.u_returned.pk]
    assert ids("roadmap=health-partners") == [w.u_approved_partners.pk]
    assert ids("objective=1") == sorted([w.u_approved.pk, w.u_submitted.pk, w.u_returned.pk, w.u_approved_internal.pk])
    assert ids("review_state=returned") == [w.u_returned.pk]
    assert ids("review_state=submitted&review_state=returned") == sorted([w.u_submitted.pk, w.u_returned.pk])
    assert ids("status=delayed") == [w.u_approved.pk]
    assert ids("search=vaccination") == [w.u_approved_partners.pk]
    today = timezone.localdate()
    assert ids(f"reported_after={(today - datetime.timedelta(days=1)).isoformat()}") == sorted(
        [w.u_submitted.pk, w.u_returned.pk]
    )
    assert ids(f"reported_before={(today - datetime.timedelta(days=3)).isoformat()}") == sorted(
        [w.u_approved.pk, w.u_approved_internal.pk]
    )


def test_progress_updates_default_order_latest_report_first(world, api, secretariat_user):
    w = world
    assert keys(api(secretariat_user).get("/api/v1/progress-updates/"), "id") == [
        w.u_submitted.pk,
        w.u_returned.pk,
        w.u_approved_partners.pk,
        w.u_approved.pk,
        w.u_approved_internal.pk,
    ]


def test_progress_updates_updated_since(world, api, secretariat_user):
    instant = timezone.now()
    ProgressUpdate.objects.update(updated_at=instant - datetime.timedelta(days=1))
    ProgressUpdate.objects.filter(pk=world.u_returned.pk).update(updated_at=instant + datetime.timedelta(seconds=5))
    response = api(secretariat_user).get("/api/v1/progress-updates/", {"updated_since": instant.isoformat()})
    assert keys(response, "id") == [world.u_returned.pk]


@pytest.mark.parametrize(
    ("path", "model_path", "key", "changed"),
    [
        ("countries", "countries.models.Country", "code", "GT"),
        ("objectives", "gcm.models.Objective", "number", 2),
        ("principles", "gcm.models.GuidingPrinciple", "code", "people-centred"),
        ("organizations", "gcm.models.Organization", "key", "unhcr"),
        ("forums", "gcm.models.Forum", "key", "ii-regional-forum"),
        ("themes", "roadmaps.models.Theme", "slug", "health"),
        ("roadmaps", "roadmaps.models.Roadmap", "slug", "health-partners"),
    ],
)
def test_updated_since_on_every_list(world, api, secretariat_user, path, model_path, key, changed):
    from django.utils.module_loading import import_string

    model = import_string(model_path)
    instant = timezone.now()
    model.objects.update(updated_at=instant - datetime.timedelta(days=2))
    model.objects.filter(**{key: changed}).update(updated_at=instant + datetime.timedelta(seconds=1))
    response = api(secretariat_user).get(f"/api/v1/{path}/", {"updated_since": instant.isoformat()})
    assert keys(response, key) == [changed]
    bad = api(secretariat_user).get(f"/api/v1/{path}/", {"updated_since": "last tuesday"})
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["updated_since"]


@pytest.mark.parametrize("path", ["actions", "roadmaps", "progress-updates", "objectives", "countries"])
@pytest.mark.parametrize("text", ["foo's & | ! ( :*", '"unclosed', "-", "ñandú", "a" * 300])
def test_search_never_fails_on_odd_text(world, api, path, text):
    response = api().get(f"/api/v1/{path}/", {"search": text})
    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize("query", ["country=", "country=,,", "objective=", "page_size=", "ordering=", "search=%20"])
def test_empty_or_meaningless_values_do_not_filter(world, api, query):
    response = api().get(f"/api/v1/actions/?{query}")
    assert response.status_code == 200
    assert response.json()["count"] == 2  # the anonymous caller's two public actions


def test_objective_filter_with_an_unknown_number_is_a_400(world, api):
    # Issue 19: an empty 200 read as "no such actions"; the number names no objective.
    response = api().get("/api/v1/actions/?objective=0")
    assert response.status_code == 400
    assert response.json()["errors"] == {"objective": ["Unknown value: 0."]}
    assert api().get("/api/v1/actions/?ordering=-").status_code == 400
