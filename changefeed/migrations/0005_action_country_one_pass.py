"""`changefeed_action_country` walks the added and the removed links in one loop (it had the same
statements twice); what it logs is unchanged, so going back keeps it (CREATE OR REPLACE of every
function, as changefeed/functions.sql has them now)."""

from django.db import migrations

from changefeed.sql import FUNCTIONS


class Migration(migrations.Migration):
    dependencies = [("changefeed", "0004_indicator_fanout")]

    operations = [migrations.RunSQL([FUNCTIONS], migrations.RunSQL.noop)]
