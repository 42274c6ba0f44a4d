"""The request bodies the API reads: JSON with a size and a depth limit.

DRF's JSONParser hands the body to `json.load`, which recurses once per nesting level: a 3,000-deep
array was a RecursionError (500). orjson refuses anything deeper than 1,024 levels with a decode error,
and no body of ours nests more than a few levels, so anything deeper than `MAX_JSON_DEPTH` is refused
too. DRF reads the stream itself, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE never sees a JSON body:
`MAX_JSON_BYTES` bounds it here (413).
"""

import orjson
from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 32


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self, limit: int):
        super().__init__(_("The request body is larger than %(limit)s bytes.") % {"limit": limit})


def json_depth(value) -> int:
    """How deep lists and objects nest in `value` (a scalar: 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_JSON_BYTES
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise PayloadTooLarge(limit)
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as error:
            raise exceptions.ParseError(_("JSON parse error - %(error)s") % {"error": error}) from None
        if json_depth(data) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(
                _("The JSON body nests deeper than %(depth)s levels.") % {"depth": MAX_JSON_DEPTH}
            )
        return data
