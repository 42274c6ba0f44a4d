"""The partners' recipe (docs/sync_client.py) against a live server while writers commit out of order.

Writers on their own connections change data through the services and the ORM (reports, approvals,
action edits, new and deleted actions, roadmaps turned internal, unpublished, published, renamed),
and each transaction sleeps after writing and before committing, so transactions commit in another
order than their rows were stamped. Meanwhile the client follows the recipe for three callers. At
the end each copy must equal what the lists show that caller: nothing missing, stale or unseeable.
"""

import importlib.util
import json
import random
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from api.changes import KINDS
from roadmaps import services
from roadmaps.models import Action, ActionStatus, ProgressUpdate, Roadmap, RoadmapStatus, Visibility
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT_PATH = Path(settings.BASE_DIR) / "docs" / "sync_client.py"
WRITERS = 4
STEPS_EACH = 7


def _load_client():
    spec = importlib.util.spec_from_file_location("sync_client", CLIENT_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _list(base_url, kind, token):
    """Every row of a list as the caller sees it (all pages), by the list's lookup key."""
    rows, url = [], f"{base_url}/api/v1/{kind}/?page_size=200"
    headers = {"Authorization": f"Token {token}"} if token else {}
    while url:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
            page = json.load(response)
        rows.extend(page["results"])
        url = page["next"]
    key = KINDS[kind].lookup_field
    return {str(row[key]): row for row in rows}


def _compare(base_url, copy, token):
    """(missing, stale, unseeable) rows of the copy against the lists."""
    missing = stale = unseeable = 0
    for kind in KINDS:
        truth = _list(base_url, kind, token)
        key = KINDS[kind].lookup_field
        mine = {str(row[key]): row for row in copy.get(kind, {}).values()}
        missing += len(truth.keys() - mine.keys())
        unseeable += len(mine.keys() - truth.keys())
        stale += sum(1 for k in truth.keys() & mine.keys() if truth[k] != mine[k])
    return missing, stale, unseeable


class Writer:
    """One connection's transactions: each writes, sleeps 0.1–0.9 s, then commits."""

    def __init__(self, number, world, focal_user, secretariat_user, stamps):
        self.rng = random.Random(number)
        self.number = number
        self.world = world
        self.focal_user = focal_user
        self.secretariat_user = secretariat_user
        self.stamps = stamps
        self.errors = []
        self.disposable = []  # actions this writer created (no reports: it may delete them)

    def run(self):
        try:
            for step in range(STEPS_EACH):
                with transaction.atomic():
                    self.step(step)
                    stamped = timezone.now()
                    time.sleep(self.rng.uniform(0.1, 0.9))
                self.stamps.append((stamped, time.monotonic()))
        except Exception as exc:  # reported by the test
            self.errors.append(repr(exc))
        finally:
            connection.close()

    def step(self, step):
        w, rng = self.world, self.rng
        choice = (self.number + step) % 7
        if choice == 0:  # a focal point of El Salvador reports
            action = rng.choice([w.a_public_sv, w.a_partners_sv, w.a_draft_sv])
            services.progress_update_submit(
                action=action,
                country=w.sv,
                author=self.focal_user,
                status=ActionStatus.ON_TRACK,
                percent_complete=rng.randint(1, 99),
                narrative=f"Report {self.number}.{step}",
            )
        elif choice == 1:  # the secretariat approves the oldest pending report
            pending = ProgressUpdate.objects.pending().order_by("id").select_for_update(skip_locked=True).first()
            if pending is not None:
                services.progress_update_approve(update=pending, reviewer=self.secretariat_user)
        elif choice == 2:  # an action is edited
            action = Action.objects.get(pk=rng.choice([w.a_public_sv, w.a_public_gt, w.a_partners_sv]).pk)
            action.target = f"target {self.number}.{step}"
            services.action_save(action=action, user=self.secretariat_user)
        elif choice == 3:  # a new action, or one deleted
            if self.disposable and rng.random() < 0.5:
                Action.objects.get(pk=self.disposable.pop()).delete()
            else:
                roadmap = rng.choice([w.public, w.partners, w.internal])
                action = ActionFactory(roadmap=roadmap, code=f"W{self.number}-{step}", countries=[w.sv])
                self.disposable.append(action.pk)
        elif choice == 4:  # a roadmap's visibility changes
            Roadmap.objects.filter(pk=rng.choice([w.public, w.partners]).pk).update(
                visibility=rng.choice([Visibility.PUBLIC, Visibility.PARTNERS, Visibility.INTERNAL]),
                updated_at=timezone.now(),
            )
        elif choice == 5:  # the draft is published, or unpublished
            roadmap = Roadmap.objects.select_for_update().get(pk=w.draft.pk)
            roadmap.status = RoadmapStatus.ACTIVE if roadmap.status == RoadmapStatus.DRAFT else RoadmapStatus.DRAFT
            roadmap.save()
        else:  # a roadmap is renamed: every action and update shows its slug
            roadmap = Roadmap.objects.select_for_update().get(pk=w.internal.pk)
            roadmap.slug = f"internal-{self.number}-{step}"
            roadmap.save()


def test_sync_client_copy_equals_the_lists_after_out_of_order_commits(
    world, live_server, partner_user, focal_sv, secretariat_user, tmp_path
):
    client = _load_client()
    callers = {
        "anonymous": None,
        "partner": Token.objects.create(user=partner_user).key,
        "focal point": Token.objects.create(user=focal_sv).key,
    }
    copies = {role: {} for role in callers}
    cursors = dict.fromkeys(callers)
    stamps = []
    writers = [Writer(n, world, focal_sv, secretariat_user, stamps) for n in range(WRITERS)]
    threads = [threading.Thread(target=writer.run) for writer in writers]
    for thread in threads:
        thread.start()
    rounds = 0
    while any(thread.is_alive() for thread in threads):
        for role, token in callers.items():
            cursors[role] = client.sync(live_server.url, copies[role], cursors[role], token=token, page_size=20)
        rounds += 1
        time.sleep(0.1)
    for thread in threads:
        thread.join(timeout=60)
    assert [e for writer in writers for e in writer.errors] == []
    # The commits really came in another order than the stamps.
    in_commit_order = [stamp for stamp, _committed in sorted(stamps, key=lambda s: s[1])]
    assert in_commit_order != sorted(in_commit_order)
    assert rounds >= 1  # the client synced while the writers were writing

    for role, token in callers.items():
        cursors[role] = client.sync(live_server.url, copies[role], cursors[role], token=token)
        assert _compare(live_server.url, copies[role], token) == (0, 0, 0), role

    # The script itself, from the command line, gives the same copy (the partner's).
    state = tmp_path / "copy.json"
    command = [sys.executable, str(CLIENT_PATH), "--url", live_server.url, "--state", str(state)]
    run = subprocess.run([*command, "--token", callers["partner"]], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert json.loads(state.read_text())["rows"] == json.loads(json.dumps(copies["partner"]))


def test_sync_client_filtered_copy_of_one_country(world, live_server):
    client = _load_client()
    rows = {}
    client.sync(live_server.url, rows, country="GT", kind="actions")
    query = urllib.parse.urlencode({"country": "GT", "page_size": 200})
    with urllib.request.urlopen(f"{live_server.url}/api/v1/actions/?{query}", timeout=30) as response:
        truth = {str(row["id"]): row for row in json.load(response)["results"]}
    assert rows == {"actions": truth}
