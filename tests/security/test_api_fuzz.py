"""Fuzzing the API with schemathesis, from the schema the app serves at /api/v1/schema/.

Every operation of the schema gets a bounded, derandomised set of generated requests (so CI sees the
same requests every run), in two kinds:

- valid requests (schemathesis' positive mode): the read operations as an anonymous caller and as a
  partner with a token, the progress-update POST as a focal point with a token and anonymously. Each
  answer must not be a 5xx and must conform to the schema: a documented status code, a documented
  content type, a body that validates against the documented schema;
- invalid requests (negative mode: wrong types, values outside the schema), for every operation and
  caller: never a 5xx.

Then the stateful phase: scenarios that follow the schema's links (api/schema.py: a list's first row to
its detail, an action to its progress-update POST, the created update to its detail...), chaining real
answers, as an anonymous caller, a partner and a focal point, with the same conformance checks.

`make fuzz` runs it with FUZZ_EXAMPLES=100 and FUZZ_SCENARIOS=300, and reads as a focal point too
(README "Reliability and security" has the last figures). No coverage phase: it is not bounded by
`max-examples`.

The requests go through the whole Django WSGI stack in-process (middleware, authentication,
throttling), against the sample world of tests/security/conftest.py, inside the test's transaction.
"""

import json
import os
import re
import time
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# CI: 15 derandomised examples per operation and caller; `make fuzz` sets FUZZ_EXAMPLES=100.
MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
# Stateful scenarios per caller (each a chain of up to 6 linked requests): CI 10, `make fuzz` sets more.
MAX_SCENARIOS = int(os.environ.get("FUZZ_SCENARIOS", "10"))
# `make fuzz` also reads as a focal point (CI's time goes to the anonymous and partner reads).
READERS = ["anon", "partner", "focal_sv"] if MAX_EXAMPLES >= 100 else ["anon", "partner"]
# Where `make fuzz` writes its figures (requests per phase and operation, answers by status).
REPORT = os.environ.get("FUZZ_REPORT")
# (phase, caller, operation, status) → requests sent.
SENT = Counter()


# Answers the API gives that its schema does not document yet (reported to the API's owners), allowed
# only with the API's JSON error body ({"detail", "code"}). An entry is stale once
# every operation it covers documents the status: `test_known_gaps_are_still_gaps` then says to
# remove it, and the full check applies again.
KNOWN_GAPS: dict = {}  # none left: practices and the page past the end are documented since read_schema covers them


def _known_gap(case, response) -> bool:
    label = case.operation.label
    if not any(status == response.status_code and re.fullmatch(p, label) for p, status in KNOWN_GAPS):
        return False
    body = response.json()
    return isinstance(body, dict) and {"detail", "code"} <= set(body)


def status_code_conformance_but_known_gaps(ctx, response, case):
    if _known_gap(case, response):
        return True
    return status_code_conformance(ctx, response, case)


CONFORMANCE = [
    not_a_server_error,
    status_code_conformance_but_known_gaps,
    content_type_conformance,
    response_schema_conformance,
]


def _config(mode, *, stateful=False):
    return SchemathesisConfig.from_dict(
        {
            "seed": 73195,  # A/RES/73/195
            "generation": {"mode": mode, "max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
            "phases": {
                "coverage": {"enabled": False},
                # Only the links the schema documents (no links guessed from names).
                "stateful": {"enabled": stateful, "inference": {"algorithms": []}},
            },
        }
    )


# The schema as the app serves it (fetched through the WSGI app; no database needed for it). Valid
# requests (positive) must get documented answers; invalid ones (negative) must never get a 5xx.
valid = schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler(), config=_config("positive"))
invalid = schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler(), config=_config("negative"))
linked = schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler(), config=_config("positive", stateful=True))

FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module", autouse=True)
def figures():
    started = time.monotonic()
    yield
    if REPORT:
        by_phase = Counter()
        by_operation = Counter()
        for (phase, _role, label, _status), count in SENT.items():
            by_phase[phase] += count
            by_operation[(phase, label)] += count
        Path(REPORT).parent.mkdir(parents=True, exist_ok=True)
        Path(REPORT).write_text(
            json.dumps(
                {
                    "examples_per_operation": MAX_EXAMPLES,
                    "scenarios_per_caller": MAX_SCENARIOS,
                    "seconds": round(time.monotonic() - started),
                    "requests": sum(SENT.values()),
                    "requests_by_phase": dict(by_phase),
                    "server_errors": sum(n for (_p, _r, _l, status), n in SENT.items() if status >= 500),
                    "operations_by_phase": {p: len({lab for (q, lab) in by_operation if q == p}) for p in by_phase},
                    "fewest_requests_per_operation": {
                        p: min(n for (q, _l), n in by_operation.items() if q == p) for p in by_phase
                    },
                    "by_operation": {f"{p} {lab}": n for (p, lab), n in sorted(by_operation.items())},
                    "statuses": dict(Counter(f"{p} {st}" for (p, _r, _l, st) in SENT.elements())),
                },
                indent=1,
            )
        )


def _send(phase, role, case, headers, checks):
    response = case.call(headers=headers)
    SENT[(phase, role, case.operation.label, response.status_code)] += 1
    case.validate_response(response, checks=checks, headers=headers)


@pytest.fixture
def in_test_transaction(world, db):
    """Django's test client does this too: keep the request from closing the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield world
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _headers(world, role):
    token = world.tokens.get(role)
    return {"Authorization": f"Token {token}"} if token else {}


@pytest.mark.parametrize("role", READERS)
@valid.include(method="GET").parametrize()
@FUZZ_SETTINGS
def test_reads_conform_to_the_schema(case, role, in_test_transaction):
    _send("valid", role, case, _headers(in_test_transaction, role), CONFORMANCE)


@pytest.mark.parametrize("role", ["anon", "focal_sv"])
@pytest.mark.parametrize("target", ["generated id", "own action"])
@valid.exclude(method="GET").parametrize()
@FUZZ_SETTINGS
def test_writes_conform_to_the_schema(case, role, target, in_test_transaction):
    if target == "own action":
        # Generated ids rarely name an action the focal point reports on: aim at El Salvador's.
        case.path_parameters = {**(case.path_parameters or {}), "id": in_test_transaction.action_sv.pk}
    _send("valid", role, case, _headers(in_test_transaction, role), CONFORMANCE)


@pytest.mark.parametrize("role", ["anon", "partner", "focal_sv"])
@invalid.parametrize()
@FUZZ_SETTINGS
def test_invalid_requests_never_get_a_server_error(case, role, in_test_transaction):
    _send("invalid", role, case, _headers(in_test_transaction, role), [not_a_server_error])


def _scenarios(world, role):
    """A state machine over the schema's links, calling as `role`; counts the calls per operation."""
    headers = _headers(world, role)
    calls = Counter()

    class Scenarios(linked.as_state_machine()):
        # Each scenario starts from the same data (its writes rolled back after it), so the same
        # choices get the same answers: Hypothesis requires it of a derandomised run.
        def setup(self):
            self.posts = 0
            self.savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        def before_call(self, case):
            # A focal point's generated or linked action is rarely one they report on: every other
            # POST of a scenario aims at El Salvador's, so the chain goes on from a 201 too.
            if role == "focal_sv" and case.operation.method.upper() == "POST":
                if self.posts % 2 == 0:
                    case.path_parameters = {**(case.path_parameters or {}), "id": world.action_sv.pk}
                self.posts += 1

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def after_call(self, response, case):
            calls[case.operation.label] += 1
            calls[case.operation.method.upper()] += 1
            SENT[("stateful", role, case.operation.label, response.status_code)] += 1

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CONFORMANCE, headers=headers)

    return Scenarios, calls


@pytest.mark.parametrize("role", ["anon", "partner", "focal_sv"])
def test_linked_scenarios_conform_to_the_schema(role, in_test_transaction):
    machine, calls = _scenarios(in_test_transaction, role)
    machine.run(
        settings=settings(
            max_examples=MAX_SCENARIOS,
            phases=[Phase.generate],  # no replay or shrinking: a failure is reported as found
            stateful_step_count=6,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    followed = {label for label in calls if " " in label}
    # The scenarios follow links: from a list to a detail, from an action to its POST, from a detail on.
    assert followed >= {
        "GET /api/v1/actions/{id}/",
        "POST /api/v1/actions/{id}/progress-updates/",
        "GET /api/v1/roadmaps/{slug}/",
    }, calls


def test_known_gaps_are_still_gaps():
    """Once the schema documents an answer listed in KNOWN_GAPS everywhere it applies, remove the entry."""
    operations = {f"{m.upper()} {p}": op for p, ops in valid.raw_schema["paths"].items() for m, op in ops.items()}
    stale = []
    for pattern, status in KNOWN_GAPS:
        covered = [op for label, op in operations.items() if re.fullmatch(pattern, label)]
        assert covered, f"KNOWN_GAPS entry {pattern} matches no operation"
        if all(str(status) in op.get("responses", {}) for op in covered):
            stale.append((pattern, status))
    assert not stale, f"now documented, remove from KNOWN_GAPS: {stale}"


def test_the_fuzzer_covers_every_operation_of_the_schema():
    labels = {f"{m.upper()} {p}" for p, ops in valid.raw_schema["paths"].items() for m in ops}
    assert "POST /api/v1/actions/{id}/progress-updates/" in labels
    assert {label for label in labels if label.startswith("GET ")} >= {
        "GET /api/v1/actions/",
        "GET /api/v1/roadmaps/{slug}/",
        "GET /api/v1/progress-updates/{id}/",
        "GET /api/v1/practices/",
        "GET /api/v1/stats/objectives/",
        "GET /api/v1/changes/",
    }


def test_the_schema_links_each_list_to_its_detail_and_the_post_on():
    """The stateful phase follows these links (api/schema.py); a new list with a detail gets one too."""
    paths = valid.raw_schema["paths"]
    links = {
        (f"{method.upper()} {path}", status, link["operationId"])
        for path, operations in paths.items()
        for method, operation in operations.items()
        for status, answer in operation["responses"].items()
        for link in answer.get("links", {}).values()
    }
    details = [p for p in paths if re.fullmatch(r".*/\{\w+\}/", p) and p.rsplit("{", 1)[0] in paths]
    assert len(details) >= 12
    for detail in details:
        target = paths[detail]["get"]["operationId"]
        assert (f"GET {detail.rsplit('{', 1)[0]}", "200", target) in links, detail
    post = paths["/api/v1/actions/{id}/progress-updates/"]["post"]["operationId"]
    assert ("GET /api/v1/actions/", "200", post) in links
    assert ("POST /api/v1/actions/{id}/progress-updates/", "201", "progress_updates_retrieve") in links
