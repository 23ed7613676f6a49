"""Settings, read from environment variables with development defaults.

Bad values fail loudly at start-up (ImproperlyConfigured) rather than being guessed.
"""

import datetime
import os
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no, got {raw!r}")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_str(name, default):
    return os.environ.get(name, default)


_env = environ.Env()

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "template_partials",
    "csp",
    "axes",
    "core",
    "emulation_portal",
    "blocs",
    "pledges",
    "meetings",
    "awards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "emulation_portal.middleware.DeferredRendersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "emulation_portal.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "emulation_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "emulation_portal.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "emulation_portal.wsgi.application"

DATABASES = {"default": _env.db_url_config(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time. Writers queue for it instead of failing with "database is
    # locked": every transaction takes the write lock when it begins (BEGIN IMMEDIATE; a reader that
    # later writes cannot wait, SQLite fails it at once), waits up to `timeout` seconds for it, and
    # the WAL journal lets reads go on meanwhile. Many concurrent writers: use PostgreSQL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "blocs.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Brute-force protection: lock a username from an address after repeated failures.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
# Dates are typed as they are printed, dd/mm/yyyy (Vietnamese has no input formats of its own, and
# Django's default reads 05/02/2022 as May 2nd); ISO yyyy-mm-dd is read too. core.forms.DateInput
# fields read these in every language.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d%m%Y", "%Y-%m-%d"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# Longest multi-line text a form accepts (comments, minutes sections); one-line fields keep their max_length.
TEXT_MAX_LENGTH = env_int("TEXT_MAX_LENGTH", 20_000)

# The audit chain's HMAC key: kept out of the database (default: derived from SECRET_KEY, so
# changing SECRET_KEY then breaks verification; set AUDIT_KEY in production and keep it).
AUDIT_KEY = env_str("AUDIT_KEY", "")
# Where `manage.py audit_anchor` appends the chain's newest hash and count: outside the database.
AUDIT_ANCHOR_PATH = Path(env_str("AUDIT_ANCHOR_PATH", str(BASE_DIR / "var" / "audit-anchors.jsonl")))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: EMAIL_URL (smtp://user:pass@host:587, smtp+tls://..., consolemail://, filemail:///path)
EMAIL_URL = env_str("EMAIL_URL", "")
if EMAIL_URL:
    try:
        vars().update(_env.email_url_config(EMAIL_URL))
    except Exception as exc:  # environ raises several types for a malformed URL
        raise ImproperlyConfigured(f"EMAIL_URL is not a valid email URL: {exc}") from exc
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cổng thi đua khối <no-reply@thidua.local>")

# Celery: no broker means tasks run in-process, right where they are enqueued.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Documents (PDFs): a row left pending longer than DOCUMENT_PENDING_SECONDS (its message was lost,
# e.g. the broker was down at the commit) or pending/running longer than DOCUMENT_STALE_SECONDS
# (a worker killed mid-render) is re-queued by the sweep, which beat runs every
# DOCUMENT_SWEEP_SECONDS and every worker once at start; a stale one also offers a retry button.
DOCUMENT_PENDING_SECONDS = env_int("DOCUMENT_PENDING_SECONDS", 120)
DOCUMENT_STALE_SECONDS = env_int("DOCUMENT_STALE_SECONDS", 300)
DOCUMENT_SWEEP_SECONDS = env_int("DOCUMENT_SWEEP_SECONDS", 60)
# Jobs (core.jobs: large exports and imports run by a worker, with a progress page): the same
# sweep re-queues one still pending after JOB_PENDING_SECONDS or running with no progress for
# JOB_STALE_SECONDS (below the visibility timeout), and deletes finished ones and their files
# after JOB_RETENTION_DAYS. An export of more rows than EXPORT_INLINE_MAX_ROWS, an import of more
# rows than IMPORT_INLINE_MAX_ROWS, runs as a job; smaller ones stay inside the request.
JOB_PENDING_SECONDS = env_int("JOB_PENDING_SECONDS", 120)
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 600)
JOB_RETENTION_DAYS = env_int("JOB_RETENTION_DAYS", 7)
EXPORT_INLINE_MAX_ROWS = env_int("EXPORT_INLINE_MAX_ROWS", 2000)
IMPORT_INLINE_MAX_ROWS = env_int("IMPORT_INLINE_MAX_ROWS", 300)
# Redis hands an unacknowledged message (its worker was killed) to another worker after this
# long; it must exceed the longest render and the longest retry countdown (core.tasks).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 900)}
# Reminders (core.reminders): beat sweeps every REMINDER_SWEEP_SECONDS; a mail that fails is tried
# REMINDER_MAX_ATTEMPTS times, REMINDER_RETRY_SECONDS × 2^n apart, then shown as failed; after a
# deadline the head agency's leader is told, then the board REMINDER_BOARD_AFTER_DAYS later.
REMINDER_SWEEP_SECONDS = env_int("REMINDER_SWEEP_SECONDS", 300)
REMINDER_BATCH = env_int("REMINDER_BATCH", 500)
REMINDER_MAX_ATTEMPTS = env_int("REMINDER_MAX_ATTEMPTS", 5)
REMINDER_RETRY_SECONDS = env_int("REMINDER_RETRY_SECONDS", 60)
REMINDER_PENDING_SECONDS = env_int("REMINDER_PENDING_SECONDS", 600)
REMINDER_BOARD_AFTER_DAYS = env_int("REMINDER_BOARD_AFTER_DAYS", 3)
PLEDGE_SIGNING_DAYS = env_int("PLEDGE_SIGNING_DAYS", 14)
CELERY_BEAT_SCHEDULE = {
    "reminders-sweep": {"task": "core.tasks.sweep_reminders", "schedule": REMINDER_SWEEP_SECONDS},
    "documents-sweep": {"task": "core.tasks.sweep_documents", "schedule": DOCUMENT_SWEEP_SECONDS},
    "audit-anchor": {"task": "core.audit_anchor", "schedule": env_int("AUDIT_ANCHOR_SECONDS", 300)},
}

# Content security policy: everything from our own origin, no inline code.
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

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
