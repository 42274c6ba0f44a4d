"""Reporting cycles, indicators and indicator values in the change feed (changefeed.sql.log_rows_sql)."""

from django.db import migrations

from changefeed.sql import drop_log_rows_sql, log_rows_sql

KINDS = (
    ("cycles", "roadmaps_reportingcycle"),
    ("indicators", "roadmaps_indicator"),
    ("indicator-values", "roadmaps_indicatorvalue"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("changefeed", "0002_feed_clock"),
        ("roadmaps", "0009_objectives_never_copied"),
    ]

    operations = [migrations.RunSQL(log_rows_sql(kind, table), drop_log_rows_sql(table)) for kind, table in KINDS]
