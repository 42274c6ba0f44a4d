-- The change log's functions (changefeed.sql installs them; migration 0001 runs it).
-- The countries and the roadmaps a row is linked to (the feed's `country`/`roadmap` scope). PL/pgSQL,
-- one RETURN per kind: a statement is planned when it first runs, so a kind whose table a later
-- migration creates (indicators) does not stop migration 0001 from installing these on a new database.
CREATE OR REPLACE FUNCTION changefeed_countries(p_kind text, p_id bigint) RETURNS bigint[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_kind = 'countries' THEN
        RETURN ARRAY[p_id];
    ELSIF p_kind = 'roadmaps' THEN
        RETURN ARRAY(
            SELECT lead_country_id::bigint FROM roadmaps_roadmap WHERE id = p_id
            UNION SELECT country_id FROM roadmaps_roadmap_countries WHERE roadmap_id = p_id
            UNION SELECT ac.country_id FROM roadmaps_action_countries ac
                  JOIN roadmaps_action a ON a.id = ac.action_id WHERE a.roadmap_id = p_id);
    ELSIF p_kind = 'actions' THEN
        RETURN ARRAY(SELECT country_id::bigint FROM roadmaps_action_countries WHERE action_id = p_id);
    ELSIF p_kind = 'progress-updates' THEN
        RETURN ARRAY(SELECT country_id::bigint FROM roadmaps_progressupdate WHERE id = p_id);
    ELSIF p_kind = 'practices' THEN
        RETURN ARRAY(SELECT country_id::bigint FROM practices_goodpractice_countries WHERE goodpractice_id = p_id);
    ELSIF p_kind = 'indicators' THEN  -- its action's responsible countries (the list's `country` filter)
        RETURN ARRAY(
            SELECT ac.country_id::bigint FROM roadmaps_action_countries ac
            JOIN roadmaps_indicator i ON i.action_id = ac.action_id WHERE i.id = p_id);
    ELSIF p_kind = 'indicator-values' THEN
        RETURN ARRAY(SELECT country_id::bigint FROM roadmaps_indicatorvalue WHERE id = p_id);
    END IF;
    RETURN '{}'::bigint[];
END
$$;

CREATE OR REPLACE FUNCTION changefeed_roadmaps(p_kind text, p_id bigint) RETURNS bigint[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_kind = 'roadmaps' THEN
        RETURN ARRAY[p_id];
    ELSIF p_kind = 'actions' THEN
        RETURN ARRAY(SELECT roadmap_id::bigint FROM roadmaps_action WHERE id = p_id);
    ELSIF p_kind = 'progress-updates' THEN
        RETURN ARRAY(
            SELECT a.roadmap_id::bigint FROM roadmaps_progressupdate u
            JOIN roadmaps_action a ON a.id = u.action_id WHERE u.id = p_id);
    ELSIF p_kind = 'indicators' THEN
        RETURN ARRAY(
            SELECT a.roadmap_id::bigint FROM roadmaps_indicator i
            JOIN roadmaps_action a ON a.id = i.action_id WHERE i.id = p_id);
    ELSIF p_kind = 'indicator-values' THEN
        RETURN ARRAY(
            SELECT a.roadmap_id::bigint FROM roadmaps_indicatorvalue v
            JOIN roadmaps_indicator i ON i.id = v.indicator_id
            JOIN roadmaps_action a ON a.id = i.action_id WHERE v.id = p_id);
    END IF;
    RETURN '{}'::bigint[];
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
    SELECT p_kind, i, changefeed_countries(p_kind, i) || p_countries, changefeed_roadmaps(p_kind, i) || p_roadmaps
    FROM (SELECT DISTINCT unnest(p_ids) AS i) AS ids;
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
    PERFORM changefeed_note('indicators', ARRAY(
        SELECT i.id::bigint FROM roadmaps_indicator i JOIN roadmaps_action a ON a.id = i.action_id
        WHERE a.roadmap_id = ANY(p_roadmaps)));
    PERFORM changefeed_note('indicator-values', ARRAY(
        SELECT v.id::bigint FROM roadmaps_indicatorvalue v JOIN roadmaps_indicator i ON i.id = v.indicator_id
        JOIN roadmaps_action a ON a.id = i.action_id WHERE a.roadmap_id = ANY(p_roadmaps)));
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
        PERFORM changefeed_note('indicator-values', ARRAY(
            SELECT id::bigint FROM roadmaps_indicatorvalue WHERE country_id = p_id));
        PERFORM changefeed_note('indicators', ARRAY(  -- progress_by_country names the country by code
            SELECT DISTINCT indicator_id::bigint FROM roadmaps_indicatorvalue WHERE country_id = p_id));
    ELSIF p_kind = 'indicators' THEN
        PERFORM changefeed_note('indicator-values', ARRAY(
            SELECT id::bigint FROM roadmaps_indicatorvalue WHERE indicator_id = p_id));
    ELSIF p_kind = 'cycles' THEN
        PERFORM changefeed_note('indicator-values', ARRAY(
            SELECT id::bigint FROM roadmaps_indicatorvalue WHERE cycle_id = p_id));
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

-- The trigger functions run once per statement (a COPY of 100 000 rows is one call), over the
-- statement's rows: `new_rows` (INSERT, UPDATE) and `old_rows` (UPDATE, DELETE).

-- A row of a kind: TG_ARGV[0] is the kind, TG_ARGV[1] (optional) the column other rows show.
CREATE OR REPLACE FUNCTION changefeed_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM changefeed_note(TG_ARGV[0], ARRAY(SELECT id::bigint FROM old_rows));
        RETURN NULL;
    END IF;
    PERFORM changefeed_note(TG_ARGV[0], ARRAY(SELECT id::bigint FROM new_rows));
    IF TG_OP = 'UPDATE' AND TG_NARGS > 1 THEN
        FOR r IN SELECT n.id::bigint AS id FROM new_rows n JOIN old_rows o ON o.id = n.id
                 WHERE (to_jsonb(o) -> TG_ARGV[1]) IS DISTINCT FROM (to_jsonb(n) -> TG_ARGV[1]) LOOP
            PERFORM changefeed_note_dependents(TG_ARGV[0], r.id);
        END LOOP;
    END IF;
    RETURN NULL;
END
$$;

-- A link row (m2m): TG_ARGV[0] the owner's kind, [1] the owner's column, [2] (optional) the
-- country column: the owner's entry is also scoped to the countries of the links that came or went.
CREATE OR REPLACE FUNCTION changefeed_link() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rows_table text;
BEGIN
    FOREACH rows_table IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'DELETE' THEN ARRAY['old_rows']
                                ELSE ARRAY['new_rows', 'old_rows'] END LOOP
        IF TG_NARGS > 2 THEN
            EXECUTE format(
                'INSERT INTO changefeed_change (kind, object_id, country_ids, roadmap_ids) '
                'SELECT %1$L, o, changefeed_countries(%1$L, o) || array_agg(c), changefeed_roadmaps(%1$L, o) '
                'FROM (SELECT %2$I::bigint AS o, %3$I::bigint AS c FROM %4$I) AS t GROUP BY o',
                TG_ARGV[0], TG_ARGV[1], TG_ARGV[2], rows_table);
        ELSE
            EXECUTE format('SELECT changefeed_note(%1$L, ARRAY(SELECT DISTINCT %2$I::bigint FROM %3$I))',
                TG_ARGV[0], TG_ARGV[1], rows_table);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION changefeed_roadmap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM changefeed_note('roadmaps', ARRAY(SELECT id::bigint FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO changefeed_change (kind, object_id, country_ids, roadmap_ids)
        SELECT 'roadmaps', o.id, ARRAY[o.lead_country_id::bigint], ARRAY[o.id::bigint] FROM old_rows o;
    ELSE
        PERFORM changefeed_note('roadmaps', ARRAY(SELECT id::bigint FROM new_rows));
        INSERT INTO changefeed_change (kind, object_id, country_ids, roadmap_ids)  -- the lead it had
        SELECT 'roadmaps', o.id, ARRAY[o.lead_country_id::bigint], ARRAY[o.id::bigint]
        FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.lead_country_id IS DISTINCT FROM n.lead_country_id;
        PERFORM changefeed_note_tree(ARRAY(
            SELECT n.id::bigint FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (o.slug, o.visibility, o.status, o.lead_country_id)
                  IS DISTINCT FROM (n.slug, n.visibility, n.status, n.lead_country_id)));
    END IF;
    RETURN NULL;
END
$$;

-- Participating countries: the roadmap's answer, and who may see it (focal points): the tree.
CREATE OR REPLACE FUNCTION changefeed_roadmap_country() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    roadmaps bigint[] := '{}';
BEGIN
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO changefeed_change (kind, object_id, country_ids, roadmap_ids)
        SELECT 'roadmaps', roadmap_id, changefeed_countries('roadmaps', roadmap_id) || array_agg(country_id::bigint),
               ARRAY[roadmap_id::bigint]
        FROM new_rows GROUP BY roadmap_id;
        roadmaps := roadmaps || ARRAY(SELECT DISTINCT roadmap_id::bigint FROM new_rows);
    END IF;
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO changefeed_change (kind, object_id, country_ids, roadmap_ids)
        SELECT 'roadmaps', roadmap_id, changefeed_countries('roadmaps', roadmap_id) || array_agg(country_id::bigint),
               ARRAY[roadmap_id::bigint]
        FROM old_rows GROUP BY roadmap_id;
        roadmaps := roadmaps || ARRAY(SELECT DISTINCT roadmap_id::bigint FROM old_rows);
    END IF;
    PERFORM changefeed_note_tree(ARRAY(SELECT DISTINCT unnest(roadmaps)));
    RETURN NULL;
END
$$;

-- A roadmap's objectives are its actions' when they have none of their own.
CREATE OR REPLACE FUNCTION changefeed_roadmap_objective() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    roadmaps bigint[] := '{}';
BEGIN
    IF TG_OP <> 'DELETE' THEN
        roadmaps := roadmaps || ARRAY(SELECT roadmap_id::bigint FROM new_rows);
    END IF;
    IF TG_OP <> 'INSERT' THEN
        roadmaps := roadmaps || ARRAY(SELECT roadmap_id::bigint FROM old_rows);
    END IF;
    roadmaps := ARRAY(SELECT DISTINCT unnest(roadmaps));
    PERFORM changefeed_note('roadmaps', roadmaps);
    PERFORM changefeed_note('actions', ARRAY(SELECT id::bigint FROM roadmaps_action WHERE roadmap_id = ANY(roadmaps)));
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION changefeed_action() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    moved bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM changefeed_note('actions', ARRAY(SELECT id::bigint FROM new_rows));
        PERFORM changefeed_note('roadmaps', ARRAY(SELECT DISTINCT roadmap_id::bigint FROM new_rows));  -- action_count
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        INSERT INTO changefeed_change (kind, object_id, country_ids, roadmap_ids)
        SELECT 'actions', o.id, '{}', ARRAY[o.roadmap_id::bigint] FROM old_rows o;
        PERFORM changefeed_note('roadmaps', ARRAY(SELECT DISTINCT roadmap_id::bigint FROM old_rows));
        RETURN NULL;
    END IF;
    PERFORM changefeed_note('actions', ARRAY(SELECT id::bigint FROM new_rows));
    moved := ARRAY(SELECT n.id::bigint FROM new_rows n JOIN old_rows o ON o.id = n.id
                   WHERE o.roadmap_id IS DISTINCT FROM n.roadmap_id);
    IF cardinality(moved) > 0 THEN
        -- Counts and who may see the action (and its updates) follow the roadmap: the old one's scope too.
        INSERT INTO changefeed_change (kind, object_id, country_ids, roadmap_ids)
        SELECT 'actions', o.id, '{}', ARRAY[o.roadmap_id::bigint] FROM old_rows o WHERE o.id = ANY(moved);
        INSERT INTO changefeed_change (kind, object_id, country_ids, roadmap_ids)
        SELECT 'progress-updates', u.id, ARRAY[u.country_id::bigint], ARRAY[o.roadmap_id::bigint]
        FROM roadmaps_progressupdate u JOIN old_rows o ON o.id = u.action_id WHERE o.id = ANY(moved);
        INSERT INTO changefeed_change (kind, object_id, country_ids, roadmap_ids)
        SELECT 'indicators', i.id, '{}', ARRAY[o.roadmap_id::bigint]
        FROM roadmaps_indicator i JOIN old_rows o ON o.id = i.action_id WHERE o.id = ANY(moved);
        INSERT INTO changefeed_change (kind, object_id, country_ids, roadmap_ids)
        SELECT 'indicator-values', v.id, ARRAY[v.country_id::bigint], ARRAY[o.roadmap_id::bigint]
        FROM roadmaps_indicatorvalue v JOIN roadmaps_indicator i ON i.id = v.indicator_id
        JOIN old_rows o ON o.id = i.action_id WHERE o.id = ANY(moved);
        PERFORM changefeed_note_tree(ARRAY(
            SELECT roadmap_id::bigint FROM old_rows WHERE id = ANY(moved)
            UNION SELECT roadmap_id::bigint FROM new_rows WHERE id = ANY(moved)));
    END IF;
    PERFORM changefeed_note('progress-updates', ARRAY(
        SELECT u.id::bigint FROM roadmaps_progressupdate u
        JOIN new_rows n ON n.id = u.action_id JOIN old_rows o ON o.id = n.id
        WHERE o.code IS DISTINCT FROM n.code AND NOT n.id = ANY(moved)));
    PERFORM changefeed_note('indicators', ARRAY(  -- they show the action's code
        SELECT i.id::bigint FROM roadmaps_indicator i
        JOIN new_rows n ON n.id = i.action_id JOIN old_rows o ON o.id = n.id
        WHERE o.code IS DISTINCT FROM n.code AND NOT n.id = ANY(moved)));
    RETURN NULL;
END
$$;

-- Responsible countries: the action's answer; and when a country was not linked to the roadmap by
-- anything outside this statement, its focal points now see (or no longer see) the roadmap: the tree.
CREATE OR REPLACE FUNCTION changefeed_action_country() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    roadmaps bigint[] := '{}';
    side text;
    links roadmaps_action_countries[];
    written bigint[];  -- the statement's own links, not "linked outside this statement"
BEGIN
    -- The links added (INSERT), removed (DELETE) or both sides of an UPDATE, one pass each.
    FOREACH side IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new'] WHEN 'DELETE' THEN ARRAY['old']
                                     ELSE ARRAY['new', 'old'] END LOOP
        IF side = 'new' THEN
            links := ARRAY(SELECT ROW(t.id, t.action_id, t.country_id)::roadmaps_action_countries FROM new_rows t);
            written := ARRAY(SELECT id::bigint FROM new_rows);
        ELSE
            links := ARRAY(SELECT ROW(t.id, t.action_id, t.country_id)::roadmaps_action_countries FROM old_rows t);
            written := '{}';
        END IF;
        INSERT INTO changefeed_change (kind, object_id, country_ids, roadmap_ids)
        SELECT 'actions', action_id, changefeed_countries('actions', action_id) || array_agg(country_id::bigint),
               changefeed_roadmaps('actions', action_id)
        FROM unnest(links) GROUP BY action_id;
        INSERT INTO changefeed_change (kind, object_id, country_ids, roadmap_ids)
        SELECT 'indicators', i.id, changefeed_countries('indicators', i.id) || t.countries,
               changefeed_roadmaps('indicators', i.id)
        FROM (SELECT action_id, array_agg(country_id::bigint) AS countries FROM unnest(links) GROUP BY action_id) t
        JOIN roadmaps_indicator i ON i.action_id = t.action_id;
        roadmaps := roadmaps || ARRAY(
            SELECT DISTINCT a.roadmap_id::bigint FROM unnest(links) t JOIN roadmaps_action a ON a.id = t.action_id
            JOIN roadmaps_roadmap r ON r.id = a.roadmap_id
            WHERE r.lead_country_id <> t.country_id
              AND NOT EXISTS (SELECT 1 FROM roadmaps_roadmap_countries rc
                              WHERE rc.roadmap_id = r.id AND rc.country_id = t.country_id)
              AND NOT EXISTS (SELECT 1 FROM roadmaps_action_countries ac JOIN roadmaps_action a2 ON a2.id = ac.action_id
                              WHERE a2.roadmap_id = r.id AND ac.country_id = t.country_id
                                AND ac.id <> ALL(written)));
    END LOOP;
    PERFORM changefeed_note_tree(ARRAY(SELECT DISTINCT unnest(roadmaps)));
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION changefeed_progress_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO changefeed_change (kind, object_id, country_ids, roadmap_ids)
        SELECT 'progress-updates', n.id, ARRAY[n.country_id::bigint], ARRAY[a.roadmap_id::bigint]
        FROM new_rows n JOIN roadmaps_action a ON a.id = n.action_id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        INSERT INTO changefeed_change (kind, object_id, country_ids, roadmap_ids)
        SELECT 'progress-updates', o.id, ARRAY[o.country_id::bigint], ARRAY(
            SELECT roadmap_id::bigint FROM roadmaps_action WHERE id = o.action_id)
        FROM old_rows o;
    ELSIF TG_OP = 'UPDATE' THEN  -- the country or action it had
        INSERT INTO changefeed_change (kind, object_id, country_ids, roadmap_ids)
        SELECT 'progress-updates', o.id, ARRAY[o.country_id::bigint], ARRAY(
            SELECT roadmap_id::bigint FROM roadmaps_action WHERE id = o.action_id)
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.country_id, o.action_id) IS DISTINCT FROM (n.country_id, n.action_id);
        -- Reviewed (approved, returned, …): its indicator values show the state and become visible or
        -- hidden, and their indicators' progress (approved values only) changes.
        PERFORM changefeed_note_indicator_values(ARRAY(
            SELECT v.id::bigint FROM roadmaps_indicatorvalue v
            JOIN new_rows n ON n.id = v.update_id JOIN old_rows o ON o.id = n.id
            WHERE (o.review_state, o.reporting_date, o.reviewed_at)
                  IS DISTINCT FROM (n.review_state, n.reporting_date, n.reviewed_at)));
    END IF;
    RETURN NULL;
END
$$;

-- Indicator values and the indicators whose progress they make.
CREATE OR REPLACE FUNCTION changefeed_note_indicator_values(p_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_ids IS NULL OR cardinality(p_ids) = 0 THEN
        RETURN;
    END IF;
    PERFORM changefeed_note('indicator-values', p_ids);
    PERFORM changefeed_note('indicators', ARRAY(
        SELECT DISTINCT indicator_id::bigint FROM roadmaps_indicatorvalue WHERE id = ANY(p_ids)));
END
$$;

-- An indicator value written: its row, and its indicator's progress (the one it had, if it moved).
CREATE OR REPLACE FUNCTION changefeed_indicator_value() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO changefeed_change (kind, object_id, country_ids, roadmap_ids)
        SELECT 'indicator-values', o.id, ARRAY[o.country_id::bigint], changefeed_roadmaps('indicators', o.indicator_id)
        FROM old_rows o;
        PERFORM changefeed_note('indicators', ARRAY(SELECT DISTINCT indicator_id::bigint FROM old_rows));
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM changefeed_note_indicator_values(ARRAY(SELECT id::bigint FROM new_rows));
    END IF;
    RETURN NULL;
END
$$;

-- A focal point: what its user may see of the country changes (Roadmap/ProgressUpdate/GoodPractice
-- visible_to). Their user's other fields (name, password) change nothing partners read.
CREATE OR REPLACE FUNCTION changefeed_focal_point() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    countries bigint[] := '{}';
    c bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        countries := ARRAY(SELECT country_id::bigint FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        countries := ARRAY(SELECT country_id::bigint FROM old_rows);
    ELSE
        countries := ARRAY(
            SELECT unnest(ARRAY[o.country_id::bigint, n.country_id::bigint])
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.user_id, o.country_id, o.is_active) IS DISTINCT FROM (n.user_id, n.country_id, n.is_active));
    END IF;
    FOREACH c IN ARRAY ARRAY(SELECT DISTINCT unnest(countries)) LOOP
        PERFORM changefeed_note_tree(changefeed_country_roadmaps(c));
        PERFORM changefeed_note('progress-updates', ARRAY(
            SELECT id::bigint FROM roadmaps_progressupdate WHERE country_id = c));
        PERFORM changefeed_note('practices', ARRAY(
            SELECT goodpractice_id::bigint FROM practices_goodpractice_countries WHERE country_id = c));
        PERFORM changefeed_note('indicator-values', ARRAY(
            SELECT id::bigint FROM roadmaps_indicatorvalue WHERE country_id = c));
    END LOOP;
    RETURN NULL;
END
$$;

-- A user joining or leaving the group TG_ARGV[0] (Partners): what they may see of *partners*
-- roadmaps changes (Roadmap.objects.visible_to).
CREATE OR REPLACE FUNCTION changefeed_group_membership() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed boolean := false;
BEGIN
    IF TG_OP <> 'DELETE' THEN
        changed := EXISTS (SELECT 1 FROM new_rows n JOIN auth_group g ON g.id = n.group_id WHERE g.name = TG_ARGV[0]);
    END IF;
    IF TG_OP <> 'INSERT' AND NOT changed THEN
        changed := EXISTS (SELECT 1 FROM old_rows o JOIN auth_group g ON g.id = o.group_id WHERE g.name = TG_ARGV[0]);
    END IF;
    IF changed THEN
        PERFORM changefeed_note_tree(ARRAY(SELECT id::bigint FROM roadmaps_roadmap WHERE visibility = 'partners'));
    END IF;
    RETURN NULL;
END
$$;
