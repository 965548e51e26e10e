"""The read replica on a real PostgreSQL streaming standby (issue 19, core/db_router.py, docs/capacity.md).

Two throwaway clusters of this machine's PostgreSQL binaries in a temporary directory: a primary
on a free port (the test database's schema and rows copied in with pg_dump) and a hot standby made
from it by `pg_basebackup -R` on another port. The machine's own PostgreSQL server is only read
(pg_dump of this run's test database); both clusters are stopped and removed at the end.
tests/faults/replica_scenario.py then runs report jobs with DATABASE_URL on the primary and
DATABASE_REPLICA_URL on the standby, pausing and resuming the standby's replay.

PostgreSQL only; under IOM_REQUIRE_SERVICES=1 (.ci/run) a cluster that cannot start fails the test.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.faults.conftest import ON_POSTGRES, free_port, missing, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _binaries() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
                   if p.parent.parent.name.isdigit() else 0)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Cluster:
    """One PostgreSQL cluster in `directory`, run by the postgres OS user when this process is root
    (PostgreSQL refuses to run as root)."""

    def __init__(self, bin_dir: Path, directory: Path, sockets: Path):
        self.bin, self.directory, self.sockets = bin_dir, directory, sockets
        self.port = free_port()
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.started = False

    def run(self, tool: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
        result = subprocess.run([*self.as_owner, str(self.bin / tool), *args],  # noqa: S603
                                capture_output=True, text=True, timeout=60, **kwargs)
        if result.returncode != 0:
            missing(f"{tool} {' '.join(args)} failed: {result.stderr[-1500:]}")
        return result

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.sockets} "
                   "-c fsync=off -c shared_buffers=16MB -c max_connections=30")
        self.run("pg_ctl", "-D", str(self.directory), "-o", options, "-l", str(self.directory.parent /
                 f"{self.directory.name}.log"), "-w", "-t", "30", "start")
        self.started = True

    def stop(self) -> None:
        if self.started:
            subprocess.run([*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.directory), "-m", "immediate",  # noqa: S603
                            "-w", "stop"], capture_output=True, timeout=60, check=False)
            self.started = False

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


@pytest.fixture
def primary_and_standby():
    if not ON_POSTGRES:
        missing("the read replica test needs a PostgreSQL DATABASE_URL (.ci/run)")
    bin_dir = _binaries()
    if bin_dir is None:
        missing("PostgreSQL server binaries (initdb) are not installed")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        missing("runuser is needed to run PostgreSQL as the postgres user")
    base = Path(tempfile.mkdtemp(prefix="iom-replica-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    primary = Cluster(bin_dir, base / "primary", base)
    standby = Cluster(bin_dir, base / "standby", base)
    try:
        # trust for 127.0.0.1 and replication connections: initdb's pg_hba.conf of a throwaway cluster
        primary.run("initdb", "-D", str(primary.directory), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-sync")
        primary.start()
        yield primary, standby
    finally:
        standby.stop()
        primary.stop()
        shutil.rmtree(base, ignore_errors=True)


def _copy_test_database(primary: Cluster) -> None:
    """This run's test database (migrated, with the data migrations' rows) into the primary."""
    from django.db import connection

    db = connection.settings_dict
    primary.run("createdb", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "iom")
    dump = subprocess.run(  # noqa: S603
        [shutil.which("pg_dump") or str(primary.bin / "pg_dump"), "--no-owner", "--no-privileges",
         "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"], db["NAME"]],
        capture_output=True, timeout=60, env={**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""})
    if dump.returncode != 0:
        missing(f"pg_dump of the test database failed: {dump.stderr.decode()[-1500:]}")
    primary.run("psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                "-d", "iom", input=dump.stdout.decode())


def test_report_jobs_read_from_a_streaming_standby_and_see_a_primary_write_once_it_is_replayed(
        primary_and_standby, tmp_path):
    primary, standby = primary_and_standby
    _copy_test_database(primary)
    # The standby: a base backup of the primary with its WAL streamed, -R writing primary_conninfo
    # and standby.signal; hot_standby is on by default, so it answers reads.
    primary.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "-D",
                str(standby.directory), "-R", "-X", "stream", "-c", "fast", "--no-sync")
    standby.start()

    def streaming():
        result = subprocess.run([*primary.as_owner, str(primary.bin / "psql"), "-At", "-h", "127.0.0.1",  # noqa: S603
                                 "-p", str(primary.port), "-U", "postgres", "-c",
                                 "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"],
                                capture_output=True, text=True, timeout=10, check=False)
        return result.stdout.strip() == "1"

    wait_until(streaming, 30, "the standby streaming from the primary")

    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_REPLICA_URL"}}
    env.update(DATABASE_URL=primary.url("iom"), DATABASE_REPLICA_URL=standby.url("iom"),
               SECRET_KEY=os.environ.get("SECRET_KEY", "replica-test-secret"), PORTAL_BASE_URL="http://testserver",
               MEDIA_ROOT=str(tmp_path / "media"), DJANGO_SETTINGS_MODULE="iom_portal.settings")

    def scenario(*args):
        result = subprocess.run([sys.executable, "-m", "tests.faults.replica_scenario", *args], cwd=ROOT,  # noqa: S603
                                env=env, capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr[-4000:]
        return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr

    seen, _log = scenario()

    assert seen["standby_in_recovery"] is True and seen["seeded_replayed"] is True
    assert seen["first_status"] == "done" and seen["first"] == 1
    # Replay paused: the primary has the second route, the report (read from the standby) does not,
    # and its job was still recorded as done: the job's writes went to the primary.
    assert seen["pause_state"] == "paused"
    assert seen["on_primary"] == 2
    assert seen["while_paused_status"] == "done" and seen["while_paused"] == 1
    # Replayed up to the primary's LSN: the next report sees the write.
    assert seen["replayed"] is True
    assert seen["after_replay_status"] == "done" and seen["after_replay"] == 2
    assert seen["jobs_on_primary"] == 3

    # The standby gone: the next report reads from the primary, and the log says why.
    standby.stop()
    down, log = scenario("--standby-down")
    assert down == {"replica_answers": False, "rows": 2, "status": "done"}
    assert '"service_down"' in log and '"service": "replica"' in log
