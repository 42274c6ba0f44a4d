"""What the benchmark measures: the scenarios (key, label, server, path), the bench database's tokens
and focal points' writes, and the check of the mixed scenario's stored rows."""

from __future__ import annotations

SEARCH_TERM = "consular"


ROADMAP_SLUG = "bench-roadmap-1"


# Scenarios left out of the mixed scenario's reads (whole downloads, not page reads).
SLOW_READS = ("csv_export", "review", "review_docx", "country_docx")


# The same scenario on a server whose figures cache is off (FIGURES_CACHE_SECONDS=0): every request
# computes its figures, pages and JSON from the database, as on the first request after a change.
CACHE_OFF = "  same, figures cache off"


BEST_CASE = "**repeated URL, one at a time (the figures cache's best case)**"


def scenarios(tokens: dict) -> list[dict]:
    """Each: key, label, server (ours / uncached / floor / naive), path, headers, connections."""
    csv_headers = {"Authorization": f"Token {tokens['secretariat']}"}  # every action, whatever its visibility
    actions = "/api/v1/actions/?country=SV&objective=5&page_size=100"
    return [
        {"key": "actions_list", "label": "actions list (SV, objective 5, 100/page)", "server": "ours", "path": actions},
        {"key": "actions_list", "label": "  floor: one SQL query, bare WSGI", "server": "floor", "path": actions},
        {
            "key": "actions_list",
            "label": "  naive: plain ModelSerializer",
            "server": "naive",
            "path": "/bench/naive/actions/?country=SV&objective=5&page_size=100",
        },
        {"key": "actions_list", "label": CACHE_OFF, "server": "uncached", "path": actions},
        {
            "key": "actions_search",
            "label": f"actions list, search={SEARCH_TERM}",
            "server": "ours",
            "path": f"/api/v1/actions/?search={SEARCH_TERM}&page_size=100",
        },
        {
            "key": "roadmap_detail",
            "label": "roadmap detail",
            "server": "ours",
            "path": f"/api/v1/roadmaps/{ROADMAP_SLUG}/",
        },
        {
            "key": "stats_objectives",
            "label": "stats/objectives/",
            "server": "ours",
            "path": "/api/v1/stats/objectives/",
        },
        {"key": "stats_objectives", "label": CACHE_OFF, "server": "uncached", "path": "/api/v1/stats/objectives/"},
        {"key": "dashboard", "label": "dashboard page /en/", "server": "ours", "path": "/en/"},
        {"key": "dashboard", "label": CACHE_OFF, "server": "uncached", "path": "/en/"},
        {"key": "review", "label": "review report page /en/review/", "server": "ours", "path": "/en/review/"},
        {"key": "review", "label": CACHE_OFF, "server": "uncached", "path": "/en/review/"},
        {
            "key": "csv_export",
            "label": "CSV export, all actions",
            "server": "ours",
            "path": "/api/v1/actions/?format=csv",
            "headers": csv_headers,
            "connections": 1,
        },
        {
            # One document at a time, timed request by request (a wrk run would cut a long one off).
            "key": "review_docx",
            "label": "review report as Word, every row (anonymous)",
            "server": "ours",
            "path": "/en/review/?format=docx",
            "single": True,
        },
        {
            "key": "country_docx",
            "label": "a country's contribution as Word, El Salvador (anonymous)",
            "server": "ours",
            "path": "/en/countries/SV/report.docx",
            "single": True,
        },
        {"key": "mixed", "label": "mixed: reads + focal points' updates", "server": "ours", "path": None},
    ]


def bench_fixtures(url: str) -> dict:
    """Tokens and the focal points' (action, token, country) pairs, read from the bench database."""
    import psycopg

    with psycopg.connect(url) as conn:
        tokens = dict(
            conn.execute(
                "SELECT u.username, t.key FROM authtoken_token t JOIN auth_user u ON u.id = t.user_id"
                " WHERE u.username IN ('bench-secretariat', 'bench-partner')"
            ).fetchall()
        )
        writes = conn.execute(
            """
            SELECT DISTINCT ON (a.id) a.id, t.key, c.code
            FROM roadmaps_action a
            JOIN roadmaps_action_countries ac ON ac.action_id = a.id
            JOIN countries_country c ON c.id = ac.country_id
            JOIN countries_focalpoint fp ON fp.country_id = c.id AND fp.is_active
            JOIN authtoken_token t ON t.user_id = fp.user_id
            WHERE a.status NOT IN ('completed', 'cancelled')
            ORDER BY a.id, c.code, t.key
            LIMIT 2000
            """
        ).fetchall()
    return {
        "secretariat": tokens["bench-secretariat"],
        "partner": tokens["bench-partner"],
        "writes": writes,
    }


def count_progress_updates(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM roadmaps_progressupdate").fetchone()[0]


def created_verdict(accepted: int, created: int, connections: int) -> str:
    """wrk stops mid-flight: a POST sent just before its stop is stored but its 201 never counted."""
    if created == accepted:
        return "equal"
    in_flight = created - accepted
    if 0 < in_flight <= connections + 2:  # the measured run's connections and the warm-up's
        return f"the {in_flight} more were in flight when wrk stopped; `make soak` checks this exactly"
    return "MISMATCH"
