"""A second count beside the data generation: the **figures generation**, raised only by the changes
that can change a figure or a page's body (core.figures_cache).

Every watched transaction still raises `counter` (the statement trigger of roadmaps/0004 and 0012).
`figures_counter` is raised by the same trigger too, except for the two statements a focal point's
report makes, which row triggers judge instead:
- an UPDATE of `roadmaps_action` raises it only when a column other than `version` and `updated_at`
  changed (a new report bumps those two, so that forms opened before it see a conflict);
- an INSERT or UPDATE of `roadmaps_progressupdate` raises it only when the update is, or was,
  approved (an update awaiting review or returned is in no figure and no cached page).
The API's list pages, which show `updated_at` and pending updates, stay keyed by `counter`.
"""

import importlib

from django.db import migrations, models

NEUTRAL = "('roadmaps_action', 'UPDATE'), ('roadmaps_progressupdate', 'INSERT'), ('roadmaps_progressupdate', 'UPDATE')"

FORWARD = f"""
CREATE OR REPLACE FUNCTION core_count_figures_change() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- Once per transaction, as the data count.
    IF current_setting('gcm.figures_change_counted', true) = 'on' THEN
        RETURN;
    END IF;
    PERFORM set_config('gcm.figures_change_counted', 'on', true);
    INSERT INTO core_datageneration (backend_pid, counter, figures_counter) VALUES (pg_backend_pid(), 0, 1)
    ON CONFLICT (backend_pid) DO UPDATE SET figures_counter = core_datageneration.figures_counter + 1;
END
$$;

CREATE OR REPLACE FUNCTION core_count_data_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('gcm.data_change_counted', true) IS DISTINCT FROM 'on' THEN
        PERFORM set_config('gcm.data_change_counted', 'on', true);
        INSERT INTO core_datageneration (backend_pid, counter) VALUES (pg_backend_pid(), 1)
        ON CONFLICT (backend_pid) DO UPDATE SET counter = core_datageneration.counter + 1;
    END IF;
    IF (TG_TABLE_NAME::text, TG_OP::text) NOT IN ({NEUTRAL}) THEN
        PERFORM core_count_figures_change();
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION core_count_figures_change_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM core_count_figures_change();
    RETURN NULL;
END
$$;

CREATE TRIGGER core_figures_change AFTER UPDATE ON roadmaps_action FOR EACH ROW
WHEN ((to_jsonb(OLD) - 'version' - 'updated_at') IS DISTINCT FROM (to_jsonb(NEW) - 'version' - 'updated_at'))
EXECUTE FUNCTION core_count_figures_change_row();

CREATE TRIGGER core_figures_change_new AFTER INSERT ON roadmaps_progressupdate FOR EACH ROW
WHEN (NEW.review_state = 'approved')
EXECUTE FUNCTION core_count_figures_change_row();

CREATE TRIGGER core_figures_change AFTER UPDATE ON roadmaps_progressupdate FOR EACH ROW
WHEN (OLD.review_state = 'approved' OR NEW.review_state = 'approved')
EXECUTE FUNCTION core_count_figures_change_row();
"""


def backward_sql() -> str:
    before = importlib.import_module("roadmaps.migrations.0012_data_generation_to_core")
    return f"""
DROP TRIGGER core_figures_change ON roadmaps_action;
DROP TRIGGER core_figures_change_new ON roadmaps_progressupdate;
DROP TRIGGER core_figures_change ON roadmaps_progressupdate;
DROP FUNCTION core_count_figures_change_row();
CREATE OR REPLACE FUNCTION core_count_data_change() RETURNS trigger LANGUAGE plpgsql AS $$
{before.function_body("core_datageneration")}
$$;
DROP FUNCTION core_count_figures_change();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("roadmaps", "0013_approved_latest_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="datageneration",
            name="figures_counter",
            field=models.BigIntegerField(default=0, db_default=0),
        ),
        # Existing figures were keyed by `counter`: starting the new count there keeps them apart.
        migrations.RunSQL("UPDATE core_datageneration SET figures_counter = counter", migrations.RunSQL.noop),
        migrations.RunSQL(FORWARD, backward_sql()),
    ]
