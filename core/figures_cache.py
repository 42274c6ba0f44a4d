"""Cached figures: aggregates over the roadmap data, computed once per change of that data.

The dashboard, the review report and `/api/v1/stats/` group tens of thousands of actions (25–65 ms
per aggregate at 20 000 actions), yet their numbers change only when someone changes roadmap data.
`@cached_figures` keeps a function's result in the `figures` cache under a key made of:

- the **data generation**: the sum of `core_datageneration.counter`, which a PostgreSQL trigger
  raises once in every transaction that writes a table of `countries`, `gcm` or `roadmaps` (migrations
  roadmaps/0004 and 0012). The admin, the forms, the API, imports and raw SQL all pass through it, and
  a reader sees the new sum exactly when it sees the new data (same commit), so a cached figure is never older
  than the data the reader could see. Figures and page bodies follow the **figures generation**
  (`figures_counter`, core/migrations/0002), which the same trigger raises for every such transaction
  except a focal point's report awaiting review: one a second (the benchmark's mixed traffic) no
  longer empties the cache of every page. The API's list pages follow the data generation;
- the function and its arguments: a queryset stands for its SQL and parameters, which carry the
  viewer's visibility (focal countries, partner level) and every filter;
- the active language (localised names and their order), except for figures that carry none
  (`@cached_figures(per_language=False)`: numbers, codes and both languages' names, the name shown
  picked when read), which English and Spanish pages then share; and today's date (overdue, due soon).

A result is also dropped after `FIGURES_CACHE_SECONDS` (settings). `manage.py restore` moves the
count past its value before the restore (`move_past`), so running workers never serve figures of the
replaced data. Tests use a dummy cache except where they test this.
"""

import functools
import hashlib
import inspect

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import QuerySet, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from core.models import DataGeneration

CACHE_ALIAS = "figures"
# A page or JSON body larger than this is not kept: with the cache's 400 entries a worker holds at most
# about 100 MiB (a 100-row actions page at stress scale is about 105 KiB).
MAX_CACHED_TEXT = 256 * 1024
_MISSING = object()


# Every connection that writes adds a row; the periodic task `core.compact_data_generation` folds the
# rows of closed connections into row 0 (`compact`), off the read path, so the sum stays a quick query.
# An arbitrary constant naming the advisory lock that lets one compaction run at a time.
COMPACT_LOCK_ID = 7_319_504


def data_generation() -> int:
    """How many committed transactions have changed roadmap data (one quick query)."""
    return DataGeneration.objects.aggregate(total=Sum("counter"))["total"] or 0


def figures_generation() -> int:
    """How many committed transactions have changed what a figure or a cached page shows: every change
    but a focal point's new or returned report (its update awaiting review, the action's `version`
    and `updated_at`), which only the secretariat's queue and the API's lists show (core/migrations/0002)."""
    return DataGeneration.objects.aggregate(total=Sum("figures_counter"))["total"] or 0


def compact() -> int:
    """Fold the rows of connections that have closed into row 0, in one statement: the sum, which is
    all a reader uses, is the same before and after. Rows of live connections are left alone, and
    rows another compaction holds are skipped, so no writer ever waits for this. Returns the rows folded."""
    with transaction.atomic(using="default"), connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [COMPACT_LOCK_ID])
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute(
            """
            WITH gone AS (
                DELETE FROM core_datageneration g
                WHERE g.backend_pid IN (
                    SELECT d.backend_pid FROM core_datageneration d
                    WHERE d.backend_pid <> 0
                      AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = d.backend_pid)
                    FOR UPDATE SKIP LOCKED
                )
                RETURNING g.counter, g.figures_counter
            ), folded AS (
                INSERT INTO core_datageneration (backend_pid, counter, figures_counter)
                SELECT 0, COALESCE(SUM(gone.counter), 0), COALESCE(SUM(gone.figures_counter), 0) FROM gone
                ON CONFLICT (backend_pid) DO UPDATE SET counter = core_datageneration.counter + EXCLUDED.counter,
                    figures_counter = core_datageneration.figures_counter + EXCLUDED.figures_counter
            )
            SELECT COUNT(*) FROM gone
            """
        )
        return cursor.fetchone()[0]


def move_past(previous: int) -> None:
    """After the data was replaced wholesale (a restore brings back an older count), make the count
    pass `previous`, so no figure cached before the restore can be served again."""
    with transaction.atomic():
        row, _created = DataGeneration.objects.select_for_update().get_or_create(backend_pid=0)
        row.counter += previous + 1
        row.figures_counter += previous + 1  # (never above `counter`: see figures_generation)
        row.save(update_fields=["counter", "figures_counter"])


def _fingerprint(value) -> str:
    if isinstance(value, QuerySet):
        sql, params = value.query.sql_with_params()  # EmptyResultSet: the caller skips the cache
        return f"{value.db}|{sql}|{params!r}"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return "[" + ",".join(_fingerprint(item) for item in items) + "]"
    return repr(value)


def version(*args, follows=figures_generation, per_language=True, **kwargs) -> str:
    """What figures computed from `args` depend on: the generation they follow, language (unless
    `per_language=False`), date and the arguments. `follows=data_generation` for what shows every
    change (the API's list pages)."""
    arguments = _fingerprint(list(args)) + _fingerprint(sorted(kwargs.items()))  # a queryset: EmptyResultSet
    digest = hashlib.sha256(arguments.encode()).hexdigest()
    generation = f"{follows.__name__[0]}{follows()}"  # "d…" or "f…": the two counts never share a key
    language = get_language() if per_language else "*"
    return f"{generation}:{language}:{timezone.localdate().isoformat()}:{digest}"


def caching_off() -> bool:
    return isinstance(caches[CACHE_ALIAS], DummyCache)


def fragment_key(*args) -> str:
    """The key of a template fragment cached with `{% cache … using="figures" %}`, built from `args`."""
    if caching_off():  # (the test settings) nothing is kept: spare the generation query
        return ""
    try:
        return version(*args)
    except EmptyResultSet:
        return "nothing"


def get_or_compute(name: str, args: tuple, compute, *, follows=figures_generation, per_language=True):
    """`compute()`, cached under `name` and `args` until the data changes (picklable result): until
    a change that can change a figure, or with `follows=data_generation` until any change; one entry
    per language unless `per_language=False`."""
    if caching_off():  # (the test settings) not even the generation query
        return compute()
    try:
        key = f"figures:{name}:{version(*args, follows=follows, per_language=per_language)}"
    except EmptyResultSet:  # a filter that matches nothing: cheap to compute, nothing to key it by
        return compute()
    cache = caches[CACHE_ALIAS]
    result = cache.get(key, _MISSING)
    if result is _MISSING:
        result = compute()
        if not (isinstance(result, (str, bytes)) and len(result) > MAX_CACHED_TEXT):
            cache.set(key, result)
    return result


def cached_figures(function=None, *, per_language=True):
    """Cache what `function` returns (picklable) until the roadmap data changes (see the module
    docstring). `@cached_figures(per_language=False)`: one entry for both languages, for a result
    that holds nothing in the active language."""
    if function is None:
        return functools.partial(cached_figures, per_language=per_language)
    name = f"{function.__module__}.{function.__qualname__}"
    signature = inspect.signature(function)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        # Keyed by the arguments bound with their defaults, so `f(qs)`, `f(qs, None)` and
        # `f(qs, country_ids=None)` share one entry.
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return get_or_compute(
            name, tuple(bound.arguments.values()), lambda: function(*args, **kwargs), per_language=per_language
        )

    wrapper.uncached = function
    return wrapper


def rendered_body(request, name: str, args: tuple, template: str, context) -> str:
    """A page's body: `template` rendered with `context()`, cached under `name`, `args` (querysets
    scoped to the viewer, so their visibility is in the key) and the whole query string until the data
    changes; `context()` runs only on a miss. What the body shows must come from `args`' data alone."""
    key = (*args, sorted(request.GET.lists()))
    return get_or_compute(name, key, lambda: render_to_string(template, context(), request))
