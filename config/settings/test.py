"""The test run: fast hashing, mail kept in memory, throttling generous unless a test tightens it."""

from .base import *  # noqa: F403
from .base import BASE_DIR, REST_FRAMEWORK

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PRIVATE_MEDIA_ROOT = BASE_DIR / "tests" / "artifacts" / "private_media"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "10000/min", "user": "10000/min"},
}
# Each test rolls its data back, so a cached figure could outlive the data it was computed from:
# tests compute figures afresh, except tests/core/test_figures_cache.py, which tests the cache.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "figures": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
# Tests sign in with force_login/Client.login (no request); tests of the lock-out switch it on.
AXES_ENABLED = False
# Static files straight from the app folders (no collectstatic in the test run).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The queue retries a refused message at once (no backoff), three times in all.
MAIL_RETRY_SECONDS = 0
MAIL_MAX_ATTEMPTS = 3
