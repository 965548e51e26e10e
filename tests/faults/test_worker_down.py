"""The Celery worker down (issue 21): queued jobs wait in the database, a job waiting longer than
QUEUE_DELAY_MINUTES says «Очередь задерживается» to its requester, /healthz/queue fails and the
administrator's home page says so; when a worker starts, every waiting job runs exactly once,
also a job whose message was sent twice (the re-queue ran while no worker was there).

The first tests need no worker (they run everywhere); the last ones kill and restart a real one.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import OutgoingEmail
from reports import services
from reports.models import ReportJob
from reports.tasks import requeue_report_jobs
from tests.faults.conftest import portal_on_redis, real_processes, wait_until
from tests.world import World

YEARS = ["2021-2022", "2022-2023"]


def order(w) -> ReportJob:
    return services.report_job_create(user=w.user("municipal_methodist"), kind="coverage", fmt="xlsx",
                                      params={"municipality_id": w.municipality.pk, "years": YEARS})


def waited(job, minutes: int) -> None:
    ReportJob.objects.filter(pk=job.pk).update(queued_at=timezone.now() - dt.timedelta(minutes=minutes))


@pytest.mark.django_db
def test_a_job_waiting_longer_than_the_limit_tells_its_requester_and_fails_the_health_check(client):
    w = World()
    job = order(w)  # queued; no worker takes it (the commit callbacks never run here)
    client.force_login(w.user("municipal_methodist"))
    assert "Очередь задерживается" not in client.get(reverse("reports:index")).content.decode()
    assert client.get(reverse("healthz_queue")).status_code == 200

    waited(job, django_settings.QUEUE_DELAY_MINUTES + 1)
    page = client.get(reverse("reports:index")).content.decode()
    assert "Очередь задерживается" in page and "оно сохранено и будет выполнено" in page
    health = client.get(reverse("healthz_queue"))
    assert health.status_code == 503
    assert "заказы отчетов: 1 ждут дольше" in health.content.decode()


@pytest.mark.django_db
def test_the_administrators_home_page_names_the_delayed_queue_and_the_undelivered_mail(client):
    w = World()
    waited(order(w), django_settings.QUEUE_DELAY_MINUTES + 1)
    OutgoingEmail.objects.create(to="a@example.org", subject="s", body="b", status=OutgoingEmail.Status.FAILED)
    client.force_login(w.user("admin"))
    home = client.get(reverse("home")).content.decode()
    assert "Очередь задерживается" in home and "Письма не доставлены" in home
    for role in ("teacher", "deputy", "municipal_methodist"):  # the alert is the administrator's
        client.force_login(w.user(role))
        assert "Очередь задерживается" not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_an_import_job_waiting_too_long_says_so_too():
    from core.imports.models import ImportJob

    w = World()
    job = ImportJob.objects.create(requester=w.user("admin"), kind="staff", token="7d1f0c5e-6a8e-4d0e-9d3c-2f6d8f1c0a11",
                                   filename="staff.xlsx", phase=ImportJob.Phase.CHECK,
                                   queued_at=timezone.now() - dt.timedelta(minutes=django_settings.QUEUE_DELAY_MINUTES + 1))
    from django.template.loader import render_to_string

    html = render_to_string("core/_queue_note.html", {"job": job})
    assert "Очередь задерживается" in html


# ------------------------------------------------------------------ a real worker, killed and restarted


def _job_files(job) -> list[str]:
    folder = Path(django_settings.MEDIA_ROOT) / "reports"
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(str(job.pk))) if folder.exists() else []


@real_processes
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_jobs_queued_while_the_worker_is_down_run_exactly_once_when_it_starts(module_redis, start_worker, settings):
    w = World()
    with portal_on_redis(settings, module_redis.url(1)):
        worker = start_worker(module_redis.url(1))
        worker.kill()  # the worker dies: no warm shutdown
        first, second = order(w), order(w)  # committed (a transactional test): handed to the broker
        for job in (first, second):
            job.refresh_from_db()
            assert job.status == ReportJob.Status.QUEUED and job.dispatched_at is not None
        # an hour later: the requester is told, the monitoring fails, beat's re-queue sends both again
        for job in (first, second):
            waited(job, 60)
        ReportJob.objects.update(dispatched_at=timezone.now() - dt.timedelta(minutes=60))
        methodist = Client()
        methodist.force_login(w.user("municipal_methodist"))
        assert "Очередь задерживается" in methodist.get(reverse("reports:index")).content.decode()
        assert methodist.get(reverse("healthz_queue")).status_code == 503
        assert requeue_report_jobs() == 2  # now each job has two messages in the queue

        start_worker(module_redis.url(1))  # the worker is back
        for job in (first, second):
            wait_until(lambda job=job: ReportJob.objects.get(pk=job.pk).status == ReportJob.Status.DONE, 120,
                       f"job {job.pk} done")
        # a last job behind the duplicates: once it is done, every message before it has been taken
        barrier = order(w)
        wait_until(lambda: ReportJob.objects.get(pk=barrier.pk).status == ReportJob.Status.DONE, 120, "barrier done")
        for job in (first, second):
            job.refresh_from_db()
            assert job.attempts == 1, "a duplicate message ran the job again"
            assert _job_files(job) == [f"{job.pk}.xlsx"]
        assert methodist.get(reverse("healthz_queue")).status_code == 200
