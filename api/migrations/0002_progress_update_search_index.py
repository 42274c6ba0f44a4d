from django.db import migrations

# Must match api.search_filters.indexed_simple_search_filter's expression for these fields, or PostgreSQL will
# not use the index.
CREATE_INDEX = """
CREATE INDEX IF NOT EXISTS api_progressupdate_search ON roadmaps_progressupdate USING gin (
    to_tsvector('simple'::regconfig, api_unaccent(
        coalesce(narrative, '') || ' ' || coalesce(challenges, '') || ' ' || coalesce(next_steps, '')
    ))
);
"""
DROP_INDEX = "DROP INDEX IF EXISTS api_progressupdate_search;"


class Migration(migrations.Migration):
    """Full-text search of progress updates (`/api/v1/progress-updates/?search=`), accents ignored:
    a GIN expression index instead of building 500 000 text vectors per request (≈ 2 s measured)."""

    dependencies = [("api", "0001_action_search_indexes"), ("roadmaps", "0002_postgres_extensions")]

    operations = [migrations.RunSQL(CREATE_INDEX, DROP_INDEX)]
