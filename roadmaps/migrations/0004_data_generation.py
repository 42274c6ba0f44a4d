"""The trigger behind roadmaps.figures_cache: every transaction that changes the data the figures are
computed from adds one to its connection's row of roadmaps_datageneration.

A statement-level trigger (so a COPY of 500 000 rows costs one call), on every table of the apps
below except the history tables, which only record what the others hold.
"""

from django.db import migrations, models

WATCHED_APPS = ("countries", "gcm", "roadmaps")
FUNCTION = "roadmaps_count_data_change"
TRIGGER = "roadmaps_data_change"

CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Once per transaction: a transaction-local setting remembers that this one already counted.
    IF current_setting('gcm.data_change_counted', true) = 'on' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('gcm.data_change_counted', 'on', true);
    INSERT INTO roadmaps_datageneration (backend_pid, counter) VALUES (pg_backend_pid(), 1)
    ON CONFLICT (backend_pid) DO UPDATE SET counter = roadmaps_datageneration.counter + 1;
    RETURN NULL;
END
$$;
"""


def watched_tables(apps):
    tables = []
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            table = model._meta.db_table
            if "historical" not in table and table != "roadmaps_datageneration":
                tables.append(table)
    return sorted(set(tables))


def create_triggers(apps, schema_editor):
    schema_editor.execute(CREATE_FUNCTION)
    quote = schema_editor.quote_name
    for table in watched_tables(apps):
        schema_editor.execute(
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quote(table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )


def drop_triggers(apps, schema_editor):
    quote = schema_editor.quote_name
    for table in watched_tables(apps):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quote(table)}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


class Migration(migrations.Migration):

    dependencies = [
        ('countries', '0001_initial'),
        ('gcm', '0001_initial'),
        ('roadmaps', '0003_constraint_messages'),
    ]

    operations = [
        migrations.CreateModel(
            name='DataGeneration',
            fields=[
                ('backend_pid', models.IntegerField(primary_key=True, serialize=False)),
                ('counter', models.BigIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'data generation',
                'verbose_name_plural': 'data generations',
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
