"""With DATABASE_REPLICA_URL set, read-only API requests read from the replica; all else uses the primary.

`ReadOnlyApiMiddleware` marks GET/HEAD requests under /api/ (a context variable, safe with threads);
`ReplicaRouter` sends their reads to the "replica" alias. Writes always go to "default".
"""

import contextvars

from django.conf import settings

_read_only_request = contextvars.ContextVar("gcm_read_only_request", default=False)


class ReadOnlyApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        read_only = request.method in ("GET", "HEAD", "OPTIONS") and request.path.startswith("/api/")
        token = _read_only_request.set(read_only)
        try:
            return self.get_response(request)
        finally:
            _read_only_request.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        # The shared cache's counters (rate limits) are read where they are written: a lagging replica
        # would let requests through.
        if model._meta.app_label == "django_cache":
            return "default"
        if _read_only_request.get() and "replica" in settings.DATABASES:
            return "replica"
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
