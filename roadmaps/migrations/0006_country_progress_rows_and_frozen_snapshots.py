"""Progress per country: one row per (action, responsible country), kept by a trigger on the links;
today's data moved into it; snapshot rows that the database refuses to change; the data-change count
on the new tables.

Backfill (README "Progress per country"): a country's state is its own latest approved update (by
reporting date, then approval time). A country without one takes the action's current values when the
action has no approved update at all (what the secretariat set), else not started at 0 %. Then each
action's overall state follows from its countries' by the rule of roadmaps.models.progress.
"""

from django.db import migrations

LINKS = "roadmaps_action_countries"
STATES = "roadmaps_countryprogress"

LINK_TRIGGER = f"""
CREATE OR REPLACE FUNCTION roadmaps_country_progress_follow_links() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {STATES} (action_id, country_id, status, percent_complete, updated_at)
        SELECT n.action_id, n.country_id, 'not_started', 0, now() FROM new_links n
        ON CONFLICT (action_id, country_id) DO NOTHING;
    ELSE
        DELETE FROM {STATES} s USING old_links o
        WHERE s.action_id = o.action_id AND s.country_id = o.country_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER roadmaps_country_progress_insert AFTER INSERT ON {LINKS}
    REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION roadmaps_country_progress_follow_links();
CREATE TRIGGER roadmaps_country_progress_delete AFTER DELETE ON {LINKS}
    REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION roadmaps_country_progress_follow_links();
"""
DROP_LINK_TRIGGER = f"""
DROP TRIGGER IF EXISTS roadmaps_country_progress_insert ON {LINKS};
DROP TRIGGER IF EXISTS roadmaps_country_progress_delete ON {LINKS};
DROP FUNCTION IF EXISTS roadmaps_country_progress_follow_links();
"""

FROZEN = f"""
CREATE OR REPLACE FUNCTION roadmaps_snapshot_row_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'snapshot rows of a closed reporting cycle are never changed (% refused)', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER roadmaps_snapshot_row_frozen BEFORE UPDATE OR DELETE ON roadmaps_snapshotrow
    FOR EACH ROW EXECUTE FUNCTION roadmaps_snapshot_row_frozen();
"""
DROP_FROZEN = """
DROP TRIGGER IF EXISTS roadmaps_snapshot_row_frozen ON roadmaps_snapshotrow;
DROP FUNCTION IF EXISTS roadmaps_snapshot_row_frozen();
"""

NEW_TABLES = (
    "roadmaps_countryprogress",
    "roadmaps_reportingcycle",
    "roadmaps_reportingcycle_expected_countries",
    "roadmaps_snapshotrow",
)
COUNT_CHANGES = "".join(
    f"CREATE TRIGGER roadmaps_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {t} "
    "FOR EACH STATEMENT EXECUTE FUNCTION roadmaps_count_data_change();\n"
    for t in NEW_TABLES
)
DROP_COUNT_CHANGES = "".join(f"DROP TRIGGER IF EXISTS roadmaps_data_change ON {t};\n" for t in NEW_TABLES)

BACKFILL = f"""
INSERT INTO {STATES} (action_id, country_id, status, percent_complete, update_id, reporting_date, updated_at)
SELECT l.action_id, l.country_id,
       COALESCE(u.status, CASE WHEN any_u.id IS NULL THEN a.status ELSE 'not_started' END),
       COALESCE(u.percent_complete, CASE WHEN any_u.id IS NULL THEN a.percent_complete ELSE 0 END),
       u.id, u.reporting_date, now()
FROM {LINKS} l
JOIN roadmaps_action a ON a.id = l.action_id
LEFT JOIN LATERAL (
    SELECT p.id, p.status, p.percent_complete, p.reporting_date FROM roadmaps_progressupdate p
    WHERE p.action_id = l.action_id AND p.country_id = l.country_id AND p.review_state = 'approved'
    ORDER BY p.reporting_date DESC, p.reviewed_at DESC, p.id DESC LIMIT 1
) u ON true
LEFT JOIN LATERAL (
    SELECT p.id FROM roadmaps_progressupdate p
    WHERE p.action_id = l.action_id AND p.review_state = 'approved' LIMIT 1
) any_u ON true
ON CONFLICT (action_id, country_id) DO NOTHING;
"""


def recompute_overall(apps, schema_editor):
    from roadmaps.models.progress import overall_progress  # the rule itself, not a copy of it

    Action = apps.get_model("roadmaps", "Action")
    CountryProgress = apps.get_model("roadmaps", "CountryProgress")
    states = {}
    for action_id, status, percent in CountryProgress.objects.values_list("action_id", "status", "percent_complete"):
        states.setdefault(action_id, []).append((status, percent))
    for action in Action.objects.filter(id__in=list(states)).only("id", "status", "percent_complete"):
        status, percent = overall_progress(states[action.id], default=(action.status, action.percent_complete))
        if (status, percent) != (action.status, action.percent_complete):
            Action.objects.filter(pk=action.pk).update(status=status, percent_complete=percent)


class Migration(migrations.Migration):
    dependencies = [("roadmaps", "0005_progress_per_country_and_cycles")]

    operations = [
        migrations.RunSQL(COUNT_CHANGES, DROP_COUNT_CHANGES),
        migrations.RunSQL(FROZEN, DROP_FROZEN),
        migrations.RunSQL(BACKFILL, f"DELETE FROM {STATES};"),
        migrations.RunSQL(LINK_TRIGGER, DROP_LINK_TRIGGER),
        migrations.RunPython(recompute_overall, migrations.RunPython.noop),
    ]
