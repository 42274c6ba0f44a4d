"""The *floor* of the benchmark: the actions list's JSON from one SQL query, in a bare WSGI app.

No framework, no ORM, no serializer: psycopg runs one query that builds the page's JSON in
PostgreSQL (`json_agg`) and the app writes it out. It answers `/api/v1/actions/` with the same
filters (`country`, `objective`, `page`, `page_size`), the same visibility (an anonymous caller:
published public roadmaps), the same ordering and the same fields as our API, so the difference
between the two is the cost of everything our stack adds. Served by gunicorn with the same settings
as the real app (`gunicorn bench.floor_app:application`); the database comes from DATABASE_URL.
"""

import os
import threading
from urllib.parse import parse_qs, urlencode

import psycopg

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

# The rows of one page: the same keys, in the same order, as the API's action rows.
# %(lang)s picks `title`: the active language, falling back to the other one when empty.
_MATCHING_FOR_COUNTRY = """
    SELECT a.id, a.roadmap_id, a.code
    FROM countries_country c
    JOIN roadmaps_action_countries ac ON ac.country_id = c.id
    JOIN roadmaps_action a ON a.id = ac.action_id
    JOIN roadmaps_roadmap r ON r.id = a.roadmap_id
    WHERE c.code = %(country)s AND r.visibility = 'public' AND r.status <> 'draft'
"""
_MATCHING_ALL = """
    SELECT a.id, a.roadmap_id, a.code
    FROM roadmaps_action a
    JOIN roadmaps_roadmap r ON r.id = a.roadmap_id
    WHERE r.visibility = 'public' AND r.status <> 'draft'
"""
# The action's own objectives, or its roadmap's when it has none.
_OBJECTIVE_CONDITION = """
      AND (EXISTS (SELECT 1 FROM roadmaps_action_objectives ao
                   WHERE ao.action_id = a.id
                     AND ao.objective_id = (SELECT id FROM gcm_objective WHERE number = %(objective)s))
           OR (NOT EXISTS (SELECT 1 FROM roadmaps_action_objectives ao WHERE ao.action_id = a.id)
               AND EXISTS (SELECT 1 FROM roadmaps_roadmap_objectives ro
                           WHERE ro.roadmap_id = a.roadmap_id
                             AND ro.objective_id = (SELECT id FROM gcm_objective WHERE number = %(objective)s))))
"""

_PAGE_SQL = """
WITH matching AS (
{matching}),
page AS (
    SELECT id FROM matching ORDER BY roadmap_id, code, id LIMIT %(limit)s OFFSET %(offset)s
)
SELECT
    (SELECT count(*) FROM matching),
    COALESCE((
        SELECT json_agg(row_to_json(x) ORDER BY a.roadmap_id, a.code, a.id)::text
        FROM roadmaps_action a
        JOIN roadmaps_roadmap r ON r.id = a.roadmap_id
        CROSS JOIN LATERAL (
            SELECT
                a.id,
                r.slug AS roadmap_slug,
                a.code,
                a.title_en,
                a.title_es,
                CASE WHEN %(lang)s = 'es' THEN COALESCE(NULLIF(a.title_es, ''), a.title_en)
                     ELSE COALESCE(NULLIF(a.title_en, ''), a.title_es) END AS title,
                a.description_en,
                a.description_es,
                CASE WHEN %(lang)s = 'es' THEN COALESCE(NULLIF(a.description_es, ''), a.description_en)
                     ELSE COALESCE(NULLIF(a.description_en, ''), a.description_es) END AS description,
                ARRAY(SELECT c.code FROM roadmaps_action_countries ac JOIN countries_country c ON c.id = ac.country_id
                      WHERE ac.action_id = a.id ORDER BY c.code) AS country_codes,
                ARRAY(SELECT g.key FROM roadmaps_action_organizations ag JOIN gcm_organization g
                      ON g.id = ag.organization_id WHERE ag.action_id = a.id ORDER BY g.key) AS organization_keys,
                COALESCE(
                    NULLIF(ARRAY(SELECT o.number FROM roadmaps_action_objectives ao
                                 JOIN gcm_objective o ON o.id = ao.objective_id
                                 WHERE ao.action_id = a.id ORDER BY o.number), '{}'),
                    ARRAY(SELECT o.number FROM roadmaps_roadmap_objectives ro
                          JOIN gcm_objective o ON o.id = ro.objective_id
                          WHERE ro.roadmap_id = a.roadmap_id ORDER BY o.number)
                ) AS objective_numbers,
                a.start_date,
                a.due_date,
                a.indicator,
                a.baseline,
                a.target,
                a.status,
                a.percent_complete,
                (a.due_date < CURRENT_DATE AND a.status NOT IN ('completed', 'cancelled')) AS is_overdue,
                COALESCE((SELECT jsonb_agg(jsonb_build_object(
                              'country', c.code, 'status', s.status, 'percent_complete', s.percent_complete,
                              'update_id', s.update_id, 'reporting_date', s.reporting_date) ORDER BY c.code)
                          FROM roadmaps_countryprogress s JOIN countries_country c ON c.id = s.country_id
                          WHERE s.action_id = a.id), '[]'::jsonb) AS progress_by_country,
                a.version,
                a.updated_at
        ) x
        WHERE a.id IN (SELECT id FROM page)
    ), '[]')
"""


def actions_page_sql(*, country: bool, objective: bool) -> str:
    """The one query of a page: counted and paged from the narrowest table the filters allow."""
    matching = _MATCHING_FOR_COUNTRY if country else _MATCHING_ALL
    if objective:
        matching += _OBJECTIVE_CONDITION
    return _PAGE_SQL.replace("{matching}", matching)


ACTIONS_PAGE_SQL = actions_page_sql(country=True, objective=True)

_local = threading.local()


def _connection():
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        conn = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True, options="-c TimeZone=UTC")
        conn.prepare_threshold = 0  # a prepared statement, as a tuned app would use
        _local.conn = conn
    return conn


def actions_page(cursor, *, country=None, objective=None, page=1, page_size=DEFAULT_PAGE_SIZE, lang="en"):
    """(count, results as JSON text) of one page of the actions list: one query on `cursor`."""
    params = {
        "country": country,
        "objective": objective,
        "limit": page_size,
        "offset": (page - 1) * page_size,
        "lang": lang,
    }
    cursor.execute(actions_page_sql(country=bool(country), objective=objective is not None), params)
    return cursor.fetchone()


def _int(values, name, default):
    try:
        return int(values.get(name, [default])[0])
    except (TypeError, ValueError):
        return default


def _page_link(environ, query, page):
    if page is None:
        return "null"
    params = {k: v[0] for k, v in query.items()}
    params["page"] = page
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "localhost")
    return f'"http://{host}{environ.get("PATH_INFO", "/")}?{urlencode(params)}"'


def application(environ, start_response):
    if environ.get("PATH_INFO") != "/api/v1/actions/":
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"detail": "Not found."}']
    query = parse_qs(environ.get("QUERY_STRING", ""))
    page_size = min(max(_int(query, "page_size", DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE)
    page = max(_int(query, "page", 1), 1)
    objective = _int(query, "objective", None)
    country = (query.get("country", [""])[0] or "").upper() or None
    lang = "es" if environ.get("HTTP_ACCEPT_LANGUAGE", "").lower().startswith("es") else "en"
    count, results = actions_page(
        _connection().cursor(), country=country, objective=objective, page=page, page_size=page_size, lang=lang
    )
    last_page = max(1, -(-count // page_size))
    next_link = _page_link(environ, query, page + 1 if page < last_page else None)
    previous_link = _page_link(environ, query, page - 1 if page > 1 else None)
    body = f'{{"count":{count},"next":{next_link},"previous":{previous_link},"results":{results}}}'.encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
