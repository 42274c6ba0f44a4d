"""The schema says exactly what the server accepts (drf-spectacular post-processing hook).

django-filter describes every filter as a plain string and DRF's paginator `page` as any integer; the
server is stricter (`config.params`): here the parameters get the bounds it applies, so a client (and
schemathesis' conformance checks) can tell a valid request from a refused one by the schema alone.
"""

from config.params import MAX_DIGITS

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
