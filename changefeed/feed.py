"""Reading the change log in pages, with cursors that never pass a change still to come.

The log is ordered by (writing transaction id, entry id). Transaction ids are handed out when a
transaction first writes, not when it commits, so a transaction with a smaller id may commit after
one with a larger id. A page therefore holds only entries of transactions below the **horizon**:
the oldest transaction still running in this database (or, when none is, the first id not yet
finished). Every transaction below it has ended, so its entries are all visible now and no
entry can ever appear below a cursor handed out: a client that sends back each `next_cursor` gets
every entry exactly once, whatever the length and overlap of the writers' transactions. The price
is latency: a transaction that stays open holds back the feed (not the writes) until it ends.

Entries appear once their transaction has committed: a transaction that writes and then reads the
feed does not see its own (so tests of the feed commit: `django_db(transaction=True)`).
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


# The horizon: the oldest transaction still running in this database (transaction ids are shared by
# every database of the server, and a long transaction elsewhere cannot write this log), or the
# first id not yet finished. A transaction that ran at the snapshot but is gone from pg_stat_activity
# has ended before the entries are read (a later statement, so a later snapshot: READ COMMITTED).
# Every running transaction counts when pg_stat_activity cannot tell: another role's sessions are
# hidden from us, and on a replica the writers run on the primary.
_HORIZON = """
WITH snapshot AS (SELECT pg_current_snapshot() AS s),
here AS (
    SELECT backend_xid, state, backend_type FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()
),
running AS (
    SELECT x FROM snapshot, pg_snapshot_xip(snapshot.s) AS x
    WHERE pg_is_in_recovery()
       OR EXISTS (SELECT 1 FROM here WHERE state IS NULL AND backend_type = 'client backend')
       OR x::xid IN (SELECT backend_xid FROM here WHERE backend_xid IS NOT NULL)
    UNION ALL
    SELECT pg_current_xact_id_if_assigned()  -- the reader's own, when it wrote (not in its snapshot's list)
)
SELECT coalesce((SELECT min(x) FROM running), (SELECT pg_snapshot_xmax(s) FROM snapshot))::text
"""

# The text of xid gets a name of its own: named `xid`, it would be what ORDER BY xid sorts by, and
# as text "100" comes before "99" (entries handed out of order, the cursor jumping past some).
_ENTRIES = """
SELECT id, xid::text AS xid_text, kind, object_id FROM changefeed_change
WHERE (xid, id) > (%(xid)s::text::xid8, %(id)s) AND xid < %(horizon)s::text::xid8 {conditions}
ORDER BY xid, id
LIMIT %(limit)s
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
    connection = connections[using]
    with connection.cursor() as db:
        if connection.in_atomic_block:
            db.execute("SELECT pg_stat_clear_snapshot()")  # pg_stat_activity is cached per transaction
        db.execute(_HORIZON)
        horizon = int(db.fetchone()[0])
        params["horizon"] = str(horizon)
        db.execute(_ENTRIES.format(conditions=" ".join(conditions)), params)
        rows = db.fetchall()
    entries = [Entry(id=r[0], xid=int(r[1]), kind=r[2], object_id=r[3]) for r in rows]
    more = len(entries) > limit
    entries = entries[:limit]
    if more:
        position = (entries[-1].xid, entries[-1].id)
    else:
        # Up to date: everything below the horizon was handed out, so the next read starts there.
        last = (entries[-1].xid, entries[-1].id) if entries else (0, 0)
        position = max(last, (horizon, 0), (xid, entry_id))
    return Page(entries=entries, next_cursor=encode_cursor(*position), more=more)


# Entries of a row followed by a later entry of the same row, both below the horizon, say nothing
# the later one does not (an entry carries the row as it is when read): the later one takes their
# country and roadmap scope, so a client filtering by one of them still gets it, and they go.
_COMPACT = """
WITH superseded AS (
    SELECT c.id, c.kind, c.object_id, c.country_ids, c.roadmap_ids FROM changefeed_change c
    WHERE c.xid < %(horizon)s::text::xid8
      AND EXISTS (SELECT 1 FROM changefeed_change n
                  WHERE n.kind = c.kind AND n.object_id = c.object_id
                    AND (n.xid, n.id) > (c.xid, c.id) AND n.xid < %(horizon)s::text::xid8)
),
latest AS (
    SELECT DISTINCT ON (n.kind, n.object_id) n.id, n.kind, n.object_id FROM changefeed_change n
    WHERE n.xid < %(horizon)s::text::xid8 AND (n.kind, n.object_id) IN (SELECT kind, object_id FROM superseded)
    ORDER BY n.kind, n.object_id, n.xid DESC, n.id DESC
),
merged AS (
    UPDATE changefeed_change t SET
        country_ids = t.country_ids || coalesce((SELECT array_agg(DISTINCT x) FROM superseded s, unnest(s.country_ids) x
                                                 WHERE s.kind = l.kind AND s.object_id = l.object_id), '{}'),
        roadmap_ids = t.roadmap_ids || coalesce((SELECT array_agg(DISTINCT x) FROM superseded s, unnest(s.roadmap_ids) x
                                                 WHERE s.kind = l.kind AND s.object_id = l.object_id), '{}')
    FROM latest l WHERE t.id = l.id
    RETURNING t.id
)
DELETE FROM changefeed_change WHERE id IN (SELECT id FROM superseded)  -- (merged runs in any case)
"""


def compact(using="default") -> int:
    """Delete the entries later ones supersede; returns how many went. Safe while clients read and
    writers write: no client misses a change or a removal by it (run it daily, e.g. from cron)."""
    connection = connections[using]
    with connection.cursor() as db:
        db.execute(_HORIZON)
        horizon = db.fetchone()[0]
        db.execute(_COMPACT, {"horizon": horizon})
        return db.rowcount
