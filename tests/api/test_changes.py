"""`/api/v1/changes/`: rows as their lists give them, removals without data, derived changes, filters.

The feed hands out committed changes only, so these tests commit (`transaction=True`). Commit order
and concurrent writers: tests/api/test_changes_sync.py.
"""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.changes import KINDS
from roadmaps.models import Action, RoadmapStatus, Visibility
from tests.factories import ActionFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/changes/"


def walk(client, cursor=None, page_size=500, **params):
    """Every entry after `cursor`, following `next_cursor` while `more`; and the last cursor."""
    entries = []
    while True:
        query = {"page_size": page_size, **params}
        if cursor:
            query["cursor"] = cursor
        response = client.get(URL, query)
        assert response.status_code == 200, response.content
        body = response.json()
        entries.extend(body["results"])
        cursor = body["next_cursor"]
        if not body["more"]:
            return entries, cursor


def state(entries):
    """What a client's copy holds after applying the entries: (kind, id) → row."""
    copy = {}
    for entry in entries:
        if entry["op"] == "remove":
            copy.pop((entry["kind"], entry["id"]), None)
        else:
            copy[(entry["kind"], entry["id"])] = entry["data"]
    return copy


def last_ops(entries):
    return {(e["kind"], e["id"]): e["op"] for e in entries}


def list_rows(client, kind):
    response = client.get(f"/api/v1/{kind}/", {"page_size": 200})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_changes_first_walk_equals_every_list_for_each_role(world, api, partner_user, focal_sv):
    callers = {"anonymous": api(), "partner": api(user=partner_user), "focal point": api(user=focal_sv)}
    for role, client in callers.items():
        entries, cursor = walk(client)
        copy = state(entries)
        for kind in KINDS:
            got = sorted((row for (k, _id), row in copy.items() if k == kind), key=repr)
            assert got == sorted(list_rows(client, kind), key=repr), (role, kind)
        # Small pages give the same copy; nothing new gives an empty page and a cursor still valid.
        assert state(walk(client, page_size=3)[0]) == copy, role
        again = client.get(URL, {"cursor": cursor}).json()
        assert (again["results"], again["more"]) == ([], False)
        assert client.get(URL, {"cursor": again["next_cursor"]}).json()["results"] == []
    # A removal carries no data of a row the caller may not see.
    internal = [e for e in walk(api())[0] if e["kind"] == "actions" and e["id"] == world.a_internal_hn.pk]
    assert internal == [{"kind": "actions", "id": world.a_internal_hn.pk, "op": "remove"}]
    assert {e["kind"] for e in walk(api(), kind="themes,forums")[0]} == {"themes", "forums"}


def test_changes_report_rows_whose_answer_follows_another_row(world, api, secretariat_user):
    from roadmaps.services import progress_update_approve

    client = api()
    _entries, cursor = walk(client)

    def changes():
        nonlocal cursor
        entries, cursor = walk(client, cursor)
        return entries

    world.public.slug = "labour-renamed"
    world.public.save()
    copy = state(changes())
    assert copy[("actions", world.a_public_sv.pk)]["roadmap_slug"] == "labour-renamed"
    assert copy[("actions", world.a_public_gt.pk)]["roadmap_slug"] == "labour-renamed"
    assert copy[("progress-updates", world.u_approved.pk)]["roadmap_slug"] == "labour-renamed"

    world.public.objectives.add(world.obj2)  # A2 has no objectives of its own: it inherits them
    copy = state(changes())
    assert copy[("actions", world.a_public_gt.pk)]["objective_numbers"] == [2, 3]
    assert copy[("roadmaps", world.public.pk)]["objective_numbers"] == [2, 3]

    world.gt.code = "GU"
    world.gt.save()
    copy = state(changes())
    assert copy[("countries", world.gt.pk)]["code"] == "GU"
    assert copy[("actions", world.a_public_gt.pk)]["country_codes"] == ["GU"]
    assert copy[("roadmaps", world.public.pk)]["country_codes"] == ["GU", "SV"]

    progress_update_approve(update=world.u_submitted, reviewer=secretariat_user)
    copy = state(changes())
    assert copy[("progress-updates", world.u_submitted.pk)]["review_state"] == "approved"
    assert copy[("actions", world.a_public_sv.pk)]["version"] == Action.objects.get(pk=world.a_public_sv.pk).version

    action = ActionFactory(roadmap=world.public, code="Z9", countries=[world.sv])
    assert state(changes())[("roadmaps", world.public.pk)]["action_count"] == 3
    action_id = action.pk
    action.delete()
    entries = changes()
    assert last_ops(entries)[("actions", action_id)] == "remove"
    assert state(entries)[("roadmaps", world.public.pk)]["action_count"] == 2

    world.draft.status = RoadmapStatus.ACTIVE  # published: its actions enter the public's view
    world.draft.save()
    copy = state(changes())
    assert copy[("actions", world.a_draft_sv.pk)]["code"] == "D1"
    assert copy[("roadmaps", world.draft.pk)]["status"] == "active"

    world.public.visibility = Visibility.INTERNAL  # everything of it leaves the public's view
    world.public.save()
    ops = last_ops(changes())
    assert ops[("roadmaps", world.public.pk)] == "remove"
    assert ops[("actions", world.a_public_sv.pk)] == "remove"
    assert ops[("actions", world.a_public_gt.pk)] == "remove"
    assert ops[("progress-updates", world.u_approved.pk)] == "remove"


def test_changes_filters_by_country_and_roadmap(world, api):
    client = api()
    entries, _cursor = walk(client, roadmap="labour-public")
    assert {e["kind"] for e in entries} == {"roadmaps", "actions", "progress-updates"}
    assert {e["id"] for e in entries if e["kind"] == "actions"} == {world.a_public_sv.pk, world.a_public_gt.pk}

    entries, cursor = walk(client, country="GT")
    assert {e["id"] for e in entries if e["kind"] == "actions" and e["op"] == "upsert"} == {
        world.a_public_sv.pk,
        world.a_public_gt.pk,
    }
    world.a_public_sv.countries.remove(world.gt)  # leaves Guatemala: a removal for who follows GT
    entries, _cursor = walk(client, cursor, country="GT")
    assert last_ops(entries)[("actions", world.a_public_sv.pk)] == "remove"
    assert client.get(f"/api/v1/actions/{world.a_public_sv.pk}/").json()["country_codes"] == ["SV"]


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "YzIuMS4x"}, "cursor"),  # "c2.1.1": another version's cursor
        ({"kind": "actions,widgets"}, "kind"),
        ({"page_size": "ten"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_changes_bad_parameter_is_a_400_naming_it(api, params, field):
    response = api().get(URL, params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_changes_query_count_does_not_grow_with_the_page_size(world, api):
    for _n in range(30):
        ProgressUpdateFactory(action=ActionFactory(roadmap=world.public, countries=[world.sv]), country=world.sv)
    client = api()
    client.get(URL)  # the day's check of date-derived answers is done once, at the first read
    counts = {}
    for kind in ("actions", "progress-updates"):
        for size in (2, 100):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(URL, {"kind": kind, "page_size": size})
            # an entry per row: a row changed twice in the page comes once
            assert (1 <= len(response.json()["results"]) <= 2) if size == 2 else len(response.json()["results"]) > 30
            counts[kind, size] = len(queries)
    # the horizon, the page of entries, the page's rows; actions: + the visible roadmaps' ids
    # + 1: the throttle's upsert (api.throttling)
    assert counts == {("actions", 2): 5, ("actions", 100): 5, ("progress-updates", 2): 4, ("progress-updates", 100): 4}
    assert client.get(URL, {"page_size": 100000}).status_code == 200  # capped, not refused


def test_changes_answer_conforms_to_the_schema(world, api, secretariat_user):
    from drf_spectacular.generators import SchemaGenerator

    from tests.api.test_schema import _validator

    openapi = SchemaGenerator().get_schema(request=None, public=True)
    body = api(secretariat_user).get(URL, {"page_size": 500}).json()
    assert {e["op"] for e in body["results"]} == {"upsert"} and len(body["results"]) > 20
    _validator(openapi, URL).validate(body)
    _validator(openapi, URL).validate(api().get(URL, {"page_size": 500}).json())  # with removals
    _validator(openapi, URL, code="400").validate(api().get(URL, {"cursor": "x"}).json())


def test_changes_report_actions_that_became_overdue_overnight(world, api, secretariat_user, monkeypatch):
    import datetime

    from django.utils import timezone

    from api import changes
    from changefeed.models import FeedClock

    today = timezone.localdate()
    client = api(secretariat_user)
    _entries, cursor = walk(client)
    # Due yesterday and still open: overdue since midnight, though no row changed.
    Action.objects.filter(pk=world.a_partners_sv.pk).update(due_date=today - datetime.timedelta(days=1))
    Action.objects.filter(pk=world.a_public_gt.pk).update(due_date=today - datetime.timedelta(days=1))  # completed
    _entries, cursor = walk(client, cursor)
    FeedClock.objects.create(day=today - datetime.timedelta(days=1))  # the feed last checked yesterday
    monkeypatch.setattr(changes, "_day_reported", None)
    entries, cursor = walk(client, cursor, kind="actions")
    assert [(e["id"], e["data"]["is_overdue"]) for e in entries] == [(world.a_partners_sv.pk, True)]
    assert FeedClock.objects.get().day == today
    assert walk(client, cursor)[0] == []  # once


def test_changes_never_hand_out_a_cursor_past_a_transaction_still_running(world, api):
    import threading

    from django.db import transaction

    client = api()
    _entries, cursor = walk(client)
    written, release = threading.Event(), threading.Event()
    slow = {}

    def slow_writer():
        try:
            with transaction.atomic():
                slow["id"] = ActionFactory(roadmap=world.public, code="SLOW", countries=[world.sv]).pk
                written.set()
                release.wait(30)
        finally:
            connection.close()  # the thread's own connection

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert written.wait(30)
    fast = ActionFactory(roadmap=world.public, code="FAST", countries=[world.sv])  # started later, committed first
    entries, cursor = walk(client, cursor)
    assert entries == []  # FAST waits behind SLOW: handing it out would move the cursor past SLOW
    release.set()
    thread.join(30)
    entries, _cursor = walk(client, cursor)
    assert {("actions", slow["id"]), ("actions", fast.pk)} <= {(e["kind"], e["id"]) for e in entries}


def test_changes_compaction_keeps_every_row_and_removal_a_client_would_get(world, api):
    from django.core.management import call_command

    from changefeed.models import Change

    client = api()
    _entries, middle = walk(client, country="GT")
    world.a_public_sv.countries.remove(world.gt)  # a removal for who follows Guatemala
    world.a_public_sv.target = "compacted"
    world.a_public_sv.save()
    expected_full = state(walk(client)[0])
    expected_gt = last_ops(walk(client, middle, country="GT")[0])
    before = Change.objects.count()
    out = io.StringIO()
    call_command("compact_changes", stdout=out)
    assert out.getvalue() == f"compacted the change log: {before - Change.objects.count()} superseded entries deleted\n"
    assert Change.objects.count() < before
    rows = Change.objects.values_list("kind", "object_id")
    assert len(rows) == len(set(rows))  # one entry per row
    assert state(walk(client)[0]) == expected_full
    assert last_ops(walk(client, middle, country="GT")[0]) == expected_gt
    assert expected_gt[("actions", world.a_public_sv.pk)] == "remove"


def test_changes_joining_the_partners_group_brings_partners_roadmaps(world, api, groups):
    from accounts.roles import PARTNERS_GROUP
    from tests.factories import UserFactory

    user = UserFactory(username="new-partner")
    client = api(user=user)
    entries, cursor = walk(client)
    assert ("roadmaps", world.partners.pk) not in state(entries)
    user.groups.add(groups[PARTNERS_GROUP])
    copy = state(walk(client, cursor)[0])
    assert copy[("roadmaps", world.partners.pk)]["slug"] == "health-partners"
    assert copy[("actions", world.a_partners_sv.pk)]["code"] == "B1"
