"""The figures cache's backends and the benchmark's view of them (how often a request was answered from it).

`CountingRedisCache` (with REDIS_URL: one cache shared by every worker and server) and
`CountingLocMemCache` (without: each worker's own memory) are Django's backends that also note, per
request (thread), whether each lookup found its entry. With `FIGURES_CACHE_HEADER=1` (the benchmark sets it)
`FiguresCacheHeader` answers `X-Figures-Cache: hit` (every lookup of the request found its entry),
`miss` (at least one had to be computed) or `none` (no lookup), which the benchmark tallies into
the cache's hit rate under varied traffic. Off by default: the header says nothing users need.
"""

import threading

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

_tally = threading.local()
_MISSING = object()


class Counting:
    """Notes whether each `get` found its entry (`outcome`)."""

    def get(self, key, default=None, version=None):
        value = super().get(key, _MISSING, version)
        found = value is not _MISSING
        _tally.hits = getattr(_tally, "hits", 0) + found
        _tally.misses = getattr(_tally, "misses", 0) + (not found)
        return value if found else default


class CountingLocMemCache(Counting, LocMemCache):
    pass


class CountingRedisCache(Counting, RedisCache):
    pass


def reset() -> None:
    _tally.hits = _tally.misses = 0


def outcome() -> str:
    """hit, miss or none: what the figures cache did for this thread's lookups since `reset()`."""
    if getattr(_tally, "misses", 0):
        return "miss"
    return "hit" if getattr(_tally, "hits", 0) else "none"


class FiguresCacheHeader:
    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = getattr(settings, "FIGURES_CACHE_HEADER", False)

    def __call__(self, request):
        if not self.enabled:
            return self.get_response(request)
        reset()
        response = self.get_response(request)
        response["X-Figures-Cache"] = outcome()
        return response
