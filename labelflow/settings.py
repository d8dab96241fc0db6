"""Settings, read from the environment.

Every value has an embedded default for development (SQLite, a filesystem broker and the
embedded S3 server started by `make run`); production sets them all. A malformed value
stops the start with a message naming the variable (labelflow.env).
"""

from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .env import StrictEnv

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = StrictEnv()

DEBUG = env.bool("DEBUG", default=False)
# The development key is refused by `check --deploy` (labelflow.checks).
DEV_SECRET_KEY = "django-insecure-labelflow-development-only"
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for the admin's (FORM_RENDERER below)
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "guardian",
    "django_fsm",
    "django_htmx",
    "csp",
    "axes",
    "labelflow",
    "certification",
    "audits",
    "documents",
    "juries",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "labelflow.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "certification.views.common.DomainErrorMiddleware",
]

ROOT_URLCONF = "labelflow.urls"
WSGI_APPLICATION = "labelflow.wsgi.application"

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
            ],
        },
    },
]

# Forms render in Jinja2: Django's widget templates and our field groups (`labelflow.forms`).
FORM_RENDERER = "labelflow.forms.FormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'labelflow.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database: writers queue instead of failing with "database is locked".
    # WAL lets readers go on while one writes; IMMEDIATE takes the write lock when a
    # transaction starts (no deadlock on upgrading a read lock); a writer waits up to
    # SQLITE_BUSY_TIMEOUT seconds for its turn, after which the request answers 503.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: it pays off on long analytical queries, not on a page's short ones,
    # and a plan whose estimated cost crosses `jit_above_cost` (a permission subquery's may)
    # spent more time compiling than running.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # A connection kept for the next requests of the same worker: opening one costs a page's
    # worth of time (2 ms on the same machine, more over TLS with a password). Checked before
    # reuse, so a restarted server costs one failed check, not an error page.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A cache shared by every web node once CACHE_URL names Redis.
CACHES = {"default": env.cache_url_config(env.str("CACHE_URL", default="locmemcache://"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out account or address first
    "certification.auth.DemoAwareModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Password guessing (web sign-in and token endpoint): after SIGNIN_FAILURE_LIMIT failures for
# one account, or from one address, that account or address waits SIGNIN_LOCKOUT_MINUTES.
# Only failures count; a success resets the account's count. Managers unlock in the back
# office (Access attempts). django-axes, with its records in the database: every web node
# sees them.
AXES_FAILURE_LIMIT = env.int("SIGNIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGNIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "certification.auth.locked_out"
AXES_VERBOSE = False
ANONYMOUS_USER_NAME = None  # guardian: anonymous users get no object permission
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# --- Security (production values when DEBUG is off) -------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): the pages load only their own scripts and styles,
# htmx included, and nothing inline can run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Mail -------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="labelflow <noreply@labelflow.local>")

# --- Transition log ---------------------------------------------------------------------
# The keys of the log's HMAC chain and of its checkpoints, `id:secret` separated by commas: the
# first signs, every one verifies (to rotate, put a new key first and keep the old ones).
# They must not live in the database. The development key is refused by `check --deploy`.
DEV_HISTORY_KEYS = {"dev": "labelflow-history-development-only"}
HISTORY_KEYS = env.keyring("HISTORY_KEYS", default=DEV_HISTORY_KEYS)
# How often Celery beat anchors every dossier's last entry in the object store.
HISTORY_CHECKPOINT_SECONDS = env.int("HISTORY_CHECKPOINT_SECONDS", default=3600)

# --- Celery -----------------------------------------------------------------------------
# With no broker configured, kombu's filesystem transport lets a real worker process run
# next to the web server without any extra service.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
BROKER_DIR = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem"):
    BROKER_DIR.mkdir(parents=True, exist_ok=True)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    # The control folder too, or kombu writes it under the current directory.
    {
        "data_folder_in": str(BROKER_DIR),
        "data_folder_out": str(BROKER_DIR),
        "control_folder": str(BROKER_DIR / "control"),
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {}
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_IMPORTS = ["certification.schedule"]  # periodic tasks; `tasks` modules are found anyway
CELERY_BEAT_SCHEDULE = {
    "expire-awards": {"task": "certification.schedule.expire_awards", "schedule": 3600.0},
    "checkpoint-history": {
        "task": "certification.schedule.checkpoint_history",
        "schedule": float(HISTORY_CHECKPOINT_SECONDS),
    },
    "remove-orphan-evidence": {"task": "documents.tasks.remove_orphan_objects", "schedule": 3600.0},
    "open-surveillances": {"task": "audits.tasks.open_due_surveillances", "schedule": 86400.0},
}

# --- Object store -----------------------------------------------------------------------
S3_ENDPOINT = env.url("S3_ENDPOINT", default="http://127.0.0.1:9100")
S3_ACCESS_KEY = env.str("S3_ACCESS_KEY", default="labelflow-dev")
S3_SECRET_KEY = env.str("S3_SECRET_KEY", default="labelflow-dev-secret")
S3_BUCKET = env.str("S3_BUCKET", default="labelflow-evidence")
S3_REGION = env.str("S3_REGION", default="us-east-1")
S3_URL_EXPIRY_SECONDS = env.int("S3_URL_EXPIRY_SECONDS", default=300)
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=25 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A stored object no document refers to is removed once this old (documents.integrity): a
# younger one may be an upload in progress, or a row not yet committed.
ORPHAN_GRACE_HOURS = env.int("ORPHAN_GRACE_HOURS", default=24)
# Where the public reaches this site: the certificates' QR codes link to its verification page.
PUBLIC_URL = env.str("PUBLIC_URL", default="http://127.0.0.1:8000")
# A label's renewal dossier can be opened this many months before it expires.
RENEWAL_MONTHS = env.int("RENEWAL_MONTHS", default=6)
# An information request is due this many days after it is asked, unless the auditor says.
INFORMATION_REQUEST_DAYS = env.int("INFORMATION_REQUEST_DAYS", default=30)

# --- Scanning evidence (documents.scanning) ---------------------------------------------
# clamd's address: a Unix socket path (`/run/clamav/clamd.ctl`) or `host:port`. Empty: no
# scanner, and new files are `not_scanned` (never taken for clean). `make run` starts one.
CLAMD_ADDRESS = env.str("CLAMD_ADDRESS", default="")
CLAMD_TIMEOUT_SECONDS = env.int("CLAMD_TIMEOUT_SECONDS", default=60)
# A scan that cannot run (clamd or the store down) is retried after SCAN_RETRY_SECONDS,
# doubling each time up to an hour, SCAN_MAX_RETRIES times; then the file is `error`.
SCAN_RETRY_SECONDS = env.int("SCAN_RETRY_SECONDS", default=30)
SCAN_MAX_RETRIES = env.int("SCAN_MAX_RETRIES", default=8)

# --- API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so an anonymous request gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "certification.api.common.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "certification.api.common.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "certification.api.common.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "labelflow API",
    "DESCRIPTION": "Certification workflow for public-performance labels and trophies.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Two models have a `role` with different choices: name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "MembershipRoleEnum": "certification.models.Membership.Role",
        "AssignmentRoleEnum": "audits.models.Assignment.Role",
        "AwardStatusEnum": "certification.models.Award.Status",
        "FindingStatusEnum": "audits.models.Finding.Status",
        "DossierStateEnum": "certification.models.Dossier.State",
        "SurveillanceStateEnum": "audits.models.Surveillance.State",
        "SurveillanceOutcomeEnum": "audits.models.Surveillance.Outcome",
        "DecisionOutcomeEnum": "certification.models.Decision.Outcome",
        "DesignationOutcomeEnum": "juries.models.Designation.Outcome",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
