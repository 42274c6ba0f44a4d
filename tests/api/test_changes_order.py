"""The change feed hands out entries in transaction order even where a transaction id gains a digit
(99 → 100): ordered as text, "100" came before "99" and a client's cursor jumped past entries."""

import pytest
from django.db import connection

from changefeed import feed

pytestmark = pytest.mark.django_db(transaction=True)


def test_entries_across_a_digit_boundary_of_the_transaction_id_come_in_order_and_none_is_skipped():
    with connection.cursor() as cursor:
        for entry_xid in (98, 99, 100, 101, 1000):
            cursor.execute(
                "INSERT INTO changefeed_change (kind, object_id, country_ids, roadmap_ids, xid)"
                " VALUES ('test-order', %s, '{}', '{}', %s::text::xid8)",
                [entry_xid, str(entry_xid)],
            )
    seen, cursor = [], None
    while True:
        page = feed.read(cursor, limit=2, kinds=["test-order"])
        seen += [entry.xid for entry in page.entries]
        cursor = page.next_cursor
        if not page.more:
            break
    assert seen == [98, 99, 100, 101, 1000]
