"""The SQL that writes the change log: functions and statement-level triggers (installed by migration 0001).

Every insert, update and delete of a row partners read adds a row to `changefeed_change` with the
writing transaction's id (`xid8`). A change that alters other rows' answers adds those rows too:

- a key shown in other rows (a country's code, a forum's key, a theme's slug, an objective's
  number, a principle's code, an organisation's key) → every row that shows it;
- a roadmap's slug, visibility, status, lead country or participating countries (who may see it),
  or an action's move to another roadmap → the roadmap's actions, their progress updates and the
  practices that cite them (the "tree");
- a roadmap's objectives → its actions (they inherit them when they have none of their own);
- an action added, moved or deleted → its roadmap (`action_count`); its code or roadmap → its updates;
- a country given to an action when it was not yet linked to the roadmap → the tree (its focal
  points may now see it);
- a focal point added, removed, (de)activated → every row of that country they may now see or not;
- a user joining or leaving the Partners group → every *partners* roadmap's tree.

- an indicator value written, or its progress update reviewed (approved, returned…) → the value and its
  indicator (whose progress counts approved values only); an indicator's code, a cycle's key → their
  values; a target per country → its indicator (`LATER_TRIGGERS`, migration 0004).

Register a new kind (cycles, indicators, …) with a migration of its own:

    migrations.RunSQL(log_rows_sql("cycles", "roadmaps_reportingcycle"), drop_log_rows_sql("roadmaps_reportingcycle"))

and one line in `api.changes.KINDS`. Its rows then have no country or roadmap scope (the feed's
`country` and `roadmap` filters leave them out) until `changefeed_countries`/`changefeed_roadmaps`
learn them. Changing a function (`functions.sql`) needs a new migration that runs it again (CREATE OR REPLACE).
"""

from pathlib import Path

from accounts.roles import PARTNERS_GROUP

TRIGGER = "changefeed_log"

# The functions, in plain SQL next to this module.
FUNCTIONS = (Path(__file__).with_name("functions.sql")).read_text(encoding="utf-8")

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS changefeed_indicator_value();
DROP FUNCTION IF EXISTS changefeed_note_indicator_values(bigint[]);
DROP FUNCTION IF EXISTS changefeed_group_membership();
DROP FUNCTION IF EXISTS changefeed_focal_point();
DROP FUNCTION IF EXISTS changefeed_progress_update();
DROP FUNCTION IF EXISTS changefeed_action_country();
DROP FUNCTION IF EXISTS changefeed_action();
DROP FUNCTION IF EXISTS changefeed_roadmap_objective();
DROP FUNCTION IF EXISTS changefeed_roadmap_country();
DROP FUNCTION IF EXISTS changefeed_roadmap();
DROP FUNCTION IF EXISTS changefeed_link();
DROP FUNCTION IF EXISTS changefeed_row();
DROP FUNCTION IF EXISTS changefeed_note_dependents(text, bigint);
DROP FUNCTION IF EXISTS changefeed_country_roadmaps(bigint);
DROP FUNCTION IF EXISTS changefeed_note_tree(bigint[]);
DROP FUNCTION IF EXISTS changefeed_note(text, bigint[], bigint[], bigint[]);
DROP FUNCTION IF EXISTS changefeed_roadmaps(text, bigint);
DROP FUNCTION IF EXISTS changefeed_countries(text, bigint);
"""

# (table, function, arguments): every table whose rows show in an API answer or decide who sees one.
TRIGGERS = [
    ("countries_country", "changefeed_row", ("countries", "code")),
    ("countries_focalpoint", "changefeed_focal_point", ()),
    ("auth_user_groups", "changefeed_group_membership", (PARTNERS_GROUP,)),
    ("gcm_objective", "changefeed_row", ("objectives", "number")),
    ("gcm_guidingprinciple", "changefeed_row", ("principles", "code")),
    ("gcm_organization", "changefeed_row", ("organizations", "key")),
    ("gcm_forum", "changefeed_row", ("forums", "key")),
    ("roadmaps_theme", "changefeed_row", ("themes", "slug")),
    ("roadmaps_roadmap", "changefeed_roadmap", ()),
    ("roadmaps_roadmap_countries", "changefeed_roadmap_country", ()),
    ("roadmaps_roadmap_objectives", "changefeed_roadmap_objective", ()),
    ("roadmaps_roadmap_organizations", "changefeed_link", ("roadmaps", "roadmap_id")),
    ("roadmaps_roadmap_principles", "changefeed_link", ("roadmaps", "roadmap_id")),
    ("roadmaps_action", "changefeed_action", ()),
    ("roadmaps_action_countries", "changefeed_action_country", ()),
    ("roadmaps_action_objectives", "changefeed_link", ("actions", "action_id")),
    ("roadmaps_action_organizations", "changefeed_link", ("actions", "action_id")),
    ("roadmaps_progressupdate", "changefeed_progress_update", ()),
    ("practices_goodpractice", "changefeed_row", ("practices",)),
    ("practices_goodpractice_countries", "changefeed_link", ("practices", "goodpractice_id", "country_id")),
    ("practices_goodpractice_objectives", "changefeed_link", ("practices", "goodpractice_id")),
    ("practices_goodpractice_principles", "changefeed_link", ("practices", "goodpractice_id")),
    ("practices_goodpractice_actions", "changefeed_link", ("practices", "goodpractice_id")),
    ("practices_goodpractice_partners", "changefeed_link", ("practices", "goodpractice_id")),
]

# Triggers on tables that later migrations create (migration 0001 cannot name them): installed by
# changefeed 0004, replacing the plain row triggers 0003 gave cycles, indicators and indicator values.
LATER_TRIGGERS = [
    ("roadmaps_reportingcycle", "changefeed_row", ("cycles", "key")),
    ("roadmaps_indicator", "changefeed_row", ("indicators", "code")),
    ("roadmaps_indicatorvalue", "changefeed_indicator_value", ()),
    ("roadmaps_indicatorcountrytarget", "changefeed_link", ("indicators", "indicator_id")),
]

# What a fresh log starts with: every row that exists, so a client's first walk gets them all.
BACKFILL = [
    ("countries", "countries_country"),
    ("objectives", "gcm_objective"),
    ("principles", "gcm_guidingprinciple"),
    ("organizations", "gcm_organization"),
    ("forums", "gcm_forum"),
    ("themes", "roadmaps_theme"),
    ("roadmaps", "roadmaps_roadmap"),
    ("actions", "roadmaps_action"),
    ("progress-updates", "roadmaps_progressupdate"),
    ("practices", "practices_goodpractice"),
]


_EVENTS = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}


def trigger_sql(table: str, function: str, arguments=()) -> list[str]:
    """Three statement-level triggers (a trigger with transition tables has one event)."""
    args = ", ".join(f"'{a}'" for a in arguments)
    return [
        f'CREATE TRIGGER {TRIGGER}_{event.lower()} AFTER {event} ON "{table}" {referencing} '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}({args})"
        for event, referencing in _EVENTS.items()
    ]


def drop_trigger_sql(table: str) -> list[str]:
    return [f'DROP TRIGGER IF EXISTS {TRIGGER}_{event.lower()} ON "{table}"' for event in _EVENTS]


def log_rows_sql(kind: str, table: str) -> list[str]:
    """A new kind's rows in the log (and the rows it has already): for a migration's RunSQL."""
    return [*trigger_sql(table, "changefeed_row", (kind,)), backfill_sql(kind, table)]


def drop_log_rows_sql(table: str) -> list[str]:
    return drop_trigger_sql(table)


def backfill_sql(kind: str, table: str) -> str:
    return f"SELECT changefeed_note('{kind}', ARRAY(SELECT id::bigint FROM \"{table}\" ORDER BY id))"


def install_sql() -> list[str]:
    return [FUNCTIONS, *(sql for t in TRIGGERS for sql in trigger_sql(*t)), *(backfill_sql(*b) for b in BACKFILL)]


def uninstall_sql() -> list[str]:
    return [*(sql for t in TRIGGERS for sql in drop_trigger_sql(t[0])), DROP_FUNCTIONS]
