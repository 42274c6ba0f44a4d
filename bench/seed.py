"""Seed a benchmark database quickly with PostgreSQL's COPY (through psycopg).

Scales (issue 9):

    tiny      3 countries,   2 roadmaps,     20 actions,      50 progress updates (tests)
    small     6 countries,  10 roadmaps,    200 actions,   2 000 progress updates (make soak)
    regional 12 countries,  40 roadmaps,  1 000 actions,  10 000 progress updates
    stress   35 countries, 400 roadmaps, 20 000 actions, 500 000 progress updates

The data is deterministic for a given `seed`: the same scale always yields the same rows. Reference
rows (the 23 GCM objectives, the countries, a few themes) are created here directly, so a bench
database needs nothing but `migrate` first. Every action's status and percent equal its latest
approved update, as the review services would have left them.

`seed(connection, scale)` works on any migrated database (the test database too). The command line
(`python -m bench.seed --scale regional`) creates `gcm_bench_<scale>` on the server in use — the one
named by DATABASE_URL, or the embedded server when it is unset — migrates it and seeds it.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import random
import secrets
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


@dataclasses.dataclass(frozen=True)
class Scale:
    countries: int
    roadmaps: int
    actions: int
    updates: int


SCALES = {
    "tiny": Scale(countries=3, roadmaps=2, actions=20, updates=50),
    "small": Scale(countries=6, roadmaps=10, actions=200, updates=2_000),
    "regional": Scale(countries=12, roadmaps=40, actions=1_000, updates=10_000),
    "stress": Scale(countries=35, roadmaps=400, actions=20_000, updates=500_000),
}

# The Americas, El Salvador and Guatemala first (the scenarios filter by SV); then the rest of the
# RCM members, then the other countries of the region.
COUNTRIES = [
    ("SV", "SLV", "El Salvador", "El Salvador", "central_america", "member", True),
    ("GT", "GTM", "Guatemala", "Guatemala", "central_america", "member", True),
    ("MX", "MEX", "Mexico", "México", "north_america", "member", True),
    ("CR", "CRI", "Costa Rica", "Costa Rica", "central_america", "member", True),
    ("CO", "COL", "Colombia", "Colombia", "south_america", "observer", True),
    ("CA", "CAN", "Canada", "Canadá", "north_america", "member", True),
    ("HN", "HND", "Honduras", "Honduras", "central_america", "member", False),
    ("NI", "NIC", "Nicaragua", "Nicaragua", "central_america", "member", False),
    ("PA", "PAN", "Panama", "Panamá", "central_america", "member", False),
    ("BZ", "BLZ", "Belize", "Belice", "central_america", "member", False),
    ("DO", "DOM", "Dominican Republic", "República Dominicana", "caribbean", "member", False),
    ("US", "USA", "United States", "Estados Unidos", "north_america", "member", False),
    ("AR", "ARG", "Argentina", "Argentina", "south_america", "observer", False),
    ("EC", "ECU", "Ecuador", "Ecuador", "south_america", "observer", True),
    ("PE", "PER", "Peru", "Perú", "south_america", "observer", False),
    ("JM", "JAM", "Jamaica", "Jamaica", "caribbean", "observer", False),
    ("CL", "CHL", "Chile", "Chile", "south_america", "none", True),
    ("BR", "BRA", "Brazil", "Brasil", "south_america", "none", False),
    ("UY", "URY", "Uruguay", "Uruguay", "south_america", "none", False),
    ("PY", "PRY", "Paraguay", "Paraguay", "south_america", "none", False),
    ("BO", "BOL", "Bolivia", "Bolivia", "south_america", "none", False),
    ("VE", "VEN", "Venezuela", "Venezuela", "south_america", "none", False),
    ("GY", "GUY", "Guyana", "Guyana", "south_america", "none", False),
    ("SR", "SUR", "Suriname", "Surinam", "south_america", "none", False),
    ("HT", "HTI", "Haiti", "Haití", "caribbean", "none", False),
    ("CU", "CUB", "Cuba", "Cuba", "caribbean", "none", False),
    ("TT", "TTO", "Trinidad and Tobago", "Trinidad y Tobago", "caribbean", "none", False),
    ("BS", "BHS", "Bahamas", "Bahamas", "caribbean", "none", False),
    ("BB", "BRB", "Barbados", "Barbados", "caribbean", "none", False),
    ("AG", "ATG", "Antigua and Barbuda", "Antigua y Barbuda", "caribbean", "none", False),
    ("DM", "DMA", "Dominica", "Dominica", "caribbean", "none", False),
    ("GD", "GRD", "Grenada", "Granada", "caribbean", "none", False),
    ("KN", "KNA", "Saint Kitts and Nevis", "San Cristóbal y Nieves", "caribbean", "none", False),
    ("LC", "LCA", "Saint Lucia", "Santa Lucía", "caribbean", "none", False),
    ("VC", "VCT", "Saint Vincent and the Grenadines", "San Vicente y las Granadinas", "caribbean", "none", False),
]

THEMES = [
    ("labour-mobility", "Labour mobility", "Movilidad laboral"),
    ("regular-pathways", "Regular pathways", "Vías regulares"),
    ("return-reintegration", "Return and reintegration", "Retorno y reintegración"),
    ("consular-protection", "Consular protection", "Protección consular"),
    ("climate-mobility", "Climate and human mobility", "Clima y movilidad humana"),
    ("trafficking", "Trafficking in persons", "Trata de personas"),
    ("data", "Migration data", "Datos sobre migración"),
    ("integration", "Inclusion and social cohesion", "Inclusión y cohesión social"),
]

# Objective weights: labour pathways (5, 6), data (1) and return (21) are common in the region's
# roadmaps; the others less so. Objective 5 is the one the benchmark filters by.
OBJECTIVE_WEIGHTS = {1: 6, 2: 3, 3: 2, 4: 3, 5: 12, 6: 6, 7: 4, 8: 2, 9: 2, 10: 3, 11: 2, 12: 2}
OBJECTIVE_WEIGHTS.update(dict.fromkeys(range(13, 24), 2))
OBJECTIVE_WEIGHTS[21] = 5

VERBS = [
    ("Strengthen", "Fortalecer"),
    ("Develop", "Desarrollar"),
    ("Expand", "Ampliar"),
    ("Harmonise", "Armonizar"),
    ("Train staff on", "Capacitar al personal en"),
    ("Publish", "Publicar"),
    ("Pilot", "Poner a prueba"),
    ("Review", "Revisar"),
]
SUBJECTS = [
    ("consular protection for migrant workers", "la protección consular de las personas trabajadoras migrantes"),
    ("temporary labour migration agreements", "los acuerdos de migración laboral temporal"),
    ("identity documents for returnees", "los documentos de identidad para personas retornadas"),
    ("disaggregated migration statistics", "las estadísticas migratorias desglosadas"),
    ("ethical recruitment standards", "las normas de contratación ética"),
    ("reintegration services in border towns", "los servicios de reintegración en ciudades fronterizas"),
    ("search for missing migrants", "la búsqueda de migrantes desaparecidos"),
    ("screening of unaccompanied children", "la identificación de niñas y niños no acompañados"),
    ("recognition of skills and qualifications", "el reconocimiento de competencias y títulos"),
    ("climate displacement preparedness", "la preparación ante desplazamientos por el clima"),
    ("remittance costs", "los costos de las remesas"),
    ("victims of trafficking referral", "la derivación de víctimas de trata"),
]
PLACES = [
    ("with the ministry of labour", "con el ministerio de trabajo"),
    ("across the northern border", "en la frontera norte"),
    ("in the capital region", "en la región capital"),
    ("with civil society partners", "con organizaciones de la sociedad civil"),
    ("through the regional network", "mediante la red regional"),
    ("in rural municipalities", "en municipios rurales"),
]
NARRATIVES = [
    "Two technical meetings held with the ministry; draft protocol circulated for comments.",
    "Training delivered to {n} officials; evaluation forms collected and analysed.",
    "Pilot running in {n} municipalities; first monitoring visit completed.",
    "Budget approved; procurement of equipment under way.",
    "Inter-institutional working group met {n} times this quarter.",
    "Data-sharing agreement signed; the first quarterly dataset has been published.",
    "Consultations with civil society finished; recommendations being integrated.",
]
CHALLENGES = ["", "", "Staff turnover delayed the schedule.", "Funding for the second phase is not yet confirmed."]
UPDATE_STATUSES = ["on_track", "on_track", "on_track", "at_risk", "delayed"]

ROADMAP_STATUSES = ["active"] * 16 + ["completed"] * 3 + ["draft"]
ROADMAP_VISIBILITY = ["public"] * 17 + ["partners"] * 2 + ["internal"]

# One password hash for every bench user (computing hashes is slow and nobody signs in with them).
BENCH_PASSWORD = "bench-pass-1234"


@dataclasses.dataclass
class SeedReport:
    scale: str
    seconds: float
    rows: dict


def _objective_reference():
    """(number, title_en, title_es, short_en, short_es) for the 23 objectives, from the reference file."""
    import yaml

    path = BASE_DIR / "gcm" / "reference" / "gcm_reference.yaml"
    titles = {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for row in data.get("objectives", []):
            titles[int(row["number"])] = (
                row.get("title_en", ""),
                row.get("title_es", ""),
                row.get("hub_label_en", "") or "",
                row.get("hub_label_es", "") or "",
            )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        titles = {}
    out = []
    for n in range(1, 24):
        en, es, short_en, short_es = titles.get(n, (f"Objective {n}", f"Objetivo {n}", "", ""))
        out.append((n, en or f"Objective {n}", es or f"Objetivo {n}", short_en[:100], short_es[:100]))
    return out


def _next_ids(cursor, table: str, count: int) -> int:
    """Reserve `count` ids of `table`'s sequence; returns the first (the ids are first..first+count-1)."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    (sequence,) = cursor.fetchone()
    cursor.execute("SELECT COALESCE(MAX(id), 0) FROM " + table)
    (current_max,) = cursor.fetchone()
    first = current_max + 1
    cursor.execute("SELECT setval(%s, %s)", [sequence, first + max(count, 1) - 1])
    return first


def _copy(cursor, table: str, columns: list[str], rows) -> int:
    raw = cursor.cursor if hasattr(cursor, "cursor") else cursor  # Django's CursorWrapper → psycopg
    count = 0
    with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _upsert_reference(cursor, now):
    """Objectives and countries: created here when missing (matched by number / code), never changed."""
    for number, en, es, short_en, short_es in _objective_reference():
        cursor.execute(
            "INSERT INTO gcm_objective (created_at, updated_at, is_verified, reference_note, reference_values,"
            " number, title_en, title_es, short_title_en, short_title_es, description_en, description_es)"
            " VALUES (%s, %s, true, '', '{}'::jsonb, %s, %s, %s, %s, %s, '', '') ON CONFLICT (number) DO NOTHING",
            [now, now, number, en, es, short_en, short_es],
        )
    cursor.execute("SELECT number, id FROM gcm_objective")
    objectives = dict(cursor.fetchall())
    return objectives


def _ensure_countries(cursor, now, count: int):
    chosen = COUNTRIES[:count]
    for code, alpha3, name_en, name_es, subregion, rcm, champion in chosen:
        cursor.execute(
            "INSERT INTO countries_country (created_at, updated_at, is_verified, reference_note, reference_values,"
            " code, alpha3, name_en, name_es, subregion, rcm_status, is_gcm_champion, champion_since, gcm_vote)"
            " VALUES (%s, %s, true, '', '{}'::jsonb, %s, %s, %s, %s, %s, %s, %s, NULL, 'in_favour')"
            " ON CONFLICT (code) DO NOTHING",
            [now, now, code, alpha3, name_en, name_es, subregion, rcm, champion],
        )
    cursor.execute("SELECT code, id FROM countries_country WHERE code = ANY(%s)", [[c[0] for c in chosen]])
    by_code = dict(cursor.fetchall())
    return [(code, by_code[code]) for code, *_ in chosen]


def _weighted_objectives(rng: random.Random, k: int) -> list[int]:
    numbers = list(OBJECTIVE_WEIGHTS)
    weights = list(OBJECTIVE_WEIGHTS.values())
    picked = []
    while len(picked) < k:
        n = rng.choices(numbers, weights)[0]
        if n not in picked:
            picked.append(n)
    return picked


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _update_plan(seed: int, action_index: int, count: int, action_countries, start: datetime.date, today):
    """The progress updates of one action, oldest first: deterministic per (seed, action, day)."""
    rng = random.Random(seed * 1_000_003 + action_index)
    target = 100 if rng.random() < 0.25 else rng.randint(5, 95)
    step = max(1, (today - start).days // (count + 1))
    plan = []
    for i in range(count):
        day = start + datetime.timedelta(days=step * (i + 1) - rng.randint(0, step // 2))
        percent = round(target * (i + 1) / count)
        last = i == count - 1
        status = "completed" if percent == 100 else rng.choice(UPDATE_STATUSES)
        if last and rng.random() < 0.25:
            state = "submitted"
        elif rng.random() < 0.03:
            state = "returned"
        else:
            state = "approved"
        country_index = rng.randrange(len(action_countries))
        narrative = rng.choice(NARRATIVES).format(n=rng.randint(2, 40))
        plan.append((day, status, percent, state, country_index, narrative, rng.choice(CHALLENGES)))
    return plan


def seed(connection, scale: str | Scale, *, seed: int = 20240926) -> SeedReport:
    """Insert a whole data set of `scale` into the (migrated) database behind `connection`.

    `connection` is a Django database connection; the rows are streamed with COPY. Adds to what is
    there (reference rows are reused by code / number), so run it on an empty database.
    """
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    size = SCALES[scale] if isinstance(scale, str) else scale
    label = scale if isinstance(scale, str) else "custom"
    rng = random.Random(seed)
    started = time.perf_counter()
    now = timezone.now()
    today = timezone.localdate()
    rows = {}

    with connection.cursor() as cursor:
        objectives = _upsert_reference(cursor, now)
        countries = _ensure_countries(cursor, now, size.countries)
        country_ids = [cid for _, cid in countries]

        # Themes.
        for slug, en, es in THEMES:
            cursor.execute(
                "INSERT INTO roadmaps_theme (created_at, updated_at, slug, title_en, title_es, description_en,"
                " description_es) VALUES (%s, %s, %s, %s, %s, '', '') ON CONFLICT (slug) DO NOTHING",
                [now, now, "bench-" + slug, en, es],
            )
        cursor.execute("SELECT id FROM roadmaps_theme WHERE slug LIKE 'bench-%%' ORDER BY slug")
        theme_ids = [r[0] for r in cursor.fetchall()]

        # Users: one secretariat reviewer, one partner, two focal points per country; each with a token.
        password = make_password(BENCH_PASSWORD)
        focal_users = {}  # country id -> [user ids]
        user_rows = [("bench-secretariat", True), ("bench-partner", False)]
        for code, _cid in countries:
            for i in (1, 2):
                user_rows.append((f"bench-fp-{code.lower()}-{i}", False))
        first_user = _next_ids(cursor, "auth_user", len(user_rows))
        user_ids = {}
        _copy(
            cursor,
            "auth_user",
            ["id", "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff"]
            + ["is_active", "date_joined"],
            (
                (first_user + i, password, False, name, "", "", f"{name}@bench.invalid", staff, True, now)
                for i, (name, staff) in enumerate(user_rows)
            ),
        )
        for i, (name, _) in enumerate(user_rows):
            user_ids[name] = first_user + i
        secretariat_id = user_ids["bench-secretariat"]
        for code, cid in countries:
            focal_users[cid] = [user_ids[f"bench-fp-{code.lower()}-{i}"] for i in (1, 2)]
        cursor.execute(
            "INSERT INTO auth_user_groups (user_id, group_id) SELECT %s, id FROM auth_group WHERE name = 'Secretariat'",
            [secretariat_id],
        )
        cursor.execute(
            "INSERT INTO auth_user_groups (user_id, group_id) SELECT %s, id FROM auth_group WHERE name = 'Partners'",
            [user_ids["bench-partner"]],
        )
        _copy(
            cursor,
            "countries_focalpoint",
            ["created_at", "updated_at", "is_active", "role_title", "country_id", "user_id"],
            ((now, now, True, "Focal point", cid, uid) for cid, uids in focal_users.items() for uid in uids),
        )
        rows["users"] = _copy(
            cursor,
            "authtoken_token",
            ["key", "created", "user_id"],
            ((secrets.token_hex(20), now, uid) for uid in user_ids.values()),
        )

        # Roadmaps and their links.
        first_roadmap = _next_ids(cursor, "roadmaps_roadmap", size.roadmaps)
        roadmaps = []  # (id, participating country ids, objective ids, start)
        roadmap_rows = []
        for i in range(size.roadmaps):
            rid = first_roadmap + i
            lead_index = i % len(country_ids)
            others = [c for j, c in enumerate(country_ids) if j != lead_index]
            participants = [country_ids[lead_index]] + rng.sample(others, min(len(others), rng.randint(2, 5)))
            objective_ids = [objectives[n] for n in _weighted_objectives(rng, rng.randint(2, 4))]
            start = today - datetime.timedelta(days=rng.randint(400, 1100))
            end = start + datetime.timedelta(days=rng.randint(700, 1500))
            theme = THEMES[i % len(THEMES)]
            verb = VERBS[i % len(VERBS)]
            roadmaps.append((rid, participants, objective_ids, start))
            roadmap_rows.append(
                (
                    rid,
                    now,
                    now,
                    f"{theme[1]} roadmap {i + 1}: {verb[0].lower()} cooperation",
                    f"Hoja de ruta {i + 1} de {theme[2].lower()}: {verb[1].lower()} la cooperación",
                    f"bench-roadmap-{i + 1}",
                    start,
                    end,
                    ROADMAP_STATUSES[i % len(ROADMAP_STATUSES)] if i else "active",
                    ROADMAP_VISIBILITY[(i * 7) % len(ROADMAP_VISIBILITY)] if i else "public",
                    f"Benchmark roadmap on {theme[1].lower()}.",
                    f"Hoja de ruta de prueba sobre {theme[2].lower()}.",
                    country_ids[lead_index],
                    theme_ids[i % len(theme_ids)],
                )
            )
        rows["roadmaps"] = _copy(
            cursor,
            "roadmaps_roadmap",
            ["id", "created_at", "updated_at", "title_en", "title_es", "slug", "start_date", "end_date", "status"]
            + ["visibility", "description_en", "description_es", "lead_country_id", "theme_id"],
            roadmap_rows,
        )
        _copy(
            cursor,
            "roadmaps_roadmap_countries",
            ["roadmap_id", "country_id"],
            ((rid, cid) for rid, cids, _, _ in roadmaps for cid in cids),
        )
        _copy(
            cursor,
            "roadmaps_roadmap_objectives",
            ["roadmap_id", "objective_id"],
            ((rid, oid) for rid, _, oids, _ in roadmaps for oid in oids),
        )

        # Actions, with their countries and objectives; status and percent from the latest approved update.
        actions_per_roadmap = _spread(size.actions, size.roadmaps)
        updates_per_action = _spread(size.updates, size.actions)
        first_action = _next_ids(cursor, "roadmaps_action", size.actions)
        actions = []  # (id, country ids, start, updates)
        action_countries = []
        action_objectives = []

        def action_rows():
            index = 0
            for (rid, participants, _, start), count in zip(roadmaps, actions_per_roadmap, strict=True):
                for k in range(count):
                    aid = first_action + index
                    verb = rng.choice(VERBS)
                    subject = rng.choice(SUBJECTS)
                    place = rng.choice(PLACES)
                    cids = rng.sample(participants, min(len(participants), rng.choice([1, 1, 2, 3])))
                    if rng.random() < 0.15:
                        oids = []  # uses the roadmap's objectives
                    else:
                        oids = [objectives[n] for n in _weighted_objectives(rng, rng.choice([1, 1, 2, 3]))]
                    a_start = start + datetime.timedelta(days=rng.randint(0, 200))
                    due = a_start + datetime.timedelta(days=rng.randint(300, 1600))
                    n_updates = updates_per_action[index]
                    plan = _update_plan(seed, index, n_updates, cids, a_start, today)
                    approved = [p for p in plan if p[3] == "approved"]
                    status, percent = (approved[-1][1], approved[-1][2]) if approved else ("not_started", 0)
                    if status != "completed" and rng.random() < 0.02:
                        status = "cancelled"
                    actions.append((aid, cids, a_start, n_updates))
                    action_countries.extend((aid, cid) for cid in cids)
                    action_objectives.extend((aid, oid) for oid in oids)
                    title_en = f"{verb[0]} {subject[0]} {place[0]}"
                    title_es = f"{verb[1]} {subject[1]} {place[1]}"
                    yield (
                        aid,
                        now,
                        now,
                        f"A{k + 1}",
                        title_en,
                        title_es,
                        f"{title_en}, as agreed in the roadmap.",
                        f"{title_es}, según lo acordado en la hoja de ruta.",
                        a_start,
                        due,
                        "Number of officials trained",
                        "0",
                        str(rng.choice([50, 100, 200, 500])),
                        status,
                        percent,
                        1 + sum(1 for p in plan if p[3] != "submitted"),
                        rid,
                    )
                    index += 1

        rows["actions"] = _copy(
            cursor,
            "roadmaps_action",
            ["id", "created_at", "updated_at", "code", "title_en", "title_es", "description_en", "description_es"]
            + ["start_date", "due_date", "indicator", "baseline", "target", "status", "percent_complete", "version"]
            + ["roadmap_id"],
            action_rows(),
        )
        _copy(cursor, "roadmaps_action_countries", ["action_id", "country_id"], action_countries)
        _copy(cursor, "roadmaps_action_objectives", ["action_id", "objective_id"], action_objectives)

        # Progress updates.
        tz = datetime.UTC

        def update_rows():
            for index, (aid, cids, a_start, n_updates) in enumerate(actions):
                for day, status, percent, state, ci, narrative, challenge in _update_plan(
                    seed, index, n_updates, cids, a_start, today
                ):
                    cid = cids[ci]
                    created = datetime.datetime.combine(day, datetime.time(12, 0), tz)
                    reviewed = state != "submitted"
                    yield (
                        created,
                        created,
                        day,
                        status,
                        percent,
                        narrative,
                        challenge,
                        "",
                        "",
                        "",
                        state,
                        created + datetime.timedelta(days=2) if reviewed else None,
                        "Please add the number of people reached." if state == "returned" else "",
                        aid,
                        focal_users[cid][(aid + ci) % 2],
                        cid,
                        secretariat_id if reviewed else None,
                    )

        rows["progress_updates"] = _copy(
            cursor,
            "roadmaps_progressupdate",
            ["created_at", "updated_at", "reporting_date", "status", "percent_complete", "narrative", "challenges"]
            + ["next_steps", "evidence_url", "evidence_file", "review_state", "reviewed_at", "review_comment"]
            + ["action_id", "author_id", "country_id", "reviewer_id"],
            update_rows(),
        )
        rows["countries"] = len(countries)
        rows["objectives"] = len(objectives)
    return SeedReport(scale=label, seconds=time.perf_counter() - started, rows=rows)


# --- command line: a separate database per scale --------------------------------------------------


def server_admin_url() -> str:
    """A URL of the `postgres` database on the server in use (DATABASE_URL's, or the embedded one)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        import dj_database_url

        cfg = dj_database_url.parse(url)
        return database_url_for(cfg, "postgres")
    sys.path.insert(0, str(BASE_DIR))
    from config.database import embedded_server

    server = embedded_server()  # keeps the embedded server up while this process lives
    info = server.get_postmaster_info()
    return f"postgresql://postgres@/postgres?host={info.socket_dir}&port={info.port or 5432}"


def database_url_for(cfg_or_admin_url, name: str) -> str:
    """The URL of database `name` on the same server as a dj-database-url config or an admin URL."""
    from urllib.parse import quote

    if isinstance(cfg_or_admin_url, dict):
        cfg = cfg_or_admin_url
        user = quote(cfg.get("USER") or "postgres")
        password = f":{quote(cfg['PASSWORD'])}" if cfg.get("PASSWORD") else ""
        host = cfg.get("HOST") or ""
        port = cfg.get("PORT") or 5432
        if host.startswith("/"):
            return f"postgresql://{user}{password}@/{name}?host={quote(host)}&port={port}"
        return f"postgresql://{user}{password}@{host}:{port}/{name}"
    prefix, _, query = cfg_or_admin_url.partition("?")
    base = prefix.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{query}" if query else "")


def to_dj_url(url: str) -> str:
    """dj-database-url wants a socket directory as a percent-encoded host, not `?host=`."""
    from urllib.parse import parse_qs, quote, urlsplit

    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if "host" not in query:
        return url
    host = quote(query["host"][0], safe="")
    port = query.get("port", ["5432"])[0]
    return f"postgresql://{parts.username or 'postgres'}@{host}:{port}{parts.path}"


def bench_database_name(scale: str) -> str:
    """`gcm_bench_<scale>`; BENCH_DATABASE_PREFIX changes the prefix (engineers sharing one server keep
    their runs, and their migrations, apart)."""
    return f"{os.environ.get('BENCH_DATABASE_PREFIX', 'gcm_bench_')}{scale}"


def seed_info(url: str):
    """(scale, seconds) recorded by a previous seed of this database, or None."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            row = conn.execute(
                "SELECT scale, seconds FROM bench_seed_info WHERE to_regclass('bench_seed_info') IS NOT NULL"
            ).fetchone()
            return row
    except psycopg.Error:
        return None


def analyze(url: str, log=print) -> None:
    """Statistics for every table, as autovacuum keeps them in production. Without them — a server with
    autovacuum off, or tables its trigger filled (`roadmaps_countryprogress`, the change log) or too
    small to reach its threshold (countries, objectives) — the planner guessed, and some pages were
    measured on plans no production database runs (a country-state prefetch walked every country's
    rows: 18 ms instead of 0.3)."""
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")
    log(f"analyzed every table in {time.perf_counter() - started:.1f} s")


def create_and_seed(scale: str, *, reseed: bool = False, log=print) -> dict:
    """Create `gcm_bench_<scale>` (dropping an old one when reseeding), migrate and seed it.

    Returns {"url", "dj_url", "seed_seconds", "migrate_seconds", "reused"}.
    """
    import subprocess

    import psycopg

    admin_url = server_admin_url()
    name = bench_database_name(scale)
    url = database_url_for(admin_url, name)
    dj_url = to_dj_url(url)
    previous = None if reseed else seed_info(url)
    env = {**os.environ, "DATABASE_URL": dj_url, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    env.pop("PYTHONWARNINGS", None)
    migrate = [sys.executable, str(BASE_DIR / "manage.py"), "migrate", "--noinput", "-v", "0"]
    if previous and previous[0] == scale:
        started = time.perf_counter()
        subprocess.run(migrate, cwd=BASE_DIR, env=env, check=True)  # migrations added since the seed
        log(f"reusing {name} (seeded at scale {scale} in {previous[1]:.1f} s; --reseed to start over)")
        analyze(url, log)
        return {
            "url": url,
            "dj_url": dj_url,
            "seed_seconds": previous[1],
            "migrate_seconds": time.perf_counter() - started,
            "reused": True,
        }

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    subprocess.run(migrate, cwd=BASE_DIR, env=env, check=True)
    migrate_seconds = time.perf_counter() - started
    log(f"created and migrated {name} in {migrate_seconds:.1f} s; seeding scale {scale} …")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bench.seed", "--scale", scale, "--into-configured-database"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    seconds = time.perf_counter() - started  # the whole seeding process: start-up, COPY, commit
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE bench_seed_info SET seconds = %s", [seconds])
    log(f"seeded {name} in {seconds:.1f} s")
    analyze(url, log)
    return {"url": url, "dj_url": dj_url, "seed_seconds": seconds, "migrate_seconds": migrate_seconds, "reused": False}


def _seed_configured_database(scale: str) -> None:
    """Seed the database Django is configured with (DATABASE_URL), and record the scale and time."""
    import django

    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    from django.db import connection, transaction

    with transaction.atomic():
        report = seed(connection, scale)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_seed_info (scale text, seconds double precision, rows jsonb)")
            import json

            cursor.execute(
                "INSERT INTO bench_seed_info VALUES (%s, %s, %s::jsonb)",
                [report.scale, report.seconds, json.dumps(report.rows)],
            )
    print(f"  rows: {report.rows}  ({report.seconds:.1f} s)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="regional")
    parser.add_argument("--reseed", action="store_true", help="drop and seed again even if already seeded")
    parser.add_argument("--into-configured-database", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.into_configured_database:
        _seed_configured_database(args.scale)
        return 0
    result = create_and_seed(args.scale, reseed=args.reseed)
    print(result["url"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
