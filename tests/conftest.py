"""Test configuration: the embedded default unless DATABASE_URL / REDIS_URL are set.

With IOM_REQUIRE_SERVICES=1 (set by .ci/run) an unreachable PostgreSQL or Redis, or a worker
that does not start, fails the run instead of skipping tests.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytest_plugins = ["tests.browser", "tests.s3"]

REQUIRE_SERVICES = os.environ.get("IOM_REQUIRE_SERVICES") == "1"
# The processes tests start in production shape (a DATABASE_URL of their own: commands, a worker, a
# server) need the portal's address like production does (iom_portal/settings.py). This process read
# its settings before this file: with DATABASE_URL set, PORTAL_BASE_URL must come from the environment
# (.ci/run exports it).
os.environ.setdefault("PORTAL_BASE_URL", "http://testserver")
ROOT = Path(__file__).resolve().parent.parent
WORKER_MEDIA = ROOT / "test-artifacts" / "worker-media"


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 0), timeout=2):
            return True
    except OSError:
        return False


def pytest_configure(config):
    for name in ("DATABASE_URL", "REDIS_URL"):
        url = os.environ.get(name)
        if url and url.startswith(("postgres", "redis")) and not _reachable(url):
            message = f"{name}={url} is not reachable"
            if REQUIRE_SERVICES:
                raise pytest.UsageError(message + " (IOM_REQUIRE_SERVICES=1)")
            os.environ.pop(name)
            print(f"warning: {message}; running on the embedded default", file=sys.stderr)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached dashboard figures are keyed by municipality ids, which the next test's data reuses."""
    from django.core.cache import cache

    cache.clear()
    yield


def pytest_collection_modifyitems(config, items):
    """Every transactional test restores the database it found (serialized rollback).

    A transactional test ends with a flush, which also takes away the rows the data migrations
    loaded (activity kinds, competency groups, indicators); without a restore the next
    transactional test would run without them, depending on the order of the suite.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
            name in item.fixturenames for name in ("transactional_db", "live_server"))
        if transactional and "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")


@pytest.fixture(autouse=True)
def _test_settings(settings, request):
    # Tests speak plain HTTP to the test client and render pages without collectstatic.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    if "worker" in request.keywords:
        settings.MEDIA_ROOT = str(WORKER_MEDIA)  # the worker process writes where the test reads
    else:
        settings.MEDIA_ROOT = str(request.getfixturevalue("tmp_path") / "media")
    settings.AXES_ENABLED = "axes" in request.keywords
    from iom_portal.celery import app

    # Without the `worker` mark a task runs in-process; with it, a real worker takes it.
    eager = "worker" not in request.keywords
    app.conf.task_always_eager = eager
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


# Servers started once per session load their middleware at start, before any per-test
# override: they get plain-HTTP settings here, also when the environment is production-like.
PLAIN_HTTP = dict(SECURE_SSL_REDIRECT=False, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, started with PLAIN_HTTP settings."""
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    with override_settings(**PLAIN_HTTP):
        server = LiveServer("localhost")
        yield server
        server.stop()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real Celery worker on REDIS_URL against the test database (tests marked `worker`)."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        if REQUIRE_SERVICES:
            pytest.fail("REDIS_URL is required with IOM_REQUIRE_SERVICES=1")
        pytest.skip("REDIS_URL is not set: no real worker (the embedded default runs tasks eagerly)")
    from django.db import connection

    env = dict(os.environ)
    db = connection.settings_dict
    if db["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    env.setdefault("SECRET_KEY", "test-worker-secret")
    env["MEDIA_ROOT"] = str(WORKER_MEDIA)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "iom_portal", "worker", "--pool=solo", "--loglevel=WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"test-{os.getpid()}@%h"],
        cwd=ROOT, env=env,
    )
    from iom_portal.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if app.control.ping(timeout=1):
                break
        except Exception:  # the broker may not accept connections yet
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("the Celery worker did not answer within 60 seconds")
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
