"""The schema says exactly what the server accepts and answers (drf-spectacular post-processing hooks).

django-filter describes every filter as a plain string and DRF's paginator `page` as any integer; the
server is stricter (`core.params`): here the parameters get the bounds it applies, so a client (and
schemathesis' conformance checks) can tell a valid request from a refused one by the schema alone.
Every operation documents the 414 of an over-long address, and the links say where a row's keys lead
(a list's first row to its detail, an action to its progress-update POST), which schemathesis'
stateful phase follows.
"""

import re

from django.conf import settings
from django.utils.translation import gettext as _

from core.params import MAX_DIGITS

MAX_NUMBER = 10**MAX_DIGITS - 1
ID = {"type": "integer", "minimum": 1, "maximum": MAX_NUMBER}
NUMBER_LIST = {"type": "string", "pattern": rf"^[0-9]{{1,{MAX_DIGITS}}}(,[0-9]{{1,{MAX_DIGITS}}})*$"}
CODE_LIST = {"type": "string", "pattern": r"^[-A-Za-z0-9_.]{1,100}(,[-A-Za-z0-9_.]{1,100})*$"}

# Query parameter → its exact schema, wherever it appears.
EXACT = {
    "page": {"oneOf": [ID, {"type": "string", "enum": ["last"]}]},
    "page_size": ID,
    "objective": NUMBER_LIST,
    "country": CODE_LIST,
    "principle": CODE_LIST,
    "organization": CODE_LIST,
}
# Parameters whose meaning differs by list: (path suffix, name) → schema.
EXACT_BY_PATH = {
    ("/progress-updates/", "action"): ID,
    ("/practices/", "action"): NUMBER_LIST,
    ("/practices/", "theme"): CODE_LIST,
}


def exact_parameters(result, generator, request, public):
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query":
                    continue
                name = parameter["name"]
                exact = EXACT_BY_PATH.get((path[path.rfind("/", 0, -1) :], name)) or EXACT.get(name)
                if exact is not None:
                    parameter["schema"] = dict(exact)
    return result


def uri_too_long(result, generator, request, public):
    """Every operation may answer 414 (config.middleware.UriTooLongMiddleware)."""
    answer = {
        "description": _("The address (path and query) is over %(limit)s characters.")
        % {"limit": settings.MAX_URL_LENGTH},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            operation.setdefault("responses", {}).setdefault("414", answer)
    return result


# Links beyond "a list's first row → its detail" (found from the paths): (from operation, status,
# to operation, {path parameter: where its value is in the answer}).
EXTRA_LINKS = [
    ("GET /api/v1/actions/", "200", "POST /api/v1/actions/{id}/progress-updates/", {"id": "/results/0/id"}),
    ("GET /api/v1/actions/{id}/", "200", "POST /api/v1/actions/{id}/progress-updates/", {"id": "/id"}),
    ("GET /api/v1/actions/{id}/", "200", "GET /api/v1/roadmaps/{slug}/", {"slug": "/roadmap_slug"}),
    ("POST /api/v1/actions/{id}/progress-updates/", "201", "GET /api/v1/progress-updates/{id}/", {"id": "/id"}),
    ("POST /api/v1/actions/{id}/progress-updates/", "201", "GET /api/v1/actions/{id}/", {"id": "/action_id"}),
    ("GET /api/v1/progress-updates/{id}/", "200", "GET /api/v1/actions/{id}/", {"id": "/action_id"}),
    ("GET /api/v1/cycles/", "200", "GET /api/v1/cycles/{cycle_key}/rows/", {"cycle_key": "/results/0/key"}),
    ("GET /api/v1/cycles/{key}/", "200", "GET /api/v1/cycles/{cycle_key}/rows/", {"cycle_key": "/key"}),
    ("GET /api/v1/cycles/{key}/", "200", "GET /api/v1/cycles/{key}/compare/", {"key": "/key"}),
    ("GET /api/v1/indicators/{id}/", "200", "GET /api/v1/actions/{id}/", {"id": "/action_id"}),
    ("GET /api/v1/indicator-values/{id}/", "200", "GET /api/v1/indicators/{id}/", {"id": "/indicator_id"}),
]
_DETAIL = re.compile(r"^(?P<list>.*/)\{(?P<key>\w+)\}/$")


def _link_name(label: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z]+", label) if part)


def links(result, generator, request, public):
    """OpenAPI links: from each list's first row to its detail, and EXTRA_LINKS."""
    operations = {
        f"{method.upper()} {path}": operation
        for path, methods in result.get("paths", {}).items()
        for method, operation in methods.items()
    }
    wanted = [
        (f"GET {match['list']}", "200", f"GET {path}", {match["key"]: f"/results/0/{match['key']}"})
        for path in result.get("paths", {})
        if (match := _DETAIL.match(path)) and f"GET {match['list']}" in operations and f"GET {path}" in operations
    ]
    for source, status, target, parameters in wanted + EXTRA_LINKS:
        if source not in operations or target not in operations:
            continue
        response = operations[source]["responses"][status]
        response.setdefault("links", {})[_link_name(target)] = {
            "operationId": operations[target]["operationId"],
            "parameters": {f"path.{name}": f"$response.body#{pointer}" for name, pointer in parameters.items()},
        }
    return result
