"""Django settings. Every deployment choice comes from an environment variable (see README, Configuration)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("JEDEL_VAR_DIR", Path.cwd() / "var"))
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("JEDEL_DEBUG", False)
# JEDEL_DEMO=1 (`make demo`): a laptop demo, which may run with the built-in key below.
JEDEL_DEMO = _env_bool("JEDEL_DEMO", False)
# The demo key is only for a laptop: servers (ASGI, WSGI, `jedel serve`) refuse to start with it unless
# JEDEL_DEMO or JEDEL_DEBUG is set (config/startup.py); check --deploy flags it too.
JEDEL_SECRET_KEY_IS_DEMO = not os.environ.get("JEDEL_SECRET_KEY", "").strip()
SECRET_KEY = (os.environ.get("JEDEL_SECRET_KEY", "").strip()
              or "django-insecure-jedel-demo-key-change-me-in-production")
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
    "jedel.notifications",
    "jedel.capacity",
    "jedel.incidents",
    "jedel.preparedness",
    "jedel.security",
    "jedel.supplies",
    "jedel.transfers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CSP, Permissions-Policy and no-store for authenticated responses (settings JEDEL_CSP and below).
    "jedel.common.security_headers.SecurityHeadersMiddleware",
    # Compress dynamic responses (the board's partials and JSON shrink ~8x); Django pads gzip output
    # against BREACH. Static files are pre-compressed by WhiteNoise.
    "django.middleware.gzip.GZipMiddleware",
    # An ETag on every GET so an unchanged poll is answered 304 Not Modified with no body.
    "django.middleware.http.ConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Bodies over JEDEL_MAX_BODY_BYTES / JEDEL_MAX_UPLOAD_BYTES are refused (413) before anything reads them.
    "jedel.common.limits.RequestSizeLimitMiddleware",
    "jedel.common.middleware.RejectNulMiddleware",
    "jedel.common.middleware.ServiceBusyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Idempotency-Key on the API's creating POSTs (needs the signed-in user; see jedel.common.idempotency).
    "jedel.common.idempotency.IdempotencyMiddleware",
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

# Notifications outside the app (see jedel/notifications/adapters.py): each channel is off unless configured.
JEDEL_NOTIFY_EMAIL = os.environ.get("JEDEL_NOTIFY_EMAIL", "off")        # off | django | memory
JEDEL_NOTIFY_SMS = os.environ.get("JEDEL_NOTIFY_SMS", "off")            # off | http | memory
JEDEL_NOTIFY_TELEGRAM = os.environ.get("JEDEL_NOTIFY_TELEGRAM", "off")  # off | bot | memory
JEDEL_SMS_URL = os.environ.get("JEDEL_SMS_URL", "")
JEDEL_SMS_TOKEN = os.environ.get("JEDEL_SMS_TOKEN", "")
JEDEL_TELEGRAM_BOT_TOKEN = os.environ.get("JEDEL_TELEGRAM_BOT_TOKEN", "")
# Seconds a receiving hospital has to acknowledge an incoming-patient notice before the next level is paged.
JEDEL_INCOMING_ACK_TIMEOUT_S = int(os.environ.get("JEDEL_INCOMING_ACK_TIMEOUT_S", "120"))
# Declaring an incident pre-alerts every hospital within this great-circle distance of the scene (km).
JEDEL_PREALERT_RADIUS_KM = float(os.environ.get("JEDEL_PREALERT_RADIUS_KM", "50"))
# Minutes a walk-in takes one of its hospital's hourly MCI receiving places in the live distribution.
JEDEL_WALKIN_WINDOW_MIN = int(os.environ.get("JEDEL_WALKIN_WINDOW_MIN", "60"))
# A TrueType font with Cyrillic and Kazakh letters for PDF tag sheets; empty: the DejaVu, Liberation or Noto fonts Debian installs.
JEDEL_PDF_FONT = os.environ.get("JEDEL_PDF_FONT", "")

# Sign-in throttling (jedel.accounts.signin), never a lockout: failures are counted per (username, client
# address) and per client address; past the free failures each further one doubles the wait, from
# BACKOFF_SECONDS up to BACKOFF_MAX_SECONDS; one failure is forgotten per DECAY_SECONDS without failures, all
# on success. X-Forwarded-For is believed only from JEDEL_TRUSTED_PROXIES (addresses or networks).
JEDEL_LOGIN_MAX_FAILURES = int(os.environ.get("JEDEL_LOGIN_MAX_FAILURES", "5"))
JEDEL_LOGIN_CLIENT_MAX_FAILURES = int(os.environ.get("JEDEL_LOGIN_CLIENT_MAX_FAILURES", "20"))
JEDEL_LOGIN_BACKOFF_SECONDS = int(os.environ.get("JEDEL_LOGIN_BACKOFF_SECONDS", "30"))
JEDEL_LOGIN_BACKOFF_MAX_SECONDS = int(os.environ.get("JEDEL_LOGIN_BACKOFF_MAX_SECONDS", "900"))
JEDEL_LOGIN_DECAY_SECONDS = int(os.environ.get("JEDEL_LOGIN_DECAY_SECONDS", "3600"))
JEDEL_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("JEDEL_TRUSTED_PROXIES", "").split(",") if p.strip()]
# Optional basemap; the board draws the shipped boundaries without any tile server.
JEDEL_TILE_URL = os.environ.get("JEDEL_TILE_URL", "")
JEDEL_TILE_ATTRIBUTION = os.environ.get("JEDEL_TILE_ATTRIBUTION", "")
# Seconds between board refreshes in the browser.
JEDEL_BOARD_POLL_SECONDS = int(os.environ.get("JEDEL_BOARD_POLL_SECONDS", "15"))
# Request body limits (bytes): JSON and form posts; file imports (multipart, CSV/XML/FHIR bodies). Larger → 413.
JEDEL_MAX_BODY_BYTES = int(os.environ.get("JEDEL_MAX_BODY_BYTES", str(1024 * 1024)))
JEDEL_MAX_UPLOAD_BYTES = int(os.environ.get("JEDEL_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# Django's own check on bodies read into memory, at the larger limit so the middleware's answer is the one seen.
DATA_UPLOAD_MAX_MEMORY_SIZE = JEDEL_MAX_UPLOAD_BYTES
# Idempotency-Key: how long a stored answer is replayed for a retried request.
JEDEL_IDEMPOTENCY_HOURS = int(os.environ.get("JEDEL_IDEMPOTENCY_HOURS", "24"))
# FHIR canonical base: Measure, CodeSystem and identifier-system URLs start with it, and /fhir/ serves them, so
# a deployment's own address is the natural base; without one configured, this server's first public host
# (JEDEL_ALLOWED_HOSTS), else the address `jedel serve` listens on.
_PUBLIC_HOSTS = [h for h in ALLOWED_HOSTS if h not in {"127.0.0.1", "localhost", "testserver", "*"}
                 and not h.startswith(".")]
JEDEL_FHIR_BASE = (os.environ.get("JEDEL_FHIR_BASE", "").strip().rstrip("/")
                   or (f"https://{_PUBLIC_HOSTS[0]}/fhir" if _PUBLIC_HOSTS else "http://127.0.0.1:8000/fhir"))

# Content-Security-Policy (common/security_headers.py; the shape of Django 6.0's SECURE_CSP). Scripts only
# from our own static files: no inline script or handler anywhere (templates pass data as JSON or data-attributes).
# Styles also allow 'unsafe-inline' because Leaflet positions every map pane, marker and tooltip with inline
# style attributes, Swagger UI (/api/docs) and htmx's indicator rule inject styles, and the facility history
# chart colours its legend keys with a style attribute; inline style cannot run code. img-src data: is for
# Leaflet's and Swagger UI's embedded icons; the optional basemap's tile host is added when one is configured.
_TILE_ORIGIN = ""
if JEDEL_TILE_URL:
    # "https://{s}.tile.example.org/{z}/{x}/{y}.png" -> https://*.tile.example.org
    _tile = urlsplit(JEDEL_TILE_URL)
    _TILE_ORIGIN = f"{_tile.scheme}://" + re.sub(r"\{[^}]*\}", "*", _tile.netloc)
JEDEL_CSP: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
    "connect-src": ["'self'"],  # plus ws:// and wss:// of the page's own host, added per request
    "font-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Camera and location for our own pages only (a phone page that scans casualty tags is planned); nothing else.
JEDEL_PERMISSIONS_POLICY = ", ".join([
    "camera=(self)", "geolocation=(self)", "microphone=()", "display-capture=()", "payment=()", "usb=()",
    "serial=()", "hid=()", "midi=()", "accelerometer=()", "gyroscope=()", "magnetometer=()",
    "idle-detection=()", "screen-wake-lock=()", "xr-spatial-tracking=()", "publickey-credentials-get=()",
])
# Authenticated responses under these paths are never stored by any cache (see SecurityHeadersMiddleware);
# error pages under them are JSON (common/views.py).
JEDEL_NO_STORE_PATHS = ["/api/"]
CSRF_FAILURE_VIEW = "jedel.common.views.csrf_failure"

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
