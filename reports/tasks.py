"""Celery tasks of the reports app: thin — they take ids, reload, re-check access and call a builder."""

import logging
import tempfile

from celery import shared_task
from django.conf import settings
from django.core.files import File
from django.db import InterfaceError, OperationalError, connections
from django.utils import timezone

from core.db_router import reading_from_replica
from core.queue import publish_now, requeue
from reports import services
from reports.builders import ReportError, ReportParams, build
from reports.models import ReportJob

log = logging.getLogger(__name__)


def _registry_queryset(job: ReportJob):
    from reports.filters import registry_rows_for

    rows, filters = registry_rows_for(job.requester, job.params.get("filters") or {})
    if rows is None:
        raise ReportError("Фильтр реестра больше не действителен: " + "; ".join(
            str(e) for errors in filters.errors.values() for e in errors))
    return rows


def _monitor_queryset(job: ReportJob):
    from routes.monitor.filters import MonitorFilter
    from routes.monitor.selectors import monitor_years
    from schools.access import organisations_for

    user = job.requester
    filters = MonitorFilter(job.params.get("filters") or {}, user=user,
                            organisations=organisations_for(user, "route.view"), years=monitor_years(user))
    if not filters.is_valid():
        raise ReportError("Фильтр списка больше не действителен: " + "; ".join(
            str(e) for errors in filters.errors.values() for e in errors))
    return filters.qs


QUERYSETS = {"registry": _registry_queryset, "monitor": _monitor_queryset}

# The database went away under the task (a PostgreSQL restart, a terminated connection): the same
# message is sent again after a pause (5, 10, 20 … 60 s), and its claim takes the job over.
DATABASE_ERRORS = (OperationalError, InterfaceError)
DATABASE_RETRIES = 8


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def build_report_job(self, job_id: str) -> str:
    try:
        return _build(self, job_id)
    except DATABASE_ERRORS as exc:
        log.warning("report job %s: the database went away (%s), retrying", job_id, exc)
        for connection in connections.all():
            connection.close_if_unusable_or_obsolete()
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=min(60, 5 * 2 ** self.request.retries), max_retries=DATABASE_RETRIES)


def _build(self, job_id: str) -> str:
    job = ReportJob.claim(job_id, self.request.id, progress=1)
    if job is None:
        return "skipped"
    if not services.may_build(job.requester, job.kind, job.params):
        job.fail("Отчет недоступен: права заказчика изменились.")
        return "refused"
    last = [0]

    def progress(value: int) -> None:
        if value - last[0] >= 5 or value == 100:
            last[0] = value
            ReportJob.objects.filter(pk=job.pk).update(progress=min(value, 99))

    try:
        params = ReportParams.from_dict(job.params)
        # The report's reads from the read replica when one is configured (core/db_router.py);
        # the job's own progress and result are writes, on the primary.
        with reading_from_replica(), tempfile.TemporaryFile() as handle:
            extra = {"queryset": QUERYSETS[job.kind](job)} if job.kind in QUERYSETS else {}
            report = build(job.kind, job.format, params, handle, progress, **extra)
            handle.seek(0)
            if job.file:
                job.file.delete(save=False)
            job.file.save(f"{job.pk}.{job.format}", File(handle), save=False)
        job.filename = report.filename(job.format)
        job.status, job.progress, job.error = ReportJob.Status.DONE, 100, ""
        job.finished_at = timezone.now()
        job.expires_at = job.finished_at + services.file_ttl()
        job.save(update_fields=["file", "filename", "status", "progress", "error", "finished_at", "expires_at"])
        return "done"
    except ReportError as exc:
        job.fail(str(exc))
        return "failed"
    except DATABASE_ERRORS:
        raise  # not the report's fault: build_report_job tries again
    except Exception as exc:
        log.exception("report job %s failed", job.pk)
        job.fail(f"Внутренняя ошибка при построении отчета ({type(exc).__name__}). Попробуйте перезапустить; "
                 f"если ошибка повторится, сообщите администратору.")
        return "failed"


@shared_task(acks_late=True)
def requeue_report_jobs() -> int:
    """Every minute (Celery beat) and when a worker starts: hand over again the jobs nobody took.

    Queued jobs the broker never took (it was down when they were ordered) or took long ago
    without a worker starting them (a Redis restart lost its queue), and running jobs older than
    the hard time limit (their worker is gone and no redelivery came: the claim takes them over).
    """
    now = timezone.now()
    sent = requeue(build_report_job, ReportJob.objects.filter(status=ReportJob.Status.QUEUED), now=now)
    lost = now - timezone.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 5 * 60)
    for job in ReportJob.objects.filter(status=ReportJob.Status.RUNNING, started_at__lte=lost)[:100]:
        sent += publish_now(build_report_job, job)
    return sent


@shared_task(acks_late=True)
def take_snapshots() -> int:
    return services.take_snapshots()


@shared_task(acks_late=True)
def delete_expired_files() -> int:
    return services.delete_expired_files()
