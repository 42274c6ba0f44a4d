from django.db import migrations

# unaccent() is only STABLE (its dictionary could change), so it cannot appear in an index; this
# wrapper names the dictionary explicitly and is declared IMMUTABLE, the usual PostgreSQL idiom.
CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION api_unaccent(text) RETURNS text
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT;
"""
DROP_FUNCTION = "DROP FUNCTION IF EXISTS api_unaccent(text);"

# The expressions must equal api.search.ACTION_VECTOR_SQL character for character in meaning, or
# PostgreSQL will not use the indexes.
CREATE_INDEXES = """
CREATE INDEX IF NOT EXISTS api_action_search_en ON roadmaps_action USING gin (
    to_tsvector('english'::regconfig, api_unaccent(coalesce(title_en, '') || ' ' || coalesce(description_en, '')))
);
CREATE INDEX IF NOT EXISTS api_action_search_es ON roadmaps_action USING gin (
    to_tsvector('spanish'::regconfig, api_unaccent(coalesce(title_es, '') || ' ' || coalesce(description_es, '')))
);
"""
DROP_INDEXES = "DROP INDEX IF EXISTS api_action_search_en; DROP INDEX IF EXISTS api_action_search_es;"


class Migration(migrations.Migration):
    """Full-text search of actions (`/api/v1/actions/?search=`) over both languages, accents ignored,
    served by GIN expression indexes instead of building every action's text vector per request."""

    dependencies = [("roadmaps", "0002_postgres_extensions")]

    operations = [
        migrations.RunSQL(CREATE_FUNCTION, DROP_FUNCTION),
        migrations.RunSQL(CREATE_INDEXES, DROP_INDEXES),
    ]
