"""Settings read the environment and fail loudly on a bad value."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {
        "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "TIME_ZONE", "SESSION_IDLE_SECONDS", "PORTAL_BASE_URL"}}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "iom_portal.settings"
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG, s.TIME_ZONE, s.EMAIL_BACKEND)")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)


def test_embedded_default_needs_no_variable():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    engine, eager, debug, tz, email = result.stdout.split()
    assert engine.endswith("sqlite3") and eager == "True" and debug == "True"
    assert tz == "Europe/Moscow" and email.endswith("console.EmailBackend")


def test_production_reads_database_and_redis():
    result = load_settings(DATABASE_URL="postgres://u:p@db.example:5432/iom", REDIS_URL="redis://r:6379/0",
                           SECRET_KEY="x" * 50, TIME_ZONE="Asia/Krasnoyarsk", PORTAL_BASE_URL="https://iom.example.ru")
    assert result.returncode == 0, result.stderr
    engine, eager, debug, tz, _ = result.stdout.split()
    assert engine.endswith("postgresql") and eager == "False" and debug == "False" and tz == "Asia/Krasnoyarsk"


@pytest.mark.parametrize("env, message", [
    ({"DATABASE_URL": "postgres://u@h/db"}, "SECRET_KEY is required"),
    ({"TIME_ZONE": "Mars/Olympus"}, "is not a known time zone"),
    ({"DEBUG": "maybe"}, "DEBUG must be a boolean"),
    ({"SESSION_IDLE_SECONDS": "half an hour"}, "SESSION_IDLE_SECONDS must be an integer"),
    ({"DATABASE_URL": "nonsense://", "SECRET_KEY": "x" * 50}, "DATABASE_URL is not a valid database URL"),
    # production sends e-mails and calendar feeds with links: to the portal's named address, never a guess
    ({"DATABASE_URL": "postgres://u@h/db", "SECRET_KEY": "x" * 50}, "PORTAL_BASE_URL is required"),
    ({"PORTAL_BASE_URL": "iom.example.ru"}, "PORTAL_BASE_URL must be the portal's address"),
    ({"PORTAL_BASE_URL": "ftp://iom.example.ru"}, "PORTAL_BASE_URL must be the portal's address"),
    ({"PORTAL_BASE_URL": "https://iom.example.ru/portal/"}, "PORTAL_BASE_URL must be the portal's address"),
])
def test_a_bad_value_stops_the_start_with_a_clear_message(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_production_survives_its_services_blinking():
    """docs/operations.md: connections checked before reuse, sessions in the database (a Redis outage
    logs nobody out), a cache that gives up in milliseconds, a worker that reconnects for ever."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"}}
    clean.update(DATABASE_URL="postgres://u:p@db.example:5432/iom", REDIS_URL="redis://r:6379/0", SECRET_KEY="x" * 50,
                 DJANGO_SETTINGS_MODULE="iom_portal.settings")
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "o = s.CACHES['default']['OPTIONS']; "
            "print(s.DATABASES['default']['CONN_HEALTH_CHECKS'], s.SESSION_ENGINE, o['socket_connect_timeout'], "
            "o['retry'].get_retries(), s.CELERY_BROKER_CONNECTION_MAX_RETRIES, s.EMAIL_TIMEOUT)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.contrib.sessions.backends.db", "1", "1", "None", "30"]


def test_the_retry_settings_refuse_nonsense():
    result = load_settings(EMAIL_MAX_ATTEMPTS="0")
    assert result.returncode != 0 and "EMAIL_MAX_ATTEMPTS must be at least 1" in result.stderr


def _settings_value(expression: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"}
             and not k.startswith(("MEDIA_S3_", "METRICS_", "WORKER_METRICS_"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="iom_portal.settings")
    code = f"import django; django.setup(); from django.conf import settings as s; print({expression})"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)


def test_media_is_on_local_disk_unless_a_bucket_is_named():
    result = _settings_value("s.STORAGES['default']['BACKEND']")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.files.storage.FileSystemStorage"


def test_a_bucket_puts_media_on_s3_private_and_never_overwritten():
    result = _settings_value(
        "(s.STORAGES['default']['BACKEND'], sorted((k, str(v)) for k, v in s.STORAGES['default']['OPTIONS'].items() "
        "if k != 'client_config'), s.STORAGES['default']['OPTIONS']['client_config'].s3)",
        MEDIA_S3_BUCKET="iom-media", MEDIA_S3_ENDPOINT_URL="https://s3.example.ru", MEDIA_S3_ACCESS_KEY_ID="id",
        MEDIA_S3_SECRET_ACCESS_KEY="secret", MEDIA_S3_REGION="ru-central1", MEDIA_S3_PREFIX="portal")
    assert result.returncode == 0, result.stderr
    backend, options, s3 = eval(result.stdout)  # noqa: S307 (our own print of plain values)
    options = dict(options)
    assert backend == "storages.backends.s3.S3Storage"
    assert options["bucket_name"] == "iom-media" and options["endpoint_url"] == "https://s3.example.ru"
    assert options["access_key"] == "id" and options["secret_key"] == "secret" and options["region_name"] == "ru-central1"
    assert options["location"] == "portal" and options["default_acl"] == "None" and options["file_overwrite"] == "False"
    assert s3 == {"addressing_style": "path"}  # an own endpoint (MinIO, Ceph, a cloud's S3) answers by path


@pytest.mark.parametrize("env, message", [
    ({"MEDIA_S3_ENDPOINT_URL": "https://s3.example.ru"}, "MEDIA_S3_BUCKET is required"),
    ({"MEDIA_S3_BUCKET": "b", "MEDIA_S3_ACCESS_KEY_ID": "id"}, "MEDIA_S3_SECRET_ACCESS_KEY"),
    ({"MEDIA_S3_BUCKET": "b", "MEDIA_S3_ENDPOINT_URL": "s3.example.ru"}, "MEDIA_S3_ENDPOINT_URL must be"),
    ({"MEDIA_S3_BUCKET": "b", "MEDIA_S3_ADDRESSING_STYLE": "sideways"}, "MEDIA_S3_ADDRESSING_STYLE must be"),
    ({"METRICS_ALLOWED_IPS": "10.0.0.300"}, "METRICS_ALLOWED_IPS"),
    ({"METRICS_TOKEN": "short"}, "METRICS_TOKEN must be at least"),
])
def test_bad_media_and_metrics_values_stop_the_start(env, message):
    result = _settings_value("1", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


PRODUCTION = {"DATABASE_URL": "postgres://u:p@db.example:5432/iom", "SECRET_KEY": "x" * 50,
              "PORTAL_BASE_URL": "https://iom.example.ru"}


def test_without_a_replica_url_there_is_one_database_and_no_router():
    result = _settings_value("sorted(s.DATABASES), s.DATABASE_ROUTERS", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["['default']", "[]"]


def test_a_replica_url_adds_the_replica_with_the_primary_s_connection_settings_and_the_router():
    result = _settings_value(
        "(lambda r: (r['HOST'], r['PORT'], r['NAME'], r['CONN_MAX_AGE'], r['CONN_HEALTH_CHECKS'], "
        "r['OPTIONS']['options'], r['TEST'], s.DATABASE_ROUTERS))(s.DATABASES['replica'])",
        DATABASE_REPLICA_URL="postgres://u:p@standby.example:5433/iom", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    host, port, name, age, checks, options, test, routers = eval(result.stdout)  # noqa: S307 (our own print)
    assert (host, port, name, age, checks) == ("standby.example", 5433, "iom", 60, True)
    assert options == "-c jit=off -c random_page_cost=1.1"
    # the test database mirrors it: pytest-django makes no second database
    assert test["MIRROR"] == "default" and routers == ["core.db_router.ReplicaRouter"]


@pytest.mark.parametrize("url, message", [
    ("nonsense://", "DATABASE_REPLICA_URL is not a valid database URL"),
    ("sqlite:////tmp/replica.sqlite3", "must name the same kind of database"),
])
def test_a_bad_replica_url_stops_the_start(url, message):
    result = _settings_value("1", DATABASE_REPLICA_URL=url, **PRODUCTION)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr
