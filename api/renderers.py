"""How API answers are written: JSON by orjson, and the flat CSV of a list (`?format=csv`)."""

import csv
import datetime
import decimal
import uuid

import orjson
from django.utils.encoding import force_str
from django.utils.functional import Promise
from rest_framework.renderers import BaseRenderer, JSONRenderer

from core.spreadsheets import csv_safe

CSV_LIST_SEPARATOR = ";"
CSV_CHUNK_ROWS = 2000


def _orjson_default(value):
    if isinstance(value, Promise):
        return force_str(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError


class ORJSONRenderer(JSONRenderer):
    """DRF's JSON media type, written by orjson (dates as ISO 8601, datetimes with their offset)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, default=_orjson_default, option=orjson.OPT_NON_STR_KEYS)


def csv_value(value) -> str:
    """One cell: the JSON value written flat (lists joined with `;`, booleans as true/false)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return CSV_LIST_SEPARATOR.join(csv_value(v) for v in value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return csv_safe(force_str(value))


class _Echo:
    def write(self, value):
        return value


def csv_lines(columns, rows):
    """Encoded CSV lines: the header, then one line per row dict (generator, for streaming)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([csv_value(row.get(c)) for c in columns])


class CSVRenderer(BaseRenderer):
    """`?format=csv`. Lists are streamed by `ValuesReadOnlyViewSet`; this renders anything else flat."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        if isinstance(data, dict):
            data = [data]
        data = list(data or [])
        columns = list(data[0]) if data else []
        return "".join(csv_lines(columns, data)).encode("utf-8")
