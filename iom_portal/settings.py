"""One settings module, read from the environment.

With no variable set it runs the embedded default (SQLite file, eager Celery, console
e-mail, DEBUG on). Production sets DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and
friends; a malformed value stops the start with ImproperlyConfigured instead of limping on.
"""

from ipaddress import ip_network
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def _bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="")
    if raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def _int(name: str, default: int) -> int:
    raw = env.str(name, default="")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


DATABASE_URL = env.str("DATABASE_URL", default="")
REDIS_URL = env.str("REDIS_URL", default="")
# Production is any configuration that names its database; the embedded default names none.
EMBEDDED = not DATABASE_URL

DEBUG = _bool("DEBUG", default=EMBEDDED)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not EMBEDDED:
        raise ImproperlyConfigured("SECRET_KEY is required when DATABASE_URL is set")
    # A development secret kept beside the SQLite file, so sessions survive restarts.
    _secret_file = BASE_DIR / ".dev-secret-key"
    if not _secret_file.exists():
        from django.core.management.utils import get_random_secret_key

        _secret_file.write_text(get_random_secret_key())
    SECRET_KEY = _secret_file.read_text().strip()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "iom_portal.views.csrf_failure"  # the portal's Russian page instead of Django's English one

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
    "django_htmx",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "core",
    "schools",
    "diagnostics",
    "routes",
    "methodics",
    "reports",
    "api",
    "devdata",  # demo and bench data, and the commands that load them; no production code imports it
]
PORTAL_APPS = ["core", "schools", "diagnostics", "routes", "methodics", "reports", "api"]

MIDDLEWARE = [
    "core.metrics.RequestMetricsMiddleware",  # first: it times and counts every answer, redirects and refusals too
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.RequestBaseUrlMiddleware",  # after CommonMiddleware, which refuses a host not allowed
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "schools.middleware.RegionTimeZoneMiddleware",  # after authentication: the zone of the user's region
    "core.middleware.SessionLifetimeMiddleware",
    "core.middleware.SecurityAuditMiddleware",
    "core.middleware.OutOfRangeIdMiddleware",
    "core.middleware.MethodNotAllowedPageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "iom_portal.urls"
WSGI_APPLICATION = "iom_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The project's templates, then each feature's own (routes/workflow/templates/…): an app
        # laid out by feature keeps a feature's templates beside its views (docs/design.md).
        "DIRS": [
            BASE_DIR / "templates",
            *(path for app in PORTAL_APPS for path in sorted((BASE_DIR / app).glob("*/templates"))),
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "core.context_processors.portal",
            ],
        },
    },
]

if DATABASE_URL:
    if DATABASE_URL.split(":", 1)[0] not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ImproperlyConfigured("DATABASE_URL is not a valid database URL: use postgres://… or sqlite:///…")
    try:
        DATABASES = {"default": env.db_url_config(DATABASE_URL)}
    except Exception as exc:  # django-environ raises several types for a bad URL
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("CONN_MAX_AGE", _int("DB_CONN_MAX_AGE", 60))
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        # Measured at regional scale (benchmarks/selectors_bench.py): JIT compilation adds ~250 ms
        # to every dashboard query whose estimated cost passes jit_above_cost, and the default
        # random_page_cost of 4 (spinning disks) makes the planner scan all staff for one
        # municipality. 1.1 is the usual SSD value. A URL's own ?options= wins.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off -c random_page_cost=1.1")
    # A streaming replica of the primary (docs/capacity.md): report jobs and dashboards read from it
    # inside core.db_router.reading_from_replica(); every write, and every read inside a transaction,
    # stays on the primary. Tests mirror it onto the test database (there is no second one to make).
    DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
    if DATABASE_REPLICA_URL:
        if DATABASE_REPLICA_URL.split(":", 1)[0] not in {"postgres", "postgresql", "pgsql", "sqlite"}:
            raise ImproperlyConfigured("DATABASE_REPLICA_URL is not a valid database URL: use postgres://…")
        try:
            replica = env.db_url_config(DATABASE_REPLICA_URL)
        except Exception as exc:
            raise ImproperlyConfigured(f"DATABASE_REPLICA_URL is not a valid database URL: {exc}") from exc
        if replica["ENGINE"] != DATABASES["default"]["ENGINE"]:
            raise ImproperlyConfigured("DATABASE_REPLICA_URL must name the same kind of database as DATABASE_URL")
        for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
            if key in DATABASES["default"]:
                replica.setdefault(key, DATABASES["default"][key])
        replica.setdefault("OPTIONS", {}).update(
            {k: v for k, v in DATABASES["default"].get("OPTIONS", {}).items() if k not in replica["OPTIONS"]})
        if replica["ENGINE"] == "django.db.backends.postgresql":
            replica["OPTIONS"].setdefault("connect_timeout", 3)  # a standby that is gone: the primary reads
        replica["TEST"] = {"MIRROR": "default"}
        DATABASES["replica"] = replica
        DATABASE_ROUTERS = ["core.db_router.ReplicaRouter"]
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite cannot enforce Membership's NULLS NOT DISTINCT constraint; PostgreSQL does, and the
# services use get_or_create, so the embedded default loses nothing.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

def redis_cache_config(url: str) -> dict:
    """Redis down must cost a request milliseconds, not seconds (core/cache.py computes afresh then):
    one immediate retry (a pooled connection broken by a Redis restart), short socket timeouts."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2, "retry": Retry(NoBackoff(), 1)}}


if REDIS_URL:
    CACHES = {"default": redis_cache_config(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Moscow")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError) as exc:
    raise ImproperlyConfigured(f"TIME_ZONE {TIME_ZONE!r} is not a known time zone") from exc
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Media is never served by URL: evidence and reports go through views that check access.
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}


def s3_storage_config(*, bucket: str, endpoint_url: str = "", access_key: str = "", secret_key: str = "",
                      region: str = "", addressing_style: str = "", prefix: str = "", timeout: int = 5) -> dict:
    """STORAGES["default"] for media in an S3-compatible bucket (django-storages, boto3).

    Objects are private (no ACL: the bucket's own policy applies) and never overwritten (a taken name
    gets a suffix, as on disk). No browser is ever sent to the bucket: evidence and report files are
    read by the views that check access and streamed from there; a download over 2 MB passes through
    a temporary file, not memory. An endpoint that does not answer costs `timeout` seconds a try, two
    tries, then a storage error, which the portal turns into its Russian message (core/storage.py).
    Without keys boto3's own chain applies (AWS_* variables, an instance role).
    """
    from botocore.config import Config

    style = addressing_style or ("path" if endpoint_url else "auto")  # own endpoints rarely have bucket DNS names
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": bucket, "endpoint_url": endpoint_url or None, "access_key": access_key or None,
        "secret_key": secret_key or None, "region_name": region or None, "location": prefix.strip("/"),
        "default_acl": None, "file_overwrite": False, "querystring_expire": 60, "max_memory_size": 2 * 1024 * 1024,
        "client_config": Config(s3={"addressing_style": style}, signature_version="s3v4", connect_timeout=timeout,
                                read_timeout=max(30, timeout), retries={"max_attempts": 2, "mode": "standard"}),
    }}


# Media on an S3-compatible bucket when MEDIA_S3_BUCKET is set (docs/operations.md), MEDIA_ROOT otherwise.
MEDIA_S3_BUCKET = env.str("MEDIA_S3_BUCKET", default="")
_media_s3 = {name: env.str(f"MEDIA_S3_{name}", default="").strip() for name in (
    "ENDPOINT_URL", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "REGION", "ADDRESSING_STYLE", "PREFIX")}
MEDIA_S3_TIMEOUT = _int("MEDIA_S3_TIMEOUT", 5)
if not MEDIA_S3_BUCKET and any(_media_s3.values()):
    raise ImproperlyConfigured("MEDIA_S3_BUCKET is required when other MEDIA_S3_* variables are set")
if bool(_media_s3["ACCESS_KEY_ID"]) != bool(_media_s3["SECRET_ACCESS_KEY"]):
    raise ImproperlyConfigured("MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY are set together or not at all")
if _media_s3["ENDPOINT_URL"] and not _media_s3["ENDPOINT_URL"].startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"MEDIA_S3_ENDPOINT_URL must be an http:// or https:// URL, got {_media_s3['ENDPOINT_URL']!r}")
if _media_s3["ADDRESSING_STYLE"] not in {"", "path", "virtual", "auto"}:
    raise ImproperlyConfigured(
        f"MEDIA_S3_ADDRESSING_STYLE must be path, virtual or auto, got {_media_s3['ADDRESSING_STYLE']!r}")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = s3_storage_config(
        bucket=MEDIA_S3_BUCKET, endpoint_url=_media_s3["ENDPOINT_URL"], access_key=_media_s3["ACCESS_KEY_ID"],
        secret_key=_media_s3["SECRET_ACCESS_KEY"], region=_media_s3["REGION"],
        addressing_style=_media_s3["ADDRESSING_STYLE"], prefix=_media_s3["PREFIX"], timeout=MEDIA_S3_TIMEOUT)

# E-mail: console in the embedded default, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = _int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = _bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Every e-mail goes through core.mail's outbox and a Celery task: an unreachable or hanging mail
# server costs the task EMAIL_TIMEOUT, never a request; attempts back off exponentially from
# EMAIL_RETRY_SECONDS (60 s, 2 min, 4 min …) until EMAIL_MAX_ATTEMPTS, then the administrator sees it.
EMAIL_TIMEOUT = _int("EMAIL_TIMEOUT", 30)
EMAIL_RETRY_SECONDS = _int("EMAIL_RETRY_SECONDS", 60)
EMAIL_MAX_ATTEMPTS = _int("EMAIL_MAX_ATTEMPTS", 8)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ИОМ-портал <iom@localhost>")
# The portal's own address for links that leave it (e-mails, calendar feeds): core.links.absolute_url.
# Production names it: an e-mail written by a worker has no request to take a host from, and a host
# taken from a request (its Host header) is not the address users should be sent to. The embedded
# default may leave it unset: links then use the host of the request that makes them, or
# http://127.0.0.1:8000 (`make run`) outside a request.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="").strip().rstrip("/")
if not PORTAL_BASE_URL and not EMBEDDED:
    raise ImproperlyConfigured("PORTAL_BASE_URL is required when DATABASE_URL is set: the portal's address for "
                               "links in e-mails and calendars, e.g. https://iom.example.ru")
if PORTAL_BASE_URL:
    _base = urlsplit(PORTAL_BASE_URL)
    # no path: the links' paths come from reverse(), which already carries a prefix the portal is mounted under
    if _base.scheme not in {"http", "https"} or not _base.hostname or _base.path or _base.query or _base.fragment:
        raise ImproperlyConfigured(
            f"PORTAL_BASE_URL must be the portal's address without a path, http:// or https://, e.g. "
            f"https://iom.example.ru, got {PORTAL_BASE_URL!r}")

# Celery: eager in the embedded default, Redis otherwise.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = 50
CELERY_TASK_TIME_LIMIT = 60 * 30
CELERY_TASK_SOFT_TIME_LIMIT = 60 * 25
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60, "socket_connect_timeout": 2}
# A worker outlives a Redis outage: it reconnects for as long as it takes (docs/operations.md).
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A request that queues a task while the broker is down gives up quickly: the job or e-mail is
# in the database already, and the periodic re-queue hands it over later (core/queue.py).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# Queued work that waited this long is "delayed": its requester is told, /healthz/queue fails.
QUEUE_DELAY_MINUTES = _int("QUEUE_DELAY_MINUTES", 10)
# A job handed to the broker that nobody took within this long is handed over again (a Redis
# restart without persistence loses its queue); running twice is harmless (each task claims its job).
QUEUE_REQUEUE_MINUTES = _int("QUEUE_REQUEUE_MINUTES", 5)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}  # filled by the apps' tasks modules through iom_portal.celery

# Monitoring (docs/operations.md): /healthz names its failing parts to anyone and says why only to the
# monitoring; /metrics (Prometheus) answers the monitoring only: a request bearing METRICS_TOKEN
# ("Authorization: Bearer …") or coming from an address of METRICS_ALLOWED_IPS (addresses or networks,
# as core.lockout.client_address sees the client behind TRUSTED_PROXY_COUNT proxies). Neither set: nobody.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
if METRICS_TOKEN and len(METRICS_TOKEN) < 16:
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 16 characters long")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
for _network in METRICS_ALLOWED_IPS:
    try:
        ip_network(_network, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(f"METRICS_ALLOWED_IPS: {_network!r} is not an address or a network") from exc
# Each part of /healthz answers within this many seconds or counts as failing (the worker's ping too).
HEALTHZ_TIMEOUT_SECONDS = _int("HEALTHZ_TIMEOUT_SECONDS", 3)
# A worker's own metrics (task durations, report build times) on http://WORKER_METRICS_ADDR:PORT/metrics;
# 0 = none. A prefork worker needs PROMETHEUS_MULTIPROC_DIR (an empty folder) to count its children.
WORKER_METRICS_PORT = _int("WORKER_METRICS_PORT", 0)
WORKER_METRICS_ADDR = env.str("WORKER_METRICS_ADDR", default="127.0.0.1")

# Security
# Sessions live in the database, never only in Redis: a Redis outage logs nobody out. (Login limits,
# django-axes, are in the database too.)
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = _int("SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SESSION_IDLE_SECONDS = _int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if not EMBEDDED and not DEBUG:
    SESSION_COOKIE_SECURE = _bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = _bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = _int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # the monitoring asks over plain HTTP inside
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^healthz/queue$", r"^healthz/live$", r"^metrics$"]

# Login limits (core.lockout): AXES_FAILURE_LIMIT failures for one username from one address, and
# AXES_ADDRESS_FAILURE_LIMIT failures from one address across all usernames, each per cool-off.
AXES_FAILURE_LIMIT = _int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = _int("AXES_ADDRESS_FAILURE_LIMIT", 20)  # the portal's own, read by core.lockout
AXES_COOLOFF_TIME = _int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # the address limit is core.lockout's, see there
AXES_HANDLER = "core.lockout.PortalLockoutHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"  # renders AXES_LOCKOUT_TEMPLATE with the real wait
AXES_RESET_ON_SUCCESS = True
# Proxies in front of the portal that append to X-Forwarded-For (nginx: 1). With 0 the client is
# REMOTE_ADDR; behind nginx that would be nginx's address for everyone, and the address limit would
# lock the whole portal.
TRUSTED_PROXY_COUNT = _int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "core.lockout.client_address"
for _name in ("AXES_FAILURE_LIMIT", "AXES_ADDRESS_FAILURE_LIMIT", "EMAIL_MAX_ATTEMPTS", "EMAIL_RETRY_SECONDS",
              "EMAIL_TIMEOUT", "QUEUE_DELAY_MINUTES", "QUEUE_REQUEUE_MINUTES", "HEALTHZ_TIMEOUT_SECONDS",
              "MEDIA_S3_TIMEOUT"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1")
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")

# --- Single sign-on (docs/sso.md) --------------------------------------------------------------------------------
# LDAP / Active Directory (LDAP_SERVER_URI and friends) and OpenID Connect (OIDC_RP_CLIENT_ID and friends), each on
# only when its variables are set; SSO_LOCAL_PASSWORDS=admins keeps local passwords for administrators only.
# With none of them set this block changes nothing: SSO_LDAP = SSO_OIDC = None and AUTHENTICATION_BACKENDS stays
# the two above, axes' first (it must see every attempt, whichever backend takes it).
from iom_portal.sso_settings import sso_settings  # noqa: E402 (reads the environment like the lines above)

globals().update(sso_settings(env.ENVIRON, backends=AUTHENTICATION_BACKENDS))
# --- end of single sign-on ---------------------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EVIDENCE_MAX_BYTES = _int("EVIDENCE_MAX_MB", 10) * 1024 * 1024
IMPORT_MAX_BYTES = _int("IMPORT_MAX_MB", 20) * 1024 * 1024
REPORT_FILE_TTL_HOURS = _int("REPORT_FILE_TTL_HOURS", 72)
# A route whose period ended waits for its results; after this many days in «Срок истек» the
# municipal methodists are told too (routes.tasks.expire_routes).
ROUTE_EXPIRED_METHODIST_DAYS = _int("ROUTE_EXPIRED_METHODIST_DAYS", 14)
# A route drafted from diagnostics (routes.drafting): at most this many course hours per year of its
# period, and at most this many activities per deficit.
DRAFT_COURSE_HOURS_PER_YEAR = _int("DRAFT_COURSE_HOURS_PER_YEAR", 72)
DRAFT_ACTIVITIES_PER_DEFICIT = _int("DRAFT_ACTIVITIES_PER_DEFICIT", 2)
# Escalation (routes.tasks.escalate, daily; each step once, logged on the route's history): a route waiting for its
# review this many days is brought to its reviewers again, then to the school's director and the municipal
# methodists; an overdue activity is told to the teacher at once, to the school reviewers after the last.
ROUTE_REVIEW_REMIND_DAYS = _int("ROUTE_REVIEW_REMIND_DAYS", 7)
ROUTE_REVIEW_ESCALATE_DAYS = _int("ROUTE_REVIEW_ESCALATE_DAYS", 14)
ROUTE_OVERDUE_DEPUTY_DAYS = _int("ROUTE_OVERDUE_DEPUTY_DAYS", 7)
if not 0 < ROUTE_REVIEW_REMIND_DAYS < ROUTE_REVIEW_ESCALATE_DAYS:
    raise ImproperlyConfigured("ROUTE_REVIEW_REMIND_DAYS must be at least 1 and less than ROUTE_REVIEW_ESCALATE_DAYS")

# The REST API for integrations (api/, docs/api.md): integration tokens only, no sessions (no CSRF
# question: a token request carries no cookie), JSON only (the browsable API needs a session and
# inline scripts), a request budget per token, in the cache.
API_RATE_PER_MINUTE = _int("API_RATE_PER_MINUTE", 600)
if API_RATE_PER_MINUTE < 1:
    raise ImproperlyConfigured("API_RATE_PER_MINUTE must be at least 1")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenCapability"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": f"{API_RATE_PER_MINUTE}/min"},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser", "rest_framework.parsers.MultiPartParser",
                               "rest_framework.parsers.FormParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PagePagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ИОМ-портал: API для интеграций",
    "DESCRIPTION": "Чтение организаций, сотрудников, ИОМ, дефицитов и показателей в области токена; загрузка файлов "
                   "теми же правилами, что и в браузере. Руководство: docs/api.md.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": ["api.authentication.TokenAuthentication"],
    "SERVE_PERMISSIONS": ["api.permissions.TokenCapability"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RouteStatusEnum": "routes.models.Route.Status",
        "StaffStatusEnum": "schools.models.StaffMember.Status",
        "DeficitStatusEnum": "diagnostics.models.Deficit.Status",
        "OrganisationKindEnum": "schools.models.Organisation.Kind",
        "ImportJobStatusEnum": ["queued", "running", "done", "failed"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "security": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "loggers": {
        "iom.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
        "iom.operations": {"handlers": ["security"], "level": "INFO", "propagate": False},
        # a failing part is in /healthz's answer; only a check's own crash is worth a log line
        "health_check": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
    },
}
