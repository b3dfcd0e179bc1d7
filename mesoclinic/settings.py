"""Mesoclinic settings: one module, driven by environment variables.

Every setting has a safe local default so `make run` works on a fresh machine
(SQLite in ./var). Production values come from the environment; a bad value
fails loudly at start-up, naming the variable.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.getenv("MESOCLINIC_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default)
    if value not in ("", "True", "False"):
        raise ImproperlyConfigured(f"Unexpected value {name}={value!r}, use 'True' or 'False'")
    return value == "True"


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"Unexpected value {name}={value!r}, expected an integer"
        ) from None


def envsecret(name: str, default: str) -> str:
    """A secret from NAME, or from the file named by NAME_FILE (Docker secrets)."""
    path = os.getenv(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {exc}") from None
    return os.getenv(name, default)


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "True")
SECRET_KEY = envsecret("SECRET_KEY", "dev-only-insecure-key-change-me")
if not DEBUG and SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=False")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "mesoclinic.core.apps.CoreConfig",
    "mesoclinic.accounts.apps.AccountsConfig",
    "mesoclinic.audit.apps.AuditConfig",
    "mesoclinic.patients.apps.PatientsConfig",
    "mesoclinic.outbox.apps.OutboxConfig",
    "mesoclinic.screening.apps.ScreeningConfig",
    "mesoclinic.patchtests.apps.PatchTestsConfig",
    "mesoclinic.consent.apps.ConsentConfig",
    "mesoclinic.products.apps.ProductsConfig",
    "mesoclinic.treatments.apps.TreatmentsConfig",
    "mesoclinic.scheduling.apps.SchedulingConfig",
    "mesoclinic.education.apps.EducationConfig",
    "mesoclinic.photos.apps.PhotosConfig",
    "mesoclinic.followup.apps.FollowupConfig",
    "mesoclinic.portal.apps.PortalConfig",
    "mesoclinic.fhir.apps.FhirConfig",  # issue 16: FHIR R4 API and the patient's copy
    "mesoclinic.documents.apps.DocumentsConfig",  # issue 16: PDFs, consent copy e-mail
    "mesoclinic.erasure.apps.ErasureConfig",  # issue 16: erasure on request, retention
    "mesoclinic.demo.apps.DemoConfig",
    "mesoclinic.staff.apps.StaffConfig",  # issue 14: set-up, staff, invitations
    "django_otp",  # issue 14: staff two-factor sign-in (mesoclinic/staff/twofactor.py)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # the recovery codes
    # issue 17: money and the owner's dashboard
    "mesoclinic.billing.apps.BillingConfig",
    "mesoclinic.dashboard.apps.DashboardConfig",
]
AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    # issue 15/18: a request's audit rows are written, chained, in one INSERT at its end
    "mesoclinic.audit.middleware.AuditBufferMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mesoclinic.accounts.security.NoStoreMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mesoclinic.accounts.security.RequestSizeLimitMiddleware",  # before anything reads a body
    "django.middleware.csrf.CsrfViewMiddleware",
    "mesoclinic.accounts.security.IdleTimeoutMiddleware",
    "mesoclinic.accounts.middleware.ActorMiddleware",
    "mesoclinic.audit.attempts.AttemptAuditMiddleware",  # issue 15: 403/404 recorded
    "django.contrib.messages.middleware.MessageMiddleware",
    "mesoclinic.lib.refusals.RefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    "mesoclinic.staff.middleware.FirstRunMiddleware",  # issue 14: a fresh install sets up
    "django_otp.middleware.OTPMiddleware",  # issue 14: request.user.is_verified()
    "mesoclinic.staff.twofactor.TwoFactorMiddleware",  # the second factor before any page
]

# Accounts: Argon2 hashes, lockout after repeated failures, sessions end after inactivity.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("LOGIN_LOCKOUT_MINUTES", "15") / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # one person's typos lock only them
AXES_CLIENT_IP_CALLABLE = "mesoclinic.accounts.security.client_ip"  # proxy-aware
# Beyond axes' pair lockout: an account refused after this many failures from any address,
# an address after this many for any account (accounts/security.py), in the same window.
LOGIN_ACCOUNT_FAILURE_LIMIT = envint("LOGIN_ACCOUNT_FAILURE_LIMIT", "20")
LOGIN_IP_FAILURE_LIMIT = envint("LOGIN_IP_FAILURE_LIMIT", "30")
# Password reset by e-mail: at most this many links per e-mail address, and per client
# address, within the window (accounts/security.py; counted in Django's cache, whether or
# not an account has the address). Several application servers share the counts only
# through a shared cache (CACHES); the default local-memory cache counts per process.
PASSWORD_RESET_LIMIT_PER_EMAIL = envint("PASSWORD_RESET_LIMIT_PER_EMAIL", "3")
PASSWORD_RESET_LIMIT_PER_IP = envint("PASSWORD_RESET_LIMIT_PER_IP", "10")
PASSWORD_RESET_WINDOW_MINUTES = envint("PASSWORD_RESET_WINDOW_MINUTES", "60")
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Mesoclinic"  # issue 14: the name authenticator apps show
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"  # issue 17: the staff home per role
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", "30") * 60
# The idle clock restarts with the user's own requests only (accounts/security.py):
# background polls neither save the session nor renew it.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

ROOT_URLCONF = "mesoclinic.urls"
WSGI_APPLICATION = "mesoclinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mesoclinic" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mesoclinic.lib.language.context",  # the clinic's languages (switch)
            ],
        },
    },
]

# SQLite in ./var by default (created by the `mesoclinic` command and the WSGI/ASGI entry
# points, never on import); DATABASE_URL selects PostgreSQL (postgres://...).
# Persistent connections (issue 18): a worker keeps its connection for DB_CONN_MAX_AGE
# seconds (default 600; 0 = a new connection per request, which cost 1.6-2.5x on every
# page on PostgreSQL), and checks it is alive before reusing it (CONN_HEALTH_CHECKS).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'mesoclinic.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", "600"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = os.getenv("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("tr", _("Turkish"))]
LOCALE_PATHS = [BASE_DIR / "mesoclinic" / "locale"]
FORMAT_MODULE_PATH = ["mesoclinic.formats"]  # dates shown as "5 December 2026 08:30"
TIME_ZONE = os.getenv("TIME_ZONE", "Europe/Istanbul")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "mesoclinic" / "static"]
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
    # Clinical files (mesoclinic.lib.uploads): on disk outside the web root, served only
    # through views that check who asks. Another backend (S3-compatible) can be named here.
    # issue 14: "photos" and "followup", on disk or S3-compatible (STORAGE_BACKEND=s3),
    # chosen by mesoclinic/lib/storage_env.py from the environment
}
from mesoclinic.lib.storage_env import StorageSettingError, clinical_storages  # noqa: E402

try:
    STORAGES.update(clinical_storages(os.environ))
except (StorageSettingError, OSError) as exc:
    raise ImproperlyConfigured(str(exc)) from None
FILE_UPLOAD_PERMISSIONS = 0o600  # readable by the application's user only
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Security headers. Django's own CSP from day one: nothing inline, nothing third-party.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
CSRF_FAILURE_VIEW = "mesoclinic.lib.refusals.csrf_failure"  # the refused page, not a bare 403
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", "False" if DEBUG else "True")
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", "False" if DEBUG else "True")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "False" if DEBUG else "True")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG

# Behind a reverse proxy that terminates TLS: SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto=https
# says how the proxy marks an https request; TRUSTED_PROXIES (addresses or networks) are
# the only peers whose X-Forwarded-For is believed (sign-in limits, audit addresses).
_proxy_header = os.getenv("SECURE_PROXY_SSL_HEADER", "")
if _proxy_header:
    _name, _sep, _value = _proxy_header.partition("=")
    if not _sep or not _name.strip() or not _value.strip():
        raise ImproperlyConfigured(
            f"Unexpected value SECURE_PROXY_SSL_HEADER={_proxy_header!r}, "
            "use Header-Name=value, e.g. X-Forwarded-Proto=https"
        )
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _name.strip().upper().replace("-", "_"),
        _value.strip(),
    )
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"Unexpected value in TRUSTED_PROXIES: {_proxy!r} is not an address or network"
        ) from None
USE_X_FORWARDED_HOST = envbool("USE_X_FORWARDED_HOST", "False")

# Clinical files live outside the web root and are served only through access checks
# (STORAGES "photos" and "followup"). One limit for every uploaded photo (lib.uploads).
PHOTOS_ROOT = Path(os.getenv("PHOTOS_ROOT", VAR_DIR / "photos"))
FOLLOWUP_FILES_ROOT = Path(os.getenv("FOLLOWUP_FILES_ROOT", VAR_DIR / "followup"))
BACKUP_DIR = Path(os.getenv("BACKUP_DIR", VAR_DIR / "backups"))  # `mesoclinic backup`
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", str(15 * 1024 * 1024))
UPLOAD_MAX_PIXELS = envint("UPLOAD_MAX_PIXELS", "40000000")
# Issue 15 (reads): a larger clinical photo is decoded reduced and kept at most this many
# pixels on its longer side (about 7 MP at 4:3), so a 40 MP upload never sits in memory whole.
PHOTO_MAX_SIDE = envint("PHOTO_MAX_SIDE", "3000")
# Issue 15 (reads): the portal's "who opened my record" names staff only if the clinic
# chooses to (default: their role and the date only).
PORTAL_SHOW_STAFF_NAMES = envbool("PORTAL_SHOW_STAFF_NAMES", "False")
# Request bodies (accounts/security.py), refused before they are read: one photo and its
# form for a signed-in person, a small form for anyone else.
REQUEST_MAX_BYTES = envint("REQUEST_MAX_BYTES", str(UPLOAD_MAX_BYTES + 1024 * 1024))
ANONYMOUS_REQUEST_MAX_BYTES = envint("ANONYMOUS_REQUEST_MAX_BYTES", str(64 * 1024))
# The address patients and staff open: every link in an e-mail or SMS starts with it
# (mesoclinic.lib.links.absolute). A system check warns when it is unset with DEBUG=False.
SITE_URL_DEFAULT = "http://127.0.0.1:8000"
SITE_URL = os.getenv("SITE_URL", "") or SITE_URL_DEFAULT
SITE_URL_IS_SET = bool(os.getenv("SITE_URL"))
PORTAL_INVITATION_HOURS = envint("PORTAL_INVITATION_HOURS", "72")
PORTAL_EMERGENCY_NUMBER = os.getenv("PORTAL_EMERGENCY_NUMBER", "112")

# Background work: Django's tasks framework with the database backend; `mesoclinic worker` runs it.
INSTALLED_APPS += ["django_tasks_db"]
TASKS = {"default": {"BACKEND": os.getenv("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# E-mail (Django 6.1's MAILERS) and SMS. The console backends print instead of sending.
MAILERS = {
    "default": {
        "BACKEND": os.getenv(
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": {
            key: value
            for key, value in {
                "host": os.getenv("EMAIL_HOST"),
                "port": envint("EMAIL_PORT", "25") if os.getenv("EMAIL_HOST") else None,
                "username": os.getenv("EMAIL_HOST_USER"),
                "password": envsecret("EMAIL_HOST_PASSWORD", "") or None,
                "use_tls": envbool("EMAIL_USE_TLS", "False") or None,
                "timeout": envint("EMAIL_TIMEOUT", "30") if os.getenv("EMAIL_HOST") else None,
            }.items()
            if value is not None
        },
    }
}
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "Mesoclinic <clinic@localhost>")
SMS_BACKEND = os.getenv("SMS_BACKEND", "mesoclinic.outbox.sms.ConsoleBackend")
SCHEDULING_REMINDER_MINUTES = [int(m) for m in envlist("SCHEDULING_REMINDER_MINUTES", "2880,120")]
SCHEDULING_SLOT_MINUTES = envint("SCHEDULING_SLOT_MINUTES", "15")
# The outbox (every e-mail and SMS): a claimed message is retried when its worker has not
# finished it after the lease; a failed send is retried with a back-off (1, 2, 4... minutes,
# at most OUTBOX_RETRY_MAX_MINUTES) for OUTBOX_RETRY_HOURS, then shown to the staff.
OUTBOX_CLAIM_LEASE_SECONDS = envint("OUTBOX_CLAIM_LEASE_SECONDS", "300")
OUTBOX_RETRY_HOURS = envint("OUTBOX_RETRY_HOURS", "24")
OUTBOX_RETRY_MAX_MINUTES = envint("OUTBOX_RETRY_MAX_MINUTES", "60")
# A worker whose last heartbeat is older than this is reported as stopped (/healthz, staff).
WORKER_STALE_SECONDS = envint("WORKER_STALE_SECONDS", "120")
OUTBOX_MESSAGE_ID_DOMAIN = os.getenv("OUTBOX_MESSAGE_ID_DOMAIN", "mesoclinic.invalid")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
}
