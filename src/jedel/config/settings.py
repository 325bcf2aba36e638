"""Django settings. Every deployment choice comes from an environment variable (see README, Configuration)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("JEDEL_VAR_DIR", Path.cwd() / "var"))
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("JEDEL_DEBUG", False)
# The demo key is only for a laptop; production must set JEDEL_SECRET_KEY (check --deploy flags the default).
SECRET_KEY = os.environ.get("JEDEL_SECRET_KEY", "django-insecure-jedel-demo-key-change-me-in-production")
ALLOWED_HOSTS = [h for h in os.environ.get("JEDEL_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("JEDEL_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "js_lib_htmx",
    "ninja",  # serves Swagger UI from local static files instead of a CDN
    "jedel.common",
    "jedel.geo",
    "jedel.accounts",
    "jedel.facilities",
    "jedel.capacity",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Compress dynamic responses (the board's partials and JSON shrink ~8x); Django pads gzip output
    # against BREACH. Static files are pre-compressed by WhiteNoise.
    "django.middleware.gzip.GZipMiddleware",
    # An ETag on every GET so an unchanged poll is answered 304 Not Modified with no body.
    "django.middleware.http.ConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "jedel.common.middleware.RejectNulMiddleware",
    "jedel.common.middleware.ServiceBusyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "jedel.config.urls"
ASGI_APPLICATION = "jedel.config.asgi.application"
WSGI_APPLICATION = "jedel.config.wsgi.application"

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
                "jedel.common.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jedel.sqlite3'}"),
        conn_max_age=int(os.environ.get("JEDEL_DB_CONN_MAX_AGE", "60")),
    )
}
# PostgreSQL: one psycopg connection pool per process, so the connections a deployment opens are bounded by
# workers x JEDEL_DB_POOL_MAX whatever the request concurrency. Without it every ASGI request thread kept its
# own persistent connection (40 concurrent requests opened ~80). A request waits up to JEDEL_DB_POOL_TIMEOUT
# seconds for a free connection, then fails (500) rather than queueing forever. Each connection is checked
# when taken from the pool, so a restarted database costs no failed request. JEDEL_DB_POOL_MAX=0 turns the
# pool off (persistent per-thread connections, JEDEL_DB_CONN_MAX_AGE; for comparison and debugging only).
_POOL_MAX = int(os.environ.get("JEDEL_DB_POOL_MAX", "10"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and _POOL_MAX > 0:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # required by the pool: "closing" returns the connection to it
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(int(os.environ.get("JEDEL_DB_POOL_MIN", "2")), _POOL_MAX),
        "max_size": _POOL_MAX,
        "timeout": float(os.environ.get("JEDEL_DB_POOL_TIMEOUT", "10")),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the board read while a hospital writes; busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "board:board"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Almaty"

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("JEDEL_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [("leaflet", Path(__import__("xstatic.pkg.leaflet", fromlist=["BASE_DIR"]).BASE_DIR))]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

REDIS_URL = os.environ.get("REDIS_URL", "")
# Channel layer: per-socket queues hold up to 1000 live events (a slow socket past that loses live messages
# and recovers them from the outbox on its next event or ping). JEDEL_CHANNEL_PREFIX separates deployments
# (or test runs) sharing one Redis.
_CHANNEL_CONFIG = {"capacity": 1000, "prefix": os.environ.get("JEDEL_CHANNEL_PREFIX", "asgi")}
if REDIS_URL:
    # Redis pub/sub: an event published once reaches each worker process once and is fanned out to its
    # sockets in memory (the list-based layer pushed a copy per socket through Redis). Delivery is at most
    # once, which the outbox makes safe: a socket fills any gap from the database.
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                                  "CONFIG": {"hosts": [REDIS_URL], "prefix": _CHANNEL_CONFIG["prefix"]}}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer",
                                  "CONFIG": {"capacity": _CHANNEL_CONFIG["capacity"]}}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Identity and per-event authorisation for the real-time socket (common cannot import accounts itself).
JEDEL_REALTIME_ACCESS = "jedel.accounts.realtime"

# Login lockout: after this many failures within the window, the account is locked for the window.
JEDEL_LOGIN_MAX_FAILURES = int(os.environ.get("JEDEL_LOGIN_MAX_FAILURES", "5"))
JEDEL_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("JEDEL_LOGIN_LOCKOUT_MINUTES", "15"))
# Optional basemap; the board draws the shipped boundaries without any tile server.
JEDEL_TILE_URL = os.environ.get("JEDEL_TILE_URL", "")
JEDEL_TILE_ATTRIBUTION = os.environ.get("JEDEL_TILE_ATTRIBUTION", "")
# Seconds between board refreshes in the browser.
JEDEL_BOARD_POLL_SECONDS = int(os.environ.get("JEDEL_BOARD_POLL_SECONDS", "15"))

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG and _env_bool("JEDEL_HTTPS", False):
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JEDEL_LOG_LEVEL", "WARNING")},
}
