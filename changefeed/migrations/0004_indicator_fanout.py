"""The change feed follows indicator values to visibility: a progress update's review notes its values and
their indicators (progress counts approved values only); indicators and values get a country and roadmap
scope, follow their roadmap's tree, a country's or indicator's code and a cycle's key
(changefeed/functions.sql, `changefeed.sql.LATER_TRIGGERS`). Values approved before this migration are
noted again, so a client that missed them gets them at its next read."""

from pathlib import Path

from django.db import migrations

from changefeed.sql import FUNCTIONS, LATER_TRIGGERS, drop_trigger_sql, trigger_sql

# The functions as 0001-0003 installed them: restored on the way back, so that a database migrated back
# below the indicators (the migration tests do) has no trigger reading their tables.
FUNCTIONS_BEFORE = (Path(__file__).with_name("functions_before_0004.sql")).read_text()

# What 0003 installed on these tables (its reverse state).
BEFORE = [
    ("roadmaps_reportingcycle", "changefeed_row", ("cycles",)),
    ("roadmaps_indicator", "changefeed_row", ("indicators",)),
    ("roadmaps_indicatorvalue", "changefeed_row", ("indicator-values",)),
]


def _install(triggers):
    return [sql for table, function, args in triggers for sql in (*drop_trigger_sql(table), *trigger_sql(table, function, args))]


AGAIN = [
    "SELECT changefeed_note('indicators', ARRAY(SELECT id::bigint FROM roadmaps_indicator ORDER BY id))",
    "SELECT changefeed_note('indicator-values', ARRAY(SELECT id::bigint FROM roadmaps_indicatorvalue ORDER BY id))",
]


class Migration(migrations.Migration):
    dependencies = [
        ("changefeed", "0003_cycles_and_indicators"),
        ("roadmaps", "0009_objectives_never_copied"),
    ]

    operations = [
        # CREATE OR REPLACE: the functions as functions.sql has them now.
        migrations.RunSQL([FUNCTIONS], [FUNCTIONS_BEFORE]),
        migrations.RunSQL(
            [*_install(LATER_TRIGGERS), *AGAIN],
            [*drop_trigger_sql("roadmaps_indicatorcountrytarget"), *_install(BEFORE)],
        ),
    ]
