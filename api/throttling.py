"""Throttles of the partner API. Kept apart from `api.viewsets` because DRF imports the classes named in
`DEFAULT_THROTTLE_CLASSES` while it defines `APIView` (importing `api.viewsets` then would be circular).

The budget is shared by every worker (issue 19). With REDIS_URL, DRF's own counting in the shared
cache (Redis); without it, a counter row in PostgreSQL counted by ONE statement per request — the
database cache took ten (a read, then a write with its cull count, in a transaction; issue 22)."""

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.utils import timezone
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from core.client_ip import client_address

# A window that has ended restarts at this request; either way the row's count after it is returned.
COUNT = """
INSERT INTO api_throttlecounter AS counter (key, expires_at, count) VALUES (%(key)s, %(ends)s, 1)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN counter.expires_at <= %(now)s THEN 1 ELSE counter.count + 1 END,
    expires_at = CASE WHEN counter.expires_at <= %(now)s THEN EXCLUDED.expires_at ELSE counter.expires_at END
RETURNING count, expires_at
"""


def count_request(key: str, *, seconds: int) -> tuple[int, datetime.datetime]:
    """Count one request under `key` in a window of `seconds`: (requests in the window, its end).
    Always on the primary (`default`), whatever the replica router says about the request's reads."""
    now = timezone.now()
    with connections["default"].cursor() as cursor:
        cursor.execute(COUNT, {"key": key, "now": now, "ends": now + datetime.timedelta(seconds=seconds)})
        return cursor.fetchone()


class _SettingsRateMixin:
    def get_ident(self, request):
        # DRF's own reads X-Forwarded-For as the client writes it (500 random values, 500 answers):
        # the trusted-proxy reading of core/client_ip.py instead.
        return client_address(request)

    # DRF reads the rates once at import; reading them per request lets settings (and tests) change them.
    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as error:
            raise ImproperlyConfigured(f"No throttle rate set for scope {self.scope!r}.") from error

    def allow_request(self, request, view):
        if settings.REDIS_URL or self.rate is None:
            return super().allow_request(request, view)  # DRF's counting in Redis
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        count, self.window_ends = count_request(self.key, seconds=self.duration)
        return count <= self.num_requests

    def wait(self):
        if settings.REDIS_URL:
            return super().wait()
        # A fixed window: the budget comes back whole when it ends.
        return max((self.window_ends - timezone.now()).total_seconds(), 1)


class AnonThrottle(_SettingsRateMixin, AnonRateThrottle):
    """Anonymous callers, per address: `API_ANON_RATE`."""


class UserThrottle(_SettingsRateMixin, UserRateThrottle):
    """Signed-in callers (token or session), per user: `API_USER_RATE`."""

    def get_cache_key(self, request, view):
        # An anonymous caller is AnonThrottle's (a stricter rate): DRF's UserRateThrottle would count
        # them again per address, two more round trips to the shared cache on every anonymous request.
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
