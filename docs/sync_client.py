#!/usr/bin/env python3
"""Keep a copy of the GCM Roadmap Tracker's data in sync, through its change feed (/api/v1/changes/).

Python 3.10+, standard library only. The copy is a JSON file: {"cursor": …, "rows": {kind: {id: row}}},
where `kind` is the list a row belongs to ("actions", "progress-updates", …) and `row` is what that
list gives for it. Run it as often as you like (cron, a loop); each run fetches what changed since
the last one:

    python sync_client.py --url https://tracker.example.org --token "$TOKEN" --state gcm-copy.json
    python sync_client.py --url http://127.0.0.1:8000 --state public-copy.json --follow 60   # every minute

The recipe, if you write your own client:

1. Ask /api/v1/changes/ with no cursor: you get every row you may see.
2. Apply each entry in order: "upsert" → store `data` under (kind, id); "remove" → delete (kind, id).
3. Save your copy and the answer's `next_cursor` together (one file, replaced atomically here), so a
   crash never leaves a cursor ahead of the rows it covers.
4. While `more` is true, ask again at once with that cursor; then wait and ask again later.
Never build a cursor yourself, and never go back to an older one: the server hands out no cursor
past a change that could still be committed before it, so nothing is skipped and nothing repeats.
"""

import argparse
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

FEED = "/api/v1/changes/"


def fetch(base_url, params, token=None, timeout=30, attempts=5):
    """One page of the feed (a dict); waits and retries when the server says 429 (too many requests)."""
    url = base_url.rstrip("/") + FEED + "?" + urllib.parse.urlencode(params)
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    for attempt in range(attempts):
        request = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            if error.code != 429 or attempt == attempts - 1:
                raise
            time.sleep(float(error.headers.get("Retry-After") or 1))
    raise RuntimeError("unreachable")


def apply(rows, entry):
    """Apply one entry to `rows` ({kind: {id: row}}; ids as strings, as JSON keeps them)."""
    of_kind = rows.setdefault(entry["kind"], {})
    if entry["op"] == "remove":
        of_kind.pop(str(entry["id"]), None)
    else:
        of_kind[str(entry["id"])] = entry["data"]


def sync(base_url, rows, cursor=None, token=None, page_size=500, **filters):
    """Apply every change after `cursor` to `rows`; returns the cursor to send next time.

    `filters`: `kind`, `country`, `roadmap`, as the feed takes them (keep them the same between runs).
    """
    while True:
        params = {"page_size": page_size, **{k: v for k, v in filters.items() if v}}
        if cursor:
            params["cursor"] = cursor
        page = fetch(base_url, params, token=token)
        for entry in page["results"]:
            apply(rows, entry)
        cursor = page["next_cursor"]
        if not page["more"]:
            return cursor


def load(path):
    if not path or not os.path.exists(path):
        return {"cursor": None, "rows": {}}
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def save(path, state):
    """Write the copy and its cursor at once: a new file renamed over the old one."""
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".sync-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(state, out, ensure_ascii=False, sort_keys=True)
    os.replace(temporary, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Keep a local copy of the GCM Roadmap Tracker in sync.")
    parser.add_argument("--url", required=True, help="the tracker's address, e.g. http://127.0.0.1:8000")
    parser.add_argument("--token", default=os.environ.get("GCM_TOKEN"), help="API token (or GCM_TOKEN)")
    parser.add_argument("--state", default="gcm-copy.json", help="the JSON file holding the copy and cursor")
    parser.add_argument("--kind", help="only these kinds, comma-separated (e.g. actions,progress-updates)")
    parser.add_argument("--country", help="only rows linked to these ISO codes, comma-separated")
    parser.add_argument("--roadmap", help="only this roadmap (slug), its actions and their updates")
    parser.add_argument("--follow", type=float, default=0, help="keep going, asking every SECONDS")
    args = parser.parse_args(argv)
    state = load(args.state)
    filters = {"kind": args.kind, "country": args.country, "roadmap": args.roadmap}
    while True:
        state["cursor"] = sync(args.url, state["rows"], state["cursor"], token=args.token, **filters)
        save(args.state, state)
        counts = ", ".join(f"{kind} {len(rows)}" for kind, rows in sorted(state["rows"].items()))
        print(f"in sync: {counts or 'nothing yet'}", flush=True)
        if not args.follow:
            return 0
        time.sleep(args.follow)


if __name__ == "__main__":
    sys.exit(main())
