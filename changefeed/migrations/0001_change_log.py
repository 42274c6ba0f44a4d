"""The change log and the triggers that write it (SQL in changefeed.sql), with a first entry for every
row that exists, so a client that starts from no cursor gets them all."""

import django.contrib.postgres.fields
from django.db import migrations, models

from changefeed import sql

# The writing transaction: what the feed orders by and never hands out past while it may still commit.
ADD_XID = [
    "ALTER TABLE changefeed_change ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id()",
    "CREATE INDEX changefeed_change_xid_id ON changefeed_change (xid, id)",
]


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("countries", "0001_initial"),
        ("gcm", "0001_initial"),
        ("roadmaps", "0004_data_generation"),
        ("practices", "0001_good_practices"),
    ]

    operations = [
        migrations.CreateModel(
            name='Change',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('kind', models.CharField(max_length=40, verbose_name='kind')),
                ('object_id', models.BigIntegerField(verbose_name='object id')),
                ('country_ids', django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), blank=True, default=list, size=None)),
                ('roadmap_ids', django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), blank=True, default=list, size=None)),
            ],
            options={
                'verbose_name': 'change',
                'verbose_name_plural': 'changes',
                'indexes': [models.Index(fields=['kind', 'object_id'], name='changefeed_change_row')],
            },
        ),
        migrations.RunSQL(ADD_XID, migrations.RunSQL.noop),
        migrations.RunSQL(sql.install_sql(), sql.uninstall_sql()),
    ]
