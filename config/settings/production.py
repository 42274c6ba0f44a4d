"""Production: every secret and host comes from the environment; refuses to start without them."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

# Checked before base.py is read: without DATABASE_URL it would start an embedded server instead.
for _required in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
    env_str(_required, required=True)

from .base import *  # noqa: E402, F403
from .base import DATABASES  # noqa: E402

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", required=True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("The environment variable ALLOWED_HOSTS must name at least one host.")

# Persistent connections doubled throughput in our measurements (PERFORMANCE.md).
_conn_max_age = env_int("CONN_MAX_AGE", 60)
for _database in DATABASES.values():
    _database["CONN_MAX_AGE"] = _conn_max_age
    _database["CONN_HEALTH_CHECKS"] = _conn_max_age > 0

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
