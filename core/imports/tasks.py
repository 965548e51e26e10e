"""The Celery task of a large import: thin — it takes the job's id, reloads it, re-checks the
requester's right and runs the same `run_import` a small file runs in its request.

Safe to run twice: a job done or failed is left alone, one running elsewhere too (unless this
is the redelivery of the very message whose worker was lost: core.queue.QueuedJob.claim). The
write of a redelivered job runs the import again, which is idempotent (a row written the first
time is unchanged now), and the job is marked done in the transaction that writes the rows, so
a job never says «готово» for rows that were rolled back.
"""

import logging
import time

from celery import shared_task
from django.db import InterfaceError, OperationalError, connections
from django.utils import timezone

from core.imports import preview
from core.imports.engine import ImportResult, run_import
from core.imports.models import ImportJob
from core.imports.registry import get_kind
from core.queue import requeue

log = logging.getLogger(__name__)
PROGRESS_SECONDS = 1.0  # at most one progress write a second


def _finish(job: ImportJob, result: ImportResult) -> None:
    rows = len(result.rows)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, counts=result.counts, error="",
                                               rows_done=rows, rows_total=rows, finished_at=timezone.now())


def _reporter(job: ImportJob):
    last = {"stage": None, "at": 0.0}

    def report(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == last["stage"] and now - last["at"] < PROGRESS_SECONDS:
            return
        last.update(stage=stage, at=now)
        ImportJob.objects.filter(pk=job.pk).update(stage=stage, rows_done=done, rows_total=total)

    return report


# As for report jobs (reports/tasks.py): the database going away under the task is not the file's
# fault; the same message comes again after a pause and its claim takes the job over.
DATABASE_ERRORS = (OperationalError, InterfaceError)
DATABASE_RETRIES = 8


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def run_import_job(self, job_id: str) -> str:
    try:
        return _run(self, job_id)
    except DATABASE_ERRORS as exc:
        log.warning("import job %s: the database went away (%s), retrying", job_id, exc)
        for connection in connections.all():
            connection.close_if_unusable_or_obsolete()
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=min(60, 5 * 2 ** self.request.retries), max_retries=DATABASE_RETRIES)


@shared_task(acks_late=True)
def requeue_import_jobs() -> int:
    """Every minute (Celery beat) and when a worker starts: the queued jobs nobody took (core/queue.py)."""
    return requeue(run_import_job, ImportJob.objects.filter(status=ImportJob.Status.QUEUED))


def _run(self, job_id: str) -> str:
    job = ImportJob.claim(job_id, self.request.id)
    if job is None:
        return "skipped"
    kind = get_kind(job.kind)
    if kind is None or not kind.available_to(job.requester):
        job.fail("Загрузка недоступна: права загрузившего изменились.")
        return "refused"
    token = str(job.token)
    try:
        data = preview.load_upload(token, {"suffix": preview.suffix_of(job.filename)})
    except FileNotFoundError:
        job.fail("Файл больше не хранится (проверка хранится сутки): загрузите его снова.")
        return "failed"
    try:
        if job.phase == ImportJob.Phase.CHECK:
            result = run_import(kind, data, job.filename, user=job.requester, dry_run=True, reporter=_reporter(job))
            preview.store_result(token, result)
            _finish(job, result)
            return "checked"
        result = run_import(kind, data, job.filename, user=job.requester, reporter=_reporter(job),
                            on_written=lambda written: _finish(job, written))
    except DATABASE_ERRORS:
        raise  # run_import_job tries again
    except Exception as exc:
        log.exception("import job %s failed", job.pk)
        job.fail(f"Внутренняя ошибка при загрузке ({type(exc).__name__}): ничего не записано. Загрузите файл "
                 "снова; если ошибка повторится, сообщите администратору.")
        return "failed"
    if not result.written:
        preview.store_result(token, result)
        job.fail("Данные изменились после проверки, и в файле появились ошибки: ничего не записано.")
        ImportJob.objects.filter(pk=job.pk).update(counts=result.counts)
        return "refused"
    preview.remove_files(token)  # written and committed: the upload is not needed any more
    return "written"
