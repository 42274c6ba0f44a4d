"""Throttles of the partner API. Kept apart from `api.viewsets` because DRF imports the classes named in
`DEFAULT_THROTTLE_CLASSES` while it defines `APIView` (importing `api.viewsets` then would be circular)."""

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from config.client_ip import client_address


class _SettingsRateMixin:
    def get_ident(self, request):
        # DRF's own reads X-Forwarded-For as the client writes it (500 random values, 500 answers):
        # the trusted-proxy reading of config/client_ip.py instead.
        return client_address(request)

    # DRF reads the rates once at import; reading them per request lets settings (and tests) change them.
    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as error:
            raise ImproperlyConfigured(f"No throttle rate set for scope {self.scope!r}.") from error


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
