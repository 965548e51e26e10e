"""Recovery of report jobs: a Celery worker process killed (SIGKILL) in the middle of a report
job loses nothing — the message is not acknowledged (acks_late), the pool rejects it back to the
queue when its process dies (reject_on_worker_lost), a new process takes it, and the job ends
DONE exactly once, with one file. Needs Redis and PostgreSQL (a worker process shares the
database with the test): .ci/run provides both."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from reports.models import ReportJob
from reports.tasks import build_report_job
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

QUEUE = f"iom-recovery-{os.getpid()}"
ROOT = Path(settings.BASE_DIR)

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.skipif(not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL", "").startswith("postgres")),
                       reason="needs REDIS_URL and a PostgreSQL DATABASE_URL (a real worker process)"),
]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


@pytest.fixture
def prefork_worker(settings, tmp_path):
    """A worker of its own (prefork, one process) on a queue of its own, so nothing else takes the job."""
    db = connection.settings_dict
    env = {**os.environ, "MEDIA_ROOT": str(settings.MEDIA_ROOT), "SECRET_KEY": os.environ.get("SECRET_KEY", "t"),
           "DATABASE_URL": f"postgres://{db['USER']}{':' + db['PASSWORD'] if db.get('PASSWORD') else ''}"
                           f"@{db['HOST']}:{db['PORT']}/{db['NAME']}"}
    name = f"recovery-{os.getpid()}@localhost"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "iom_portal", "worker", "--pool=prefork", "--concurrency=1",
         "-Q", QUEUE, "-n", name, "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=(tmp_path / "worker.log").open("w"),
    )
    from iom_portal.celery import app

    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[name], timeout=1):
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail("the recovery test's worker did not start")
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def _wait(job, condition, seconds: float, step: float = 0.01) -> ReportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if condition(job):
            return job
        time.sleep(step)
    pytest.fail(f"job {job.pk} still {job.status} ({job.progress}%) after {seconds} s")


@pytest.mark.django_db(transaction=True)
def test_a_report_job_survives_the_kill_of_its_worker_process_and_completes_once(prefork_worker, settings):
    world = World()
    for staff in (world.teacher_staff, world.colleague, world.deputy_staff):
        ActivityFactory(route=RouteFactory(person=staff, academic_year="2022-2023", status="completed"))
    job = ReportJob.objects.create(
        requester=world.user("municipal_methodist"), kind="coverage", format="pdf",
        params={"municipality_id": world.municipality.pk, "years": ["2021-2022", "2022-2023"]},
    )
    build_report_job.apply_async(args=[str(job.pk)], queue=QUEUE)

    _wait(job, lambda j: j.status == ReportJob.Status.RUNNING, 60)
    [child] = _children(prefork_worker.pid)
    os.kill(child, signal.SIGKILL)
    assert job.status == ReportJob.Status.RUNNING and not job.file  # killed in the middle of the job

    # A coverage PDF takes a few seconds here; 60 s is plenty for the second attempt.
    done = _wait(job, lambda j: j.status in (ReportJob.Status.DONE, ReportJob.Status.FAILED), 60, step=0.2)
    assert done.status == ReportJob.Status.DONE, done.error
    assert done.attempts == 2 and done.progress == 100
    assert _children(prefork_worker.pid) and _children(prefork_worker.pid) != [child]  # a new process took it
    # the worker's media folder is shared by runs: look at this job's files only
    files = sorted(p.name for p in (Path(settings.MEDIA_ROOT) / "reports").iterdir() if p.name.startswith(str(job.pk)))
    assert files == [f"{job.pk}.pdf"]
    assert Path(done.file.path).read_bytes()[:5] == b"%PDF-"

    # A late duplicate delivery of the same message changes nothing.
    finished = done.finished_at
    assert build_report_job(str(job.pk)) == "skipped"
    done.refresh_from_db()
    assert done.finished_at == finished and done.attempts == 2
