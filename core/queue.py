"""Handing work to Celery without depending on the broker being up.

Every queued thing (a report job, an import job, an e-mail) is a database row first. The row is
the truth; the broker message only says "look at row X now". So:

- `publish_on_commit(task, row)` queues the task once the transaction commits, and records
  when the broker took the message (`dispatched_at`). If the broker is down the request does not
  fail: the row stays «в очереди» with `dispatched_at` empty, and the page says so.
- each app's periodic re-queue (`<app>.tasks.requeue_*`, run by Celery beat every minute and
  when a worker starts) publishes again the rows nobody took; a task run twice for one row is
  harmless because every task claims its row before working on it.

`QueuedJob` gives the job models (reports.ReportJob, core.imports.ImportJob) their common fields, the
"delayed" rule the pages and /healthz/queue use, and the claim that makes a second delivery harmless.
"""

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from core.outages import broker

log = logging.getLogger(__name__)


class QueuedJob(models.Model):
    """A row worked off by a Celery task. The model declares its own `status` (with the values "queued",
    "running", "done" and "failed"; their labels are its own) and its `requester`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    queued_at = models.DateTimeField("поставлено в очередь", default=timezone.now)
    dispatched_at = models.DateTimeField("передано исполнителю", null=True, blank=True)
    error = models.TextField("ошибка", blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The Celery task id of the delivery that claimed the job: a redelivery of that same message
    # (its worker was lost) may take the job over; any other delivery leaves a running job alone.
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in ("queued", "running")

    @classmethod
    def claim(cls, pk: str, task_id: str | None, **changes):
        """Move the job to "running" (with `changes` besides) unless it is done, failed or running
        elsewhere, and return it; None when this delivery has nothing to do (so a second one is harmless).

        A job left running by the same task id is taken over: with acks_late and reject_on_worker_lost,
        the broker hands the message out again only once the worker that held it is gone, so nobody
        else is still working on it. One running longer than the hard time limit is taken over too.
        """
        stale = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
        with transaction.atomic():
            job = cls.objects.select_for_update().filter(pk=pk).select_related("requester").first()
            if job is None or job.status in ("done", "failed"):
                return None
            redelivered = bool(task_id) and job.task_id == task_id
            if job.status == "running" and job.started_at and job.started_at > stale and not redelivered:
                return None
            job.status, job.started_at, job.task_id = "running", timezone.now(), task_id or ""
            job.attempts += 1
            for name, value in changes.items():
                setattr(job, name, value)
            job.save(update_fields=["status", "started_at", "task_id", "attempts", *changes])
        return job

    def fail(self, message: str) -> None:
        """Mark the job failed with the message its page shows (cut to 2 000 characters)."""
        type(self).objects.filter(pk=self.pk).update(status="failed", error=message[:2000], finished_at=timezone.now())

    @classmethod
    def delay_threshold(cls, now: dt.datetime | None = None) -> dt.datetime:
        return (now or timezone.now()) - dt.timedelta(minutes=settings.QUEUE_DELAY_MINUTES)

    @property
    def is_waiting(self) -> bool:
        return self.status == "queued"

    @property
    def is_delayed(self) -> bool:
        """Waiting longer than QUEUE_DELAY_MINUTES: the worker is down or the queue is jammed."""
        return self.is_waiting and self.queued_at is not None and self.queued_at <= self.delay_threshold()

    @property
    def is_undispatched(self) -> bool:
        """The broker did not take the job yet (it was down when the job was ordered)."""
        return self.is_waiting and self.dispatched_at is None

    @classmethod
    def delayed(cls, now: dt.datetime | None = None):
        return cls.objects.filter(status="queued", queued_at__lte=cls.delay_threshold(now))


def publish(task, *args, **options) -> bool:
    """Send the task to the broker; False (logged once per outage) if the broker cannot take it.

    Never raises: the caller's row is the record of the work, and the re-queue sends it later.
    """
    if task.app.conf.task_always_eager:
        task.apply_async(args=args, **options)  # in-process: the task's own errors are the caller's to see
        return True
    if broker.is_down():
        return False
    try:
        task.apply_async(args=args, **options)
    except Exception as exc:  # kombu's OperationalError, redis' and socket errors, whatever the transport says
        broker.failed(exc)
        return False
    broker.succeeded()
    return True


def publish_now(task, row: models.Model) -> bool:
    """Publish the task for this row and record that the broker has it."""
    if not publish(task, str(row.pk)):
        return False
    try:
        type(row).objects.filter(pk=row.pk).update(dispatched_at=timezone.now())
    except Exception:  # the database blinked just now: the re-queue publishes it again, harmlessly
        log.warning("could not record the dispatch of %s %s", type(row).__name__, row.pk, exc_info=True)
    return True


def publish_on_commit(task, row: models.Model) -> None:
    # robust: whatever happens after the commit (the database blinking as dispatched_at is written)
    # is logged, never a 500 for a write that is done
    transaction.on_commit(lambda: publish_now(task, row), robust=not task.app.conf.task_always_eager)


def requeue(task, queryset, *, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Publish again the rows of `queryset` (status "queued") that the broker never took, or took more
    than QUEUE_REQUEUE_MINUTES ago without any worker starting them. Returns how many were sent."""
    now = now or timezone.now()
    stale = now - dt.timedelta(minutes=settings.QUEUE_REQUEUE_MINUTES)
    rows = list(queryset.filter(models.Q(dispatched_at__isnull=True) | models.Q(dispatched_at__lte=stale))
                .order_by("queued_at")[:limit])
    sent = 0
    for row in rows:
        if not publish_now(task, row):
            break  # the broker is down: the next run tries again
        sent += 1
    if sent:
        from core.logging import operations_log

        operations_log.info("requeued", extra={"model": queryset.model.__name__, "count": sent})
    return sent
