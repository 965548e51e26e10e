"""Which imports run as Celery jobs, and starting one.

A file is checked (preview) and written in its request while that takes a second or two. Above
the thresholds below it would hold a web worker for tens of seconds (50 000 rows take about a
minute to check and write), so the check and the write each run as an ImportJob worked off by
core/imports/tasks.py, and the browser polls the job's progress page. The thresholds are read
from the file without parsing it: its size, the lines of a CSV, and the unpacked size of an
XLSX's sheets from its zip directory (about 500–800 bytes of sheet XML per row of 15 columns).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.imports.engine import ImportKind
from core.imports.models import ImportJob
from core.imports.reading import UnreadableFile, text_size
from core.queue import publish_on_commit

ASYNC_BYTES = 1024 * 1024  # a file larger than this is a job
ASYNC_ROWS = 2000  # a CSV with more lines than this is a job
ASYNC_TEXT_BYTES = 1024 * 1024  # an XLSX whose sheets unpack to more than this is a job
KEPT_FOR = dt.timedelta(days=7)  # a job row outlives its upload (a day) for a week, then goes


def needs_job(data: bytes, filename: str) -> bool:
    if len(data) > ASYNC_BYTES:
        return True
    try:
        size = text_size(data, filename)
    except UnreadableFile:
        return False  # refused by the quick checks that open the synchronous path
    if filename.lower().endswith(".csv"):
        return data.count(b"\n") > ASYNC_ROWS
    return size > ASYNC_TEXT_BYTES


def job_start(*, user, kind: ImportKind, token: str, filename: str, phase: str) -> ImportJob:
    """The job of this upload and step, queued after commit; a job already under way is returned as it is."""
    from core.imports.tasks import run_import_job  # the task module imports this one

    with transaction.atomic():
        active = ImportJob.objects.filter(requester=user, token=token, phase=phase,
                                          status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]).first()
        if active is not None:
            return active
        ImportJob.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
        job = ImportJob.objects.create(requester=user, kind=kind.code, token=token, filename=filename[:255],
                                       phase=phase)
        publish_on_commit(run_import_job, job)  # the broker down: the job waits, core/queue.py
    return job


def job_for(user, kind: ImportKind, token: str) -> ImportJob | None:
    """The user's latest job of this upload (nobody else's)."""
    return ImportJob.objects.filter(requester=user, kind=kind.code, token=token).order_by("-created_at").first()
