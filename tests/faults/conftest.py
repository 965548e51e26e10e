"""Real processes for the fault tests (issue 21, docs/operations.md): a Redis server of the test's
own on a free port (stopped and started by the test), Celery workers on it (killed and restarted),
a local SMTP server (aiosmtpd) that starts late, and this process's cache and broker pointed at
that Redis. Nothing here touches the machine's shared Redis or PostgreSQL servers; the only
PostgreSQL connections ever terminated are this run's own (pg_terminate_backend by pid or by an
application_name of this run).

Transactional tests here say serialized_rollback=True in their mark: pytest-django decides from
the marks alone whether to keep a copy of the migrated data, and these files run on their own too.

Tests that need these processes skip on the embedded default and fail under
IOM_REQUIRE_SERVICES=1 (.ci/run) when a piece is missing, as the suite's own worker does.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_SERVICES, ROOT, WORKER_MEDIA

REDIS_SERVER = shutil.which("redis-server")
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")

# The marks of a test that needs real processes against a PostgreSQL shared with them.
needs_processes = [
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.skipif(not (os.environ.get("REDIS_URL") and ON_POSTGRES),
                       reason="needs REDIS_URL and a PostgreSQL DATABASE_URL (real worker processes): .ci/run"),
]


def real_processes(test):
    """The marks of `needs_processes` on one test (its module's other tests run everywhere)."""
    for mark in needs_processes:
        test = mark(test)
    return test


def missing(what: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} (IOM_REQUIRE_SERVICES=1)")
    pytest.skip(what)


def free_port() -> int:
    """A port nothing listens on (now): the kernel's choice, closed again at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, seconds: float, what: str, step: float = 0.1):
    """Poll until `condition()` is truthy and return it; a state that never comes fails the test."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {seconds} s")
        time.sleep(step)


class RedisServer:
    """redis-server on a free port with its data in `directory`; `stop(save=True)` keeps its data
    for the next start, as production's appendonly Redis does."""

    def __init__(self, directory: Path):
        if REDIS_SERVER is None:
            missing("redis-server is not installed (Debian package redis-server, the Makefile installs it)")
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1, socket_timeout=5)

    def answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except Exception:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory), "--dbfilename", "dump.rdb", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=(self.directory / "redis.log").open("a"),
        )
        wait_until(self.answers, 20, f"redis-server on port {self.port} answering")

    def stop(self, *, save: bool = False) -> None:
        if self.process is None:
            return
        import redis

        try:
            self.client().shutdown(save=save, nosave=not save)
        except redis.RedisError:
            pass  # the server closes the connection as it goes
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def module_redis(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


def _switch_broker(app, url: str) -> None:
    app.conf.broker_url = url
    app._after_fork()  # forgets the connection and producer pools of the old URL


@contextmanager
def portal_on_redis(settings, url: str):
    """This test process's figure cache and Celery broker on `url`, publishing for real (not eager)."""
    from core import cache as figure_cache
    from core import outages
    from iom_portal.celery import app
    from iom_portal.settings import redis_cache_config

    previous = app.conf.broker_url
    settings.CACHES = {"default": redis_cache_config(url)}
    settings.CELERY_BROKER_URL = url  # read by core.health
    _switch_broker(app, url)
    app.conf.task_always_eager = False
    outages.reset_all()
    figure_cache._missed_bumps = False
    try:
        yield
    finally:
        _switch_broker(app, previous)
        outages.reset_all()
        figure_cache._missed_bumps = False


def database_url(application_name: str) -> str:
    """The test database for a subprocess, its connections named so this run can find them."""
    from django.db import connection

    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
            f"?application_name={application_name}")


class Worker:
    """`celery worker --pool=solo` on `broker_url`, with extra environment (SMTP, retry pauses);
    `pool="prefork"` runs one child process, as production's workers do."""

    def __init__(self, broker_url: str, log: Path, *, pool: str = "solo", **env):
        self.pool = pool
        self.name = f"fault-{os.getpid()}-{id(self)}@localhost"
        self.application_name = f"iom-fault-{os.getpid()}-{id(self) % 100000}"
        self.broker_url = broker_url
        self.log = log
        self.env = {**os.environ, "REDIS_URL": broker_url, "DATABASE_URL": database_url(self.application_name),
                    "SECRET_KEY": os.environ.get("SECRET_KEY", "fault-test-secret"), "MEDIA_ROOT": str(WORKER_MEDIA),
                    **{k: str(v) for k, v in env.items()}}
        self.process: subprocess.Popen | None = None

    def start(self, *, wait: bool = True) -> None:
        """Start; with `wait`, until it answers a ping (a solo worker busy with a task cannot answer)."""
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "iom_portal", "worker", f"--pool={self.pool}", "--concurrency=1",
             "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", self.name],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log.open("a"),
        )
        if not wait:
            return
        from iom_portal.celery import app

        def answers():
            if self.process.poll() is not None:
                pytest.fail(f"the fault test's worker exited ({self.log.read_text()[-2000:]})")
            try:
                return app.control.ping(destination=[self.name], timeout=1)
            except Exception:
                return False

        wait_until(answers, 60, "the fault test's worker answering a ping")

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no goodbye to the broker."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=20)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@pytest.fixture
def start_worker(tmp_path):
    """start_worker(broker_url, pool=…, **env) → a started Worker; every one is stopped at the end."""
    started = []

    def start(broker_url: str, *, wait: bool = True, pool: str = "solo", **env) -> Worker:
        worker = Worker(broker_url, tmp_path / f"worker-{len(started)}.log", pool=pool, **env)
        started.append(worker)
        worker.start(wait=wait)
        return worker

    yield start
    for worker in started:
        worker.stop()


class SmtpServer:
    """aiosmtpd on a port chosen up front, started when the test says: until then the port is closed."""

    def __init__(self):
        try:
            import aiosmtpd  # noqa: F401
        except ImportError:
            missing("aiosmtpd is not installed (requirements-dev.txt)")
        self.port = free_port()
        self.messages: list = []
        self._lock = threading.Lock()
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        server = self

        class Handler:
            async def handle_DATA(self, smtp, session, envelope):  # noqa: N802 (aiosmtpd's name)
                with server._lock:
                    server.messages.append(envelope)
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def received_by(self, address: str) -> list:
        with self._lock:
            return [m for m in self.messages if address in m.rcpt_tos]

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    yield server
    server.stop()
