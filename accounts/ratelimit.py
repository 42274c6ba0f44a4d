"""Counting requests in the shared cache (settings.CACHES["default"]: the database, or Redis), so
every worker and server sees the same counts."""

import hashlib

from django.core.cache import cache


def hit(key: str, *, limit: int, seconds: int) -> bool:
    """Count one request under `key`; False once more than `limit` came within the window."""
    # add() creates the counter with its expiry only if absent; incr() is atomic in Redis and in
    # the database cache's single UPDATE.
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=seconds)
        count = 1
    return count <= limit


def hashed(text: str) -> str:
    """A key part for personal data (an e-mail address): not stored in the clear."""
    return hashlib.sha256(text.strip().lower().encode()).hexdigest()[:32]
