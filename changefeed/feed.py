"""Reading the change log in pages, with cursors that never pass a change still to come.

The log is ordered by (writing transaction id, entry id). Transaction ids are handed out when a
transaction first writes, not when it commits, so a transaction with a smaller id may commit after
one with a larger id. A page therefore holds only entries of transactions below the **horizon**:
the oldest transaction still running in this read's snapshot (or, when none is, the first id not
yet finished). Every transaction below it has ended, so its entries are all visible now and no
entry can ever appear below a cursor handed out: a client that sends back each `next_cursor` gets
every entry exactly once, whatever the length and overlap of the writers' transactions. The price
is latency: a transaction that stays open holds back the feed (not the writes) until it ends.

The reading transaction's own entries are visible to it too (only a transaction that wrote before
reading has any: tests, a shell; API reads do not write).
"""

import base64
import binascii
from dataclasses import dataclass

from django.db import connections

CURSOR_PREFIX = "c1"


class BadCursor(ValueError):
    pass


def encode_cursor(xid: int, entry_id: int) -> str:
    raw = f"{CURSOR_PREFIX}.{xid}.{entry_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str | None) -> tuple[int, int]:
    """(transaction id, entry id) of a cursor; no cursor is the start of the log."""
    if not text:
        return (0, 0)
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        prefix, xid, entry_id = raw.split(".")
        if prefix != CURSOR_PREFIX:
            raise ValueError(prefix)
        position = (int(xid), int(entry_id))
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise BadCursor(text) from None
    if min(position) < 0 or max(position) >= 2**63:
        raise BadCursor(text)
    return position


@dataclass(frozen=True)
class Entry:
    id: int
    xid: int
    kind: str
    object_id: int


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    next_cursor: str
    #: more entries are ready past this page (ask again at once); else the client is up to date.
    more: bool


_READ = """
WITH horizon AS (
    SELECT coalesce((SELECT min(x) FROM pg_snapshot_xip(s) AS x), pg_snapshot_xmax(s)) AS h
    FROM pg_current_snapshot() AS s
)
SELECT horizon.h::text, c.id, c.xid::text, c.kind, c.object_id
FROM horizon LEFT JOIN LATERAL (
    SELECT id, xid, kind, object_id FROM changefeed_change
    WHERE (xid, id) > (%(xid)s::text::xid8, %(id)s)
      AND (xid < horizon.h OR xid = pg_current_xact_id_if_assigned())
      {conditions}
    ORDER BY xid, id
    LIMIT %(limit)s
) AS c ON true
"""


def read(cursor: str | None, *, limit: int, kinds=None, country_ids=None, roadmap_ids=None, using="default"):
    """One page of entries after `cursor` (at most `limit`), and the cursor to send next.

    `kinds`, `country_ids`, `roadmap_ids` (None: no filter) keep the entries of those kinds, or
    scoped to those countries or roadmaps when they changed. Raises BadCursor.
    """
    xid, entry_id = decode_cursor(cursor)
    params = {"xid": str(xid), "id": entry_id, "limit": limit + 1}
    conditions = []
    if kinds is not None:
        conditions.append("AND kind = ANY(%(kinds)s)")
        params["kinds"] = list(kinds)
    if country_ids is not None:
        conditions.append("AND country_ids && %(countries)s::bigint[]")
        params["countries"] = list(country_ids)
    if roadmap_ids is not None:
        conditions.append("AND roadmap_ids && %(roadmaps)s::bigint[]")
        params["roadmaps"] = list(roadmap_ids)
    with connections[using].cursor() as db:
        db.execute(_READ.format(conditions=" ".join(conditions)), params)
        rows = db.fetchall()
    horizon = int(rows[0][0])
    entries = [Entry(id=r[1], xid=int(r[2]), kind=r[3], object_id=r[4]) for r in rows if r[1] is not None]
    more = len(entries) > limit
    entries = entries[:limit]
    if more:
        position = (entries[-1].xid, entries[-1].id)
    else:
        # Up to date: everything below the horizon was handed out, so the next read starts there.
        last = (entries[-1].xid, entries[-1].id) if entries else (0, 0)
        position = max(last, (horizon, 0), (xid, entry_id))
    return Page(entries=entries, next_cursor=encode_cursor(*position), more=more)
