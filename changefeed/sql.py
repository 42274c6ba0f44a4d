"""The SQL that writes the change log: functions and row-level triggers (installed by migration 0001).

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
- a focal point added, removed, (de)activated → every row of that country they may now see or not.

Register a new kind (cycles, indicators, …) with a migration of its own:

    migrations.RunSQL(log_rows_sql("cycles", "roadmaps_reportingcycle"), drop_log_rows_sql("roadmaps_reportingcycle"))

and one line in `api.changes.KINDS`. Its rows then have no country or roadmap scope (the feed's
`country` and `roadmap` filters leave them out) until `changefeed_countries`/`changefeed_roadmaps`
learn them. Changing a function here needs a new migration that runs it again (CREATE OR REPLACE).
"""

TRIGGER = "changefeed_log"

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION changefeed_countries(p_kind text, p_id bigint) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    SELECT CASE p_kind
        WHEN 'countries' THEN ARRAY[p_id]
        WHEN 'roadmaps' THEN ARRAY(
            SELECT lead_country_id::bigint FROM roadmaps_roadmap WHERE id = p_id
            UNION SELECT country_id FROM roadmaps_roadmap_countries WHERE roadmap_id = p_id
            UNION SELECT ac.country_id FROM roadmaps_action_countries ac
                  JOIN roadmaps_action a ON a.id = ac.action_id WHERE a.roadmap_id = p_id)
        WHEN 'actions' THEN ARRAY(SELECT country_id::bigint FROM roadmaps_action_countries WHERE action_id = p_id)
        WHEN 'progress-updates' THEN ARRAY(SELECT country_id::bigint FROM roadmaps_progressupdate WHERE id = p_id)
        WHEN 'practices' THEN ARRAY(
            SELECT country_id::bigint FROM practices_goodpractice_countries WHERE goodpractice_id = p_id)
        ELSE '{}'::bigint[]
    END
$$;

CREATE OR REPLACE FUNCTION changefeed_roadmaps(p_kind text, p_id bigint) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    SELECT CASE p_kind
        WHEN 'roadmaps' THEN ARRAY[p_id]
        WHEN 'actions' THEN ARRAY(SELECT roadmap_id::bigint FROM roadmaps_action WHERE id = p_id)
        WHEN 'progress-updates' THEN ARRAY(
            SELECT a.roadmap_id::bigint FROM roadmaps_progressupdate u
            JOIN roadmaps_action a ON a.id = u.action_id WHERE u.id = p_id)
        ELSE '{}'::bigint[]
    END
$$;

-- One log row per id, scoped by the row's countries and roadmaps as they are now, plus the given
-- ones (what a deleted or moved row was linked to: the link rows may already be gone).
CREATE OR REPLACE FUNCTION changefeed_note(
    p_kind text, p_ids bigint[], p_countries bigint[] DEFAULT '{}', p_roadmaps bigint[] DEFAULT '{}'
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_ids IS NULL OR cardinality(p_ids) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO changefeed_change (kind, object_id, country_ids, roadmap_ids)
    SELECT p_kind, i,
        ARRAY(SELECT DISTINCT c FROM unnest(changefeed_countries(p_kind, i) || p_countries) c WHERE c IS NOT NULL),
        ARRAY(SELECT DISTINCT r FROM unnest(changefeed_roadmaps(p_kind, i) || p_roadmaps) r WHERE r IS NOT NULL)
    FROM (SELECT DISTINCT unnest(p_ids) AS i ORDER BY 1) ids;
END
$$;

-- A roadmap and everything whose answer or visibility follows it.
CREATE OR REPLACE FUNCTION changefeed_note_tree(p_roadmaps bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM changefeed_note('roadmaps', p_roadmaps);
    PERFORM changefeed_note('actions', ARRAY(
        SELECT id::bigint FROM roadmaps_action WHERE roadmap_id = ANY(p_roadmaps)));
    PERFORM changefeed_note('progress-updates', ARRAY(
        SELECT u.id::bigint FROM roadmaps_progressupdate u JOIN roadmaps_action a ON a.id = u.action_id
        WHERE a.roadmap_id = ANY(p_roadmaps)));
    PERFORM changefeed_note('practices', ARRAY(
        SELECT DISTINCT pa.goodpractice_id::bigint FROM practices_goodpractice_actions pa
        JOIN roadmaps_action a ON a.id = pa.action_id WHERE a.roadmap_id = ANY(p_roadmaps)));
END
$$;

-- The roadmaps a country's focal point sees because of the country (as Roadmap.objects.visible_to).
CREATE OR REPLACE FUNCTION changefeed_country_roadmaps(p_country bigint) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    SELECT ARRAY(
        SELECT id::bigint FROM roadmaps_roadmap WHERE lead_country_id = p_country
        UNION SELECT roadmap_id FROM roadmaps_roadmap_countries WHERE country_id = p_country
        UNION SELECT a.roadmap_id FROM roadmaps_action a
              JOIN roadmaps_action_countries ac ON ac.action_id = a.id WHERE ac.country_id = p_country)
$$;

-- The rows that show this row's key (its code, number, key or slug) in their answer.
CREATE OR REPLACE FUNCTION changefeed_note_dependents(p_kind text, p_id bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_kind = 'countries' THEN
        PERFORM changefeed_note('forums', ARRAY(SELECT id::bigint FROM gcm_forum WHERE host_country_id = p_id));
        PERFORM changefeed_note('roadmaps', changefeed_country_roadmaps(p_id));
        PERFORM changefeed_note('actions', ARRAY(
            SELECT action_id::bigint FROM roadmaps_action_countries WHERE country_id = p_id));
        PERFORM changefeed_note('progress-updates', ARRAY(
            SELECT id::bigint FROM roadmaps_progressupdate WHERE country_id = p_id));
        PERFORM changefeed_note('practices', ARRAY(
            SELECT goodpractice_id::bigint FROM practices_goodpractice_countries WHERE country_id = p_id));
    ELSIF p_kind = 'objectives' THEN
        PERFORM changefeed_note('roadmaps', ARRAY(
            SELECT roadmap_id::bigint FROM roadmaps_roadmap_objectives WHERE objective_id = p_id));
        PERFORM changefeed_note('actions', ARRAY(
            SELECT action_id::bigint FROM roadmaps_action_objectives WHERE objective_id = p_id
            UNION SELECT a.id FROM roadmaps_action a
                  JOIN roadmaps_roadmap_objectives ro ON ro.roadmap_id = a.roadmap_id WHERE ro.objective_id = p_id));
        PERFORM changefeed_note('practices', ARRAY(
            SELECT goodpractice_id::bigint FROM practices_goodpractice_objectives WHERE objective_id = p_id));
    ELSIF p_kind = 'principles' THEN
        PERFORM changefeed_note('roadmaps', ARRAY(
            SELECT roadmap_id::bigint FROM roadmaps_roadmap_principles WHERE guidingprinciple_id = p_id));
        PERFORM changefeed_note('practices', ARRAY(
            SELECT goodpractice_id::bigint FROM practices_goodpractice_principles WHERE guidingprinciple_id = p_id));
    ELSIF p_kind = 'organizations' THEN
        PERFORM changefeed_note('roadmaps', ARRAY(
            SELECT roadmap_id::bigint FROM roadmaps_roadmap_organizations WHERE organization_id = p_id));
        PERFORM changefeed_note('actions', ARRAY(
            SELECT action_id::bigint FROM roadmaps_action_organizations WHERE organization_id = p_id));
        PERFORM changefeed_note('practices', ARRAY(
            SELECT goodpractice_id::bigint FROM practices_goodpractice_partners WHERE organization_id = p_id));
    ELSIF p_kind = 'forums' THEN
        PERFORM changefeed_note('themes', ARRAY(SELECT id::bigint FROM roadmaps_theme WHERE forum_id = p_id));
        PERFORM changefeed_note('roadmaps', ARRAY(SELECT id::bigint FROM roadmaps_roadmap WHERE forum_id = p_id));
    ELSIF p_kind = 'themes' THEN
        PERFORM changefeed_note('roadmaps', ARRAY(SELECT id::bigint FROM roadmaps_roadmap WHERE theme_id = p_id));
    END IF;
END
$$;

-- A row of a kind: TG_ARGV[0] is the kind, TG_ARGV[1] (optional) the column other rows show.
CREATE OR REPLACE FUNCTION changefeed_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM changefeed_note(TG_ARGV[0], ARRAY[OLD.id::bigint]);
        RETURN NULL;
    END IF;
    PERFORM changefeed_note(TG_ARGV[0], ARRAY[NEW.id::bigint]);
    IF TG_OP = 'UPDATE' AND TG_NARGS > 1
       AND (to_jsonb(OLD) -> TG_ARGV[1]) IS DISTINCT FROM (to_jsonb(NEW) -> TG_ARGV[1]) THEN
        PERFORM changefeed_note_dependents(TG_ARGV[0], NEW.id);
    END IF;
    RETURN NULL;
END
$$;

-- A link row (m2m): TG_ARGV[0] the owner's kind, [1] the owner's column, [2] (optional) the
-- country column (the owner's country scope before the link went).
CREATE OR REPLACE FUNCTION changefeed_link() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
    countries bigint[] := '{}';
BEGIN
    IF TG_NARGS > 2 THEN
        countries := ARRAY[(r ->> TG_ARGV[2])::bigint];
    END IF;
    PERFORM changefeed_note(TG_ARGV[0], ARRAY[(r ->> TG_ARGV[1])::bigint], countries);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION changefeed_roadmap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM changefeed_note('roadmaps', ARRAY[OLD.id::bigint], ARRAY[OLD.lead_country_id::bigint],
                                ARRAY[OLD.id::bigint]);
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM changefeed_note('roadmaps', ARRAY[NEW.id::bigint]);
    ELSIF (OLD.slug, OLD.visibility, OLD.status, OLD.lead_country_id)
          IS DISTINCT FROM (NEW.slug, NEW.visibility, NEW.status, NEW.lead_country_id) THEN
        PERFORM changefeed_note('roadmaps', ARRAY[NEW.id::bigint], ARRAY[OLD.lead_country_id::bigint]);
        PERFORM changefeed_note_tree(ARRAY[NEW.id::bigint]);
    ELSE
        PERFORM changefeed_note('roadmaps', ARRAY[NEW.id::bigint]);
    END IF;
    RETURN NULL;
END
$$;

-- Participating countries: the roadmap's answer, and who may see it (focal points): the tree.
CREATE OR REPLACE FUNCTION changefeed_roadmap_country() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
    PERFORM changefeed_note('roadmaps', ARRAY[r.roadmap_id::bigint], ARRAY[r.country_id::bigint]);
    PERFORM changefeed_note_tree(ARRAY[r.roadmap_id::bigint]);
    RETURN NULL;
END
$$;

-- A roadmap's objectives are its actions' when they have none of their own.
CREATE OR REPLACE FUNCTION changefeed_roadmap_objective() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
    PERFORM changefeed_note('roadmaps', ARRAY[r.roadmap_id::bigint]);
    PERFORM changefeed_note('actions', ARRAY(
        SELECT id::bigint FROM roadmaps_action WHERE roadmap_id = r.roadmap_id));
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION changefeed_action() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM changefeed_note('actions', ARRAY[OLD.id::bigint], '{}', ARRAY[OLD.roadmap_id::bigint]);
        PERFORM changefeed_note('roadmaps', ARRAY[OLD.roadmap_id::bigint]);  -- its action_count
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM changefeed_note('actions', ARRAY[NEW.id::bigint]);
        PERFORM changefeed_note('roadmaps', ARRAY[NEW.roadmap_id::bigint]);
    ELSE
        PERFORM changefeed_note('actions', ARRAY[NEW.id::bigint], '{}', ARRAY[OLD.roadmap_id::bigint]);
        IF OLD.roadmap_id IS DISTINCT FROM NEW.roadmap_id THEN
            -- Counts and who may see the action (and its updates) follow the roadmap.
            PERFORM changefeed_note('progress-updates', ARRAY(
                SELECT id::bigint FROM roadmaps_progressupdate WHERE action_id = NEW.id),
                '{}', ARRAY[OLD.roadmap_id::bigint]);
            PERFORM changefeed_note_tree(ARRAY[OLD.roadmap_id::bigint, NEW.roadmap_id::bigint]);
        ELSIF OLD.code IS DISTINCT FROM NEW.code THEN
            PERFORM changefeed_note('progress-updates', ARRAY(
                SELECT id::bigint FROM roadmaps_progressupdate WHERE action_id = NEW.id));
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- A responsible country: the action's answer; and when the country was not yet linked to the
-- roadmap otherwise, its focal points now see (or no longer see) the roadmap: the tree.
CREATE OR REPLACE FUNCTION changefeed_action_country() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    roadmap bigint;
BEGIN
    PERFORM changefeed_note('actions', ARRAY[r.action_id::bigint], ARRAY[r.country_id::bigint]);
    SELECT roadmap_id INTO roadmap FROM roadmaps_action WHERE id = r.action_id;
    IF roadmap IS NOT NULL AND NOT (r.country_id = ANY(ARRAY(
        SELECT lead_country_id::bigint FROM roadmaps_roadmap WHERE id = roadmap
        UNION SELECT country_id FROM roadmaps_roadmap_countries WHERE roadmap_id = roadmap
        UNION SELECT ac.country_id FROM roadmaps_action_countries ac JOIN roadmaps_action a ON a.id = ac.action_id
              WHERE a.roadmap_id = roadmap AND ac.action_id <> r.action_id))) THEN
        PERFORM changefeed_note('roadmaps', ARRAY[roadmap], ARRAY[r.country_id::bigint]);
        PERFORM changefeed_note_tree(ARRAY[roadmap]);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION changefeed_progress_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM changefeed_note('progress-updates', ARRAY[OLD.id::bigint], ARRAY[OLD.country_id::bigint],
            ARRAY(SELECT roadmap_id::bigint FROM roadmaps_action WHERE id = OLD.action_id));
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM changefeed_note('progress-updates', ARRAY[NEW.id::bigint]);
    ELSE
        PERFORM changefeed_note('progress-updates', ARRAY[NEW.id::bigint], ARRAY[OLD.country_id::bigint],
            ARRAY(SELECT roadmap_id::bigint FROM roadmaps_action WHERE id = OLD.action_id));
    END IF;
    RETURN NULL;
END
$$;

-- A focal point: what its user may see of the country changes (Roadmap/ProgressUpdate/GoodPractice
-- visible_to). Their user's other fields (name, password) change nothing partners read.
CREATE OR REPLACE FUNCTION changefeed_focal_point() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    countries bigint[];
    c bigint;
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.user_id, OLD.country_id, OLD.is_active)
                            IS NOT DISTINCT FROM (NEW.user_id, NEW.country_id, NEW.is_active) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        countries := ARRAY[OLD.country_id::bigint];
    ELSIF TG_OP = 'INSERT' THEN
        countries := ARRAY[NEW.country_id::bigint];
    ELSE
        countries := ARRAY(SELECT DISTINCT unnest(ARRAY[OLD.country_id::bigint, NEW.country_id::bigint]));
    END IF;
    FOREACH c IN ARRAY countries LOOP
        PERFORM changefeed_note_tree(changefeed_country_roadmaps(c));
        PERFORM changefeed_note('progress-updates', ARRAY(
            SELECT id::bigint FROM roadmaps_progressupdate WHERE country_id = c));
        PERFORM changefeed_note('practices', ARRAY(
            SELECT goodpractice_id::bigint FROM practices_goodpractice_countries WHERE country_id = c));
    END LOOP;
    RETURN NULL;
END
$$;
"""

DROP_FUNCTIONS = """
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


def trigger_sql(table: str, function: str, arguments=()) -> str:
    args = ", ".join(f"'{a}'" for a in arguments)
    return (
        f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
        f"FOR EACH ROW EXECUTE FUNCTION {function}({args})"
    )


def drop_trigger_sql(table: str) -> str:
    return f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"'


def log_rows_sql(kind: str, table: str) -> list[str]:
    """A new kind's rows in the log (and the rows it has already): for a migration's RunSQL."""
    return [
        trigger_sql(table, "changefeed_row", (kind,)),
        backfill_sql(kind, table),
    ]


def drop_log_rows_sql(table: str) -> list[str]:
    return [drop_trigger_sql(table)]


def backfill_sql(kind: str, table: str) -> str:
    return f"SELECT changefeed_note('{kind}', ARRAY(SELECT id::bigint FROM \"{table}\" ORDER BY id))"


def install_sql() -> list[str]:
    return [FUNCTIONS, *(trigger_sql(*t) for t in TRIGGERS), *(backfill_sql(*b) for b in BACKFILL)]


def uninstall_sql() -> list[str]:
    return [*(drop_trigger_sql(t[0]) for t in TRIGGERS), DROP_FUNCTIONS]
