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
ACTIONS_PAGE_SQL = """
WITH matching AS (
    SELECT a.id, a.roadmap_id, a.code
    FROM roadmaps_action a
    JOIN roadmaps_roadmap r ON r.id = a.roadmap_id
    WHERE r.visibility = 'public' AND r.status <> 'draft'
      AND (%(country)s::text IS NULL OR EXISTS (
            SELECT 1 FROM roadmaps_action_countries ac JOIN countries_country c ON c.id = ac.country_id
            WHERE ac.action_id = a.id AND c.code = %(country)s))
      AND (%(objective)s::int IS NULL OR EXISTS (
            SELECT 1 FROM roadmaps_action_objectives ao JOIN gcm_objective o ON o.id = ao.objective_id
            WHERE ao.action_id = a.id AND o.number = %(objective)s))
),
page AS (
    SELECT id FROM matching ORDER BY roadmap_id, code, id LIMIT %(limit)s OFFSET %(offset)s
)
SELECT
    (SELECT count(*) FROM matching),
    COALESCE((
        SELECT json_agg(row_to_json(rows) ORDER BY rows.roadmap_id, rows.code, rows.id)::text
        FROM (
            SELECT
                a.id,
                a.code,
                a.title_en,
                a.title_es,
                CASE WHEN %(lang)s = 'es' THEN COALESCE(NULLIF(a.title_es, ''), a.title_en)
                     ELSE COALESCE(NULLIF(a.title_en, ''), a.title_es) END AS title,
                a.roadmap_id,
                r.slug AS roadmap,
                ARRAY(SELECT c.code FROM roadmaps_action_countries ac JOIN countries_country c ON c.id = ac.country_id
                      WHERE ac.action_id = a.id ORDER BY c.code) AS countries,
                ARRAY(SELECT o.number FROM roadmaps_action_objectives ao JOIN gcm_objective o ON o.id = ao.objective_id
                      WHERE ao.action_id = a.id ORDER BY o.number) AS objectives,
                a.status,
                a.percent_complete,
                a.start_date,
                a.due_date,
                (a.due_date < CURRENT_DATE AND a.status NOT IN ('completed', 'cancelled')) AS is_overdue,
                a.version,
                a.updated_at
            FROM roadmaps_action a
            JOIN roadmaps_roadmap r ON r.id = a.roadmap_id
            WHERE a.id IN (SELECT id FROM page)
        ) rows
    ), '[]')
"""

_local = threading.local()


def _connection():
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        conn = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
        conn.prepare_threshold = 0  # a prepared statement, as a tuned app would use
        _local.conn = conn
    return conn


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
    params = {
        "country": country,
        "objective": objective,
        "limit": page_size,
        "offset": (page - 1) * page_size,
        "lang": lang,
    }
    count, results = _connection().execute(ACTIONS_PAGE_SQL, params).fetchone()
    last_page = max(1, -(-count // page_size))
    next_link = _page_link(environ, query, page + 1 if page < last_page else None)
    previous_link = _page_link(environ, query, page - 1 if page > 1 else None)
    body = f'{{"count":{count},"next":{next_link},"previous":{previous_link},"results":{results}}}'.encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
