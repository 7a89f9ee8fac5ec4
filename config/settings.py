"""Settings for Ketenregie, driven by environment variables with safe defaults.

Development (DJANGO_DEBUG=1 or `make run`) gets a generated local secret key; any other
environment must set DJANGO_SECRET_KEY. The database is SQLite (WAL) under var/ unless
DATABASE_URL points at PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.csp import CSP

# Lets annotations such as forms.ModelForm[Person] work at run time too.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KETENREGIE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG")
DEMO_MODE = env_bool("KETENREGIE_DEMO")


def _local_secret_key(name: str) -> str:
    """A random key generated once per installation and kept in var/ (never in the repo).

    Production sets DJANGO_SECRET_KEY; this keeps a fresh clone working without ever
    falling back to a key that is the same everywhere.
    """
    import secrets

    if (
        os.environ.get("DATABASE_URL")
        and not os.environ.get("PYTEST_VERSION")
        and not env_bool("DJANGO_DEBUG")
        and not env_bool("KETENREGIE_DEMO")
    ):
        # A shared database means several app servers: they must share their keys.
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "Zet DJANGO_SECRET_KEY en KETENREGIE_AUDIT_KEY bij gebruik van DATABASE_URL."
        )
    path = VAR_DIR / name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _local_secret_key("secret_key")
# Key of the audit hash chain (HMAC); kept out of the database on purpose.
KETENREGIE_AUDIT_KEY = os.environ.get("KETENREGIE_AUDIT_KEY") or _local_secret_key("audit_key")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "ketenregie.core",
    "ketenregie.accounts",
    "ketenregie.audit",
    "ketenregie.cases",
    "ketenregie.intake",
    "ketenregie.pga",
    "ketenregie.plans",
    "ketenregie.demo",
    "ketenregie.reports",
    "ketenregie.safeguarding",
    "ketenregie.dashboard",
    "ketenregie.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: static files keep their caching, everything else is no-store.
    "ketenregie.core.middleware.NoStoreMiddleware",
    "ketenregie.core.middleware.AllowedMethodsMiddleware",
    # Links in mails follow the served address unless KETENREGIE_BASE_URL is set.
    "ketenregie.core.mail.RequestBaseUrlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Audits every 403/404 a signed-in user gets (refused access is a security event).
    "ketenregie.audit.middleware.DeniedAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ketenregie.accounts.middleware.SessionLifetimeMiddleware",
    "ketenregie.accounts.middleware.RequireMfaMiddleware",
]
# Benchmark only: a Server-Timing header with the SQL time and query count of each response
# (first, so it also counts the session, user and MFA queries of the middleware).
KETENREGIE_SQL_TIMING = env_bool("KETENREGIE_SQL_TIMING")
if KETENREGIE_SQL_TIMING:
    MIDDLEWARE.insert(0, "ketenregie.core.timing.SqlTimingMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # One date format per kind, in every template (core.templatetags.dates).
            "builtins": ["ketenregie.core.templatetags.dates", "ketenregie.core.templatetags.text"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "ketenregie.accounts.context_processors.navigation",
            ],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT: the gate's semi-joins carry high cost estimates, which make PostgreSQL
        # JIT-compile queries that run in milliseconds; compiling cost 46 ms on a case
        # search and turned a 193 ms screening query into 1,446 ms (ADR 9).
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "ketenregie.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE: a write transaction takes the lock at BEGIN, so two writers
                # queue instead of failing with "database is locked" on upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Idle session timeout: the cookie expiry moves on with every request, so a session
# ends after this many seconds without activity.
SESSION_IDLE_TIMEOUT = int(os.environ.get("KETENREGIE_SESSION_IDLE_SECONDS", "900"))
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Absolute lifetime: however active, a session ends this long after the login (ADR 13).
SESSION_MAX_AGE = int(os.environ.get("KETENREGIE_SESSION_MAX_SECONDS", str(10 * 3600)))
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG and not DEMO_MODE)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A refused form (CSRF) is audited and explained in Dutch.
CSRF_FAILURE_VIEW = "ketenregie.accounts.security_events.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Production over HTTPS (ADR 13, docs/deployment.md): KETENREGIE_PRODUCTION=1 turns on
# the redirect to HTTPS, HSTS, secure `__Host-` cookies. Off by default so `make run`,
# the demo and the tests keep working on plain http://127.0.0.1.
PRODUCTION = env_bool("KETENREGIE_PRODUCTION")
if PRODUCTION:
    if DEBUG or DEMO_MODE:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "KETENREGIE_PRODUCTION gaat niet samen met DJANGO_DEBUG of KETENREGIE_DEMO."
        )
    SECURE_SSL_REDIRECT = env_bool("KETENREGIE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = max(int(os.environ.get("KETENREGIE_HSTS_SECONDS", "31536000")), 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("KETENREGIE_HSTS_PRELOAD", True)
    if not SECURE_HSTS_PRELOAD:
        # Leaving the preload list out is a deliberate choice, not an oversight.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    # __Host-: the browser accepts the cookie only over HTTPS, for this host, path "/".
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    # Behind a TLS-terminating proxy, e.g. "X-Forwarded-Proto: https". Only set this
    # when the proxy always sets (and overwrites) the header.
    _proxy_header = os.environ.get("KETENREGIE_PROXY_SSL_HEADER", "")
    if _proxy_header:
        _name, _, _value = _proxy_header.partition(":")
        SECURE_PROXY_SSL_HEADER = (
            "HTTP_" + _name.strip().upper().replace("-", "_"),
            _value.strip() or "https",
        )
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# allauth: username login, no self-service signup, TOTP required (see RequireMfaMiddleware).
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "ketenregie.accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
# Behind a load balancer or TLS proxy REMOTE_ADDR is the proxy's address: the per-address
# login limit would then lock everyone out together and the trail would log the proxy.
# Set the number of proxies in front of the app that append to X-Forwarded-For; the client
# address is taken that many entries from the right (a client-sent value is never trusted).
# One rule for the rate limit and the trail: accounts.security_events.client_ip.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("KETENREGIE_TRUSTED_PROXY_COUNT", "0"))
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("KETENREGIE_LOGIN_RATE_LIMIT", "10/m/ip,5/5m/key"),
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# The TOTP step audits its lockout and every refused code (accounts.security_events).
MFA_FORMS = {
    "authenticate": "ketenregie.accounts.security_events.MfaAuthenticateForm",
    "reauthenticate": "ketenregie.accounts.security_events.MfaReauthenticateForm",
}
MFA_TOTP_ISSUER = "Ketenregie"
# Accept the code of the neighbouring 30-second step too: a code typed as the step turns
# over is otherwise refused (clock skew and slow typing).
MFA_TOTP_TOLERANCE = 1
# accounts hardening (issue 11): allauth sends no "unknown account" mail to a typed-in
# address and no notification mails; users cannot remove their own authenticator; the
# one-time set-up link of a new account lives this many hours (ADR 11).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_NOTIFICATIONS = False
MFA_ADAPTER = "ketenregie.accounts.adapters.MfaAdapter"
KETENREGIE_SETUP_LINK_HOURS = int(os.environ.get("KETENREGIE_SETUP_LINK_HOURS", "72"))
LOGIN_REDIRECT_URL = "dashboard"
LOGIN_URL = "account_login"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# App servers are stateless: the cache (allauth's login rate limits, used TOTP codes) and
# the sessions live in the database, so any number of app processes behind a load balancer
# share them. The cache table is created after every migrate (ketenregie.core.apps).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ketenregie_cache",
        # Culling drops arbitrary entries: keep it far above the rate-limit keys of an attack.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

MAILERS = {
    "default": {
        # Production sends by SMTP unless told otherwise; elsewhere mail goes to the console.
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if PRODUCTION
            else "django.core.mail.backends.console.EmailBackend",
        )
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "noreply@ketenregie.invalid")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

KETENREGIE_PAGE_SIZE = 25
# The address links in mails point at. Unset: the address of the request that sends the
# mail (commands and cron fall back to http://127.0.0.1:8000); set it in production, where
# a proxy or a mail sent from a command must name the public address (core.mail).
KETENREGIE_BASE_URL = os.environ.get("KETENREGIE_BASE_URL", "")
# file hardening (issue 11): uploads, their storage, and file modes (ADR 0012).
# Everything this process creates (the SQLite database and its -wal/-shm, attachments,
# keys, temporary upload files) is readable by its own user only.
os.umask(0o077)
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
if VAR_DIR.stat().st_mode & 0o077 and VAR_DIR.stat().st_uid == os.getuid():
    VAR_DIR.chmod(0o700)
# STATIC_ROOT: collectstatic fills it; until then (runserver, tests, a server started
# before collectstatic) the finders serve the files, and WhiteNoise warns "No directory
# at" if it does not exist at all.
STATIC_ROOT.mkdir(exist_ok=True)
KETENREGIE_ATTACHMENT_ROOT = Path(
    os.environ.get("KETENREGIE_ATTACHMENT_ROOT", VAR_DIR / "attachments")
)
KETENREGIE_MAX_ATTACHMENT_BYTES = int(os.environ.get("KETENREGIE_MAX_ATTACHMENT_MB", "10")) * (
    1024 * 1024
)
# A request carrying uploads larger than this is refused before its body is read (400);
# within it, a single file past KETENREGIE_MAX_ATTACHMENT_BYTES is refused on the form.
KETENREGIE_MAX_UPLOAD_REQUEST_BYTES = int(
    os.environ.get(
        "KETENREGIE_MAX_UPLOAD_REQUEST_MB", str(3 * (KETENREGIE_MAX_ATTACHMENT_BYTES >> 20) + 1)
    )
) * (1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "ketenregie.core.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default: larger files go to a temp file
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# A command that reads a file on stdin and exits 0 (clean) or 1 (infected), e.g.
# "clamdscan --no-summary -"; empty: no scanner. Any other answer refuses the upload.
KETENREGIE_VIRUS_SCANNER = os.environ.get("KETENREGIE_VIRUS_SCANNER", "")
KETENREGIE_VIRUS_SCANNER_TIMEOUT = int(os.environ.get("KETENREGIE_VIRUS_SCANNER_TIMEOUT", "60"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Enrichment answers are due this many hours before the triage starts.
KETENREGIE_ENRICHMENT_HOURS_BEFORE_TRIAGE = 24

FORM_RENDERER = "ketenregie.core.forms.UtrechtFormRenderer"

# Management information (issue 14, ADR 22): a count below this shows as "< 5".
KETENREGIE_SMALL_NUMBER = int(os.environ.get("KETENREGIE_SMALL_NUMBER", "5"))
