"""SafeSocial settings: one file, every value read from the environment with a safe default for the demo."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from safesocial import keys

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("SAFESOCIAL_DATA_DIR", Path.cwd() / "var"))


def env_str(name: str, default: str = "") -> str:
    """A setting from the environment, or from the file named by NAME_FILE (for container secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """On or off; empty is the default. Anything else is refused: `DEBUG=ture` must not quietly mean off."""
    value = env_str(name).strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not on or off: use 1/true/yes/on or 0/false/no/off")


def env_int(name: str, default: int) -> int:
    return int(env_str(name, str(default)))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_keys(name: str, make=None) -> list[str]:
    """A key list (newest first) from NAME or NAME_FILE; when neither is set, generated once into the data
    directory's secrets/ folder with mode 0600, so no published key is ever in use, the demo's included."""
    configured = keys.key_list(env_str(name))
    if configured:
        return configured
    return keys.generated(SECRETS_DIR, name.lower(), *([make] if make else []))


SECRETS_DIR = Path(env_str("SECRETS_DIR", str(DATA_DIR / "secrets")))


DEBUG = env_bool("DEBUG", False)
# Django's own key (sessions, CSRF, password reset); older keys after the first still verify while they are rotated out.
SECRET_KEY, *SECRET_KEY_FALLBACKS = env_keys("SECRET_KEY")
# Separate keys, each its own list (newest first): parents' consent and acknowledgement links, channel credentials and
# two-factor secrets at rest (Fernet keys), and the audit chain's keyed hash.
SIGNING_KEYS = env_keys("SIGNING_KEYS")
CREDENTIALS_KEYS = env_keys("CREDENTIALS_KEYS", keys.fernet_key)
AUDIT_KEYS = env_keys("AUDIT_KEYS")
# Where `safesocial audit checkpoint` appends the chain's head each day, outside the database (append-only, mode 0600).
AUDIT_CHECKPOINT_FILE = Path(env_str("AUDIT_CHECKPOINT_FILE", str(DATA_DIR / "audit-checkpoints.jsonl")))
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_NAME = env_str("SITE_NAME", "SafeSocial")
SITE_ROOT = env_str("SITE_ROOT", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # Django's widget templates, for FORM_RENDERER below
    "template_partials",
    "django_tasks",
    # Before django_tasks_db, whose `db_worker` command ops replaces with one that loads the classifier at start.
    "safesocial.ops",
    "django_tasks_db",
    "django_rq",  # `safesocial rqworker`, for TASKS_BACKEND=django_tasks_rq.RQBackend
    "django_tasks_rq",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.microsoft",
    "allauth.socialaccount.providers.google",
    "safesocial.audit",
    "safesocial.people",
    "safesocial.policy",
    "safesocial.consent",
    "safesocial.channels",
    "safesocial.publishing",
    "safesocial.platforms",
    "safesocial.concerns",
    "safesocial.moderation",
    "safesocial.direct_messages",
    "safesocial.escalation",
    "safesocial.registers",
    "safesocial.compliance",
    "safesocial.governors",
    "safesocial.subject_access",
    "safesocial.demo",  # the demo trust and `safesocial demo`: the top floor, it uses every app
]

MIDDLEWARE = [
    # Before everything: the request ID (from a trusted proxy, or new) that every log line of the request carries.
    "safesocial.ops.logging.RequestIdMiddleware",
    # First: believes proxy headers only from TRUSTED_PROXIES; adds the CSP and no-store on the way out (web.py).
    "safesocial.web.WebEdgeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Inside SessionMiddleware: renews a stored session's expiry at most once a minute (ops/sessions.py).
    "safesocial.ops.sessions.SessionRenewalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "safesocial.people.middleware.RequireTwoFactorMiddleware",
]

ROOT_URLCONF = "safesocial.urls"
WSGI_APPLICATION = "safesocial.wsgi.application"

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
                "safesocial.people.context_processors.trust",
            ],
        },
    }
]
# Every form field is drawn by one template of ours (templates/partials/field.html).
FORM_RENDERER = "safesocial.forms.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'safesocial.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with one process's writers taking turns in order (safesocial/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "safesocial.sqlite"
    # Tests run on Django's shared in-memory SQLite database, as with the stock backend's name.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    # WAL lets the web process read while the task worker writes. In WAL mode synchronous=NORMAL is still safe
    # against corruption and loses nothing on a crash of the process; only a power cut may undo the last commits.
    # It keeps commits from waiting on the disk while they hold the write lock (benchmarks/webhook_latency.py).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles a query to machine code (JIT) when the planner's estimate is large, not the work: on the
    # concern search at a trust's size the compiling took 5 s of a 5.8 s query (benchmarks/trust_scale.py).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Sign-in: staff accounts are made by the trust, never by sign-up.
ACCOUNT_ADAPTER = "safesocial.people.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "safesocial.people.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {
    # five failed attempts per account in five minutes, twenty per address per minute
    "login_failed": env_str("LOGIN_FAILED_LIMIT", "20/m/ip,5/5m/key"),
}
LOGIN_REDIRECT_URL = "dashboard"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Two-factor secrets are stored encrypted with CREDENTIALS_KEYS.
MFA_ADAPTER = "safesocial.people.adapters.MFAAdapter"
MFA_TOTP_ISSUER = SITE_NAME
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_PROVIDERS = {}
if env_str("MICROSOFT_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["microsoft"] = {
        "APPS": [
            {
                "client_id": env_str("MICROSOFT_CLIENT_ID"),
                "secret": env_str("MICROSOFT_CLIENT_SECRET"),
                "settings": {"tenant": env_str("MICROSOFT_TENANT", "organizations")},
            }
        ],
        "EMAIL_AUTHENTICATION": True,
        "VERIFIED_EMAIL": True,
    }
if env_str("GOOGLE_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [{"client_id": env_str("GOOGLE_CLIENT_ID"), "secret": env_str("GOOGLE_CLIENT_SECRET")}],
        "SCOPE": ["openid", "profile", "email"],
        "EMAIL_AUTHENTICATION": True,
    }

# Idle sessions expire: requests renew the session (at most once a minute, ops/sessions.py), so this is the idle limit.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# The reverse proxies in front of SafeSocial (addresses or CIDR networks). Only through them is X-Forwarded-For read
# for the client's address (rate limits, sign-in limits) and X-Forwarded-Proto believed for HTTPS.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# A load balancer or container health check asks over plain HTTP on the inside; /healthz holds no personal data.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading binds every subdomain of the school's domain to HTTPS in browsers for months, past any undoing: a trust
# opts in with SECURE_HSTS_PRELOAD=1. Django's deploy check asks about it (W021): decided, so silenced.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Sent on every response. Nothing inline: scripts and styles come from our static files only. data: images are the
# two-factor QR code. CSP_EXTRA adds sources, e.g. "img-src https://cdn.example.org; connect-src https://x.example".
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
for _directive, *_sources in (part.split() for part in env_str("CSP_EXTRA").split(";") if part.strip()):
    CONTENT_SECURITY_POLICY.setdefault(_directive, ["'self'"]).extend(_sources)
# Browsers hold the redirect after a sent form to form-action too: the sign-in buttons' forms lead to the provider.
_SIGN_IN_ORIGINS = {"microsoft": "https://login.microsoftonline.com", "google": "https://accounts.google.com"}
CONTENT_SECURITY_POLICY["form-action"] += [_SIGN_IN_ORIGINS[p] for p in SOCIALACCOUNT_PROVIDERS]

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("REDIS_URL"),
    }

TASKS = {
    "default": {
        # Immediate in the demo and tests; "django_tasks_db.DatabaseBackend" with `safesocial db_worker` on one
        # machine; "django_tasks_rq.RQBackend" with `safesocial rqworker` on as many machines as share REDIS_URL.
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}
# RQ's queue lives in REDIS_URL; its workers must run our tasks through django-tasks-rq's job class.
RQ_QUEUES = {"default": {"URL": env_str("REDIS_URL", "redis://127.0.0.1:6379/0")}}
# Our worker class runs jobs in its own process, with the classifier loaded once at start (safesocial/ops/workers.py).
RQ = {"JOB_CLASS": "django_tasks_rq.Job", "WORKER_CLASS": "safesocial.ops.workers.RQWorker"}
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend" and not env_str("REDIS_URL"):
    raise ImproperlyConfigured("TASKS_BACKEND=django_tasks_rq.RQBackend needs REDIS_URL")

# Real mail through the trust's SMTP server once EMAIL_HOST is set; the console (the demo's) until then.
# `safesocial sendtestemail someone@school.example` checks the settings.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
# STARTTLS on 587 unless EMAIL_USE_SSL asks for TLS from the first byte (465); Django refuses both at once.
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
EMAIL_PORT = env_int("EMAIL_PORT", 465 if EMAIL_USE_SSL else 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "safesocial@example.com")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))


def s3_storage(
    *,
    bucket: str,
    endpoint: str = "",
    region: str = "",
    access_key: str = "",
    secret_key: str = "",
    location: str = "",
    addressing_style: str = "",
    signed_url_seconds: int = 60,
) -> dict:
    """django-storages' S3 backend for a private bucket of any S3-compatible store (the tests use it as it is)."""
    # Path-style (https://host/bucket/name) suits MinIO and other stores at one address; AWS prefers virtual-hosted.
    addressing_style = addressing_style.strip().lower() or ("path" if endpoint else "virtual")
    if addressing_style not in ("path", "virtual"):
        raise ImproperlyConfigured(f"AWS_S3_ADDRESSING_STYLE={addressing_style!r} is not path or virtual")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint or None,
            "region_name": region or None,
            # Unset: boto3's own chain (an instance role, ~/.aws) supplies the keys.
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "location": location.strip("/"),  # a folder of the bucket, if SafeSocial shares it
            "addressing_style": addressing_style,
            "signature_version": "s3v4",
            # Private: no ACL is sent, so each object keeps the bucket's own (Block Public Access on); links are signed.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": signed_url_seconds or 60,
            # A second file of the same name gets a new name, as on disk; nothing stored is ever replaced by an upload.
            "file_overwrite": False,
            # A file read from the bucket waits in memory up to 8 MB, on the temporary disk past that.
            "max_memory_size": 8 * 1024 * 1024,
        },
    }


def bucket_origin(options: dict) -> str:
    """The origin of boto3's signed links to the bucket, which a browser follows from an <img>: for the CSP."""
    endpoint, bucket = options["endpoint_url"] or "", options["bucket_name"]
    if endpoint:
        scheme, _, host = endpoint.rstrip("/").partition("://")
        host = host.split("/", 1)[0]
    else:  # AWS itself, where us-east-1 answers at the global name
        region = options["region_name"] or "us-east-1"
        scheme, host = "https", "s3.amazonaws.com" if region == "us-east-1" else f"s3.{region}.amazonaws.com"
    return f"{scheme}://{bucket}.{host}" if options["addressing_style"] == "virtual" else f"{scheme}://{host}"


# Photos, evidence and certificates: on this machine's disk (MEDIA_ROOT), or with STORAGE_BACKEND=s3 in a private bucket
# of any S3-compatible store that every machine shares (safesocial/storage.py says how each kind of file is served).
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
STORAGE_BACKEND = env_str("STORAGE_BACKEND", "s3" if AWS_STORAGE_BUCKET_NAME else "local").strip().lower()
# On S3: how long a signed link to a private file (a photo in review, a training certificate) works once SafeSocial has
# checked who asked. 0 streams every file through SafeSocial instead, for a store that browsers cannot reach.
STORAGE_SIGNED_URL_SECONDS = env_int("STORAGE_SIGNED_URL_SECONDS", 60)
_default_storage: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if STORAGE_BACKEND == "s3":
    if not AWS_STORAGE_BUCKET_NAME:
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME")
    _default_storage = s3_storage(
        bucket=AWS_STORAGE_BUCKET_NAME,
        endpoint=env_str("AWS_S3_ENDPOINT_URL"),
        region=env_str("AWS_S3_REGION_NAME"),
        access_key=env_str("AWS_ACCESS_KEY_ID"),
        secret_key=env_str("AWS_SECRET_ACCESS_KEY"),
        location=env_str("AWS_LOCATION"),
        addressing_style=env_str("AWS_S3_ADDRESSING_STYLE"),
        signed_url_seconds=STORAGE_SIGNED_URL_SECONDS,
    )
    if STORAGE_SIGNED_URL_SECONDS > 0:
        # A photo in review is an <img> redirected to its signed link: the CSP must let the browser follow it there.
        CONTENT_SECURITY_POLICY["img-src"].append(bucket_origin(_default_storage["OPTIONS"]))
elif STORAGE_BACKEND != "local":
    raise ImproperlyConfigured(f"STORAGE_BACKEND={STORAGE_BACKEND!r} is not local or s3")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# LOG_FORMAT=json: one JSON object a line (with the request ID, and an access line per request) for a log collector.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "safesocial.ops.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "safesocial.ops.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # In text mode gunicorn writes the access log; in JSON mode the app does (safesocial/gunicorn_conf.py).
    "loggers": {"safesocial.access": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"}},
}

# Social networks' API roots: production defaults; tests point them at local stand-ins.
FACEBOOK_GRAPH_URL = env_str("FACEBOOK_GRAPH_URL", "https://graph.facebook.com/v21.0")
X_API_URL = env_str("X_API_URL", "https://api.x.com")
YOUTUBE_API_URL = env_str("YOUTUBE_API_URL", "https://www.googleapis.com")
PLATFORM_TIMEOUT_SECONDS = env_int("PLATFORM_TIMEOUT_SECONDS", 20)
# The public URL at which platforms fetch media SafeSocial hosts (Instagram takes images by URL only).
MEDIA_PUBLIC_URL = env_str("MEDIA_PUBLIC_URL", SITE_ROOT + "/media/public/")
PUBLISH_GRACE_MINUTES = env_int("PUBLISH_GRACE_MINUTES", 60)
# Facebook and Instagram webhooks: the app secret signs deliveries; the verify token answers Meta's subscription check.
META_APP_SECRET = env_str("META_APP_SECRET")
META_VERIFY_TOKEN = env_str("META_VERIFY_TOKEN")
WEBHOOK_MAX_AGE_MINUTES = env_int("WEBHOOK_MAX_AGE_MINUTES", 60)
