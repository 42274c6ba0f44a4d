"""The data-change counter moves to the ground-floor app `core` with its rows: the table is renamed
`core_datageneration`, the trigger function that writes it is renamed and rewritten for the new name,
and the triggers of migration 0004 (and of 0006, 0007) are renamed with it. The triggers still call the
same function (PostgreSQL binds them by its id), so the count goes on from where it was.

A new table of countries, gcm or roadmaps needs the trigger too:
    CREATE TRIGGER core_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON <table>
    FOR EACH STATEMENT EXECUTE FUNCTION core_count_data_change();
"""

from django.db import migrations


def function_body(table: str) -> str:
    return f"""
    BEGIN
        -- Once per transaction: a transaction-local setting remembers that this one already counted.
        IF current_setting('gcm.data_change_counted', true) = 'on' THEN
            RETURN NULL;
        END IF;
        PERFORM set_config('gcm.data_change_counted', 'on', true);
        INSERT INTO {table} (backend_pid, counter) VALUES (pg_backend_pid(), 1)
        ON CONFLICT (backend_pid) DO UPDATE SET counter = {table}.counter + 1;
        RETURN NULL;
    END
    """


def move_sql(old: str, new: str) -> str:
    """Rename table, function and triggers from the `old` prefix to the `new` one."""
    return f"""
ALTER TABLE {old}_datageneration RENAME TO {new}_datageneration;
ALTER INDEX {old}_datageneration_pkey RENAME TO {new}_datageneration_pkey;
ALTER FUNCTION {old}_count_data_change() RENAME TO {new}_count_data_change;
CREATE OR REPLACE FUNCTION {new}_count_data_change() RETURNS trigger LANGUAGE plpgsql AS $$
{function_body(f"{new}_datageneration")}
$$;
DO $$
DECLARE watched regclass;
BEGIN
    FOR watched IN SELECT tgrelid::regclass FROM pg_trigger WHERE tgname = '{old}_data_change' LOOP
        EXECUTE format('ALTER TRIGGER {old}_data_change ON %s RENAME TO {new}_data_change', watched);
    END LOOP;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("roadmaps", "0011_progress_update_on_behalf"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DataGeneration")],
            database_operations=[
                migrations.RunSQL(move_sql("roadmaps", "core"), reverse_sql=move_sql("core", "roadmaps")),
            ],
        ),
    ]
