"""Handing work to Celery without depending on the broker being up.

Every queued thing (a report job, an import job, an e-mail) is a database row first. The row is
the truth; the broker message only says "look at row X now". So:

- `publish_on_commit(task, row)` queues the task once the transaction commits, and records
  when the broker took the message (`dispatched_at`). If the broker is down the request does not
  fail: the row stays «в очереди» with `dispatched_at` empty, and the page says so.
- each app's periodic re-queue (`<app>.tasks.requeue_*`, run by Celery beat every minute and
  when a worker starts) publishes again the rows nobody took; a task run twice for one row is
  harmless because every task claims its row before working on it.

`QueuedJob` gives the models the fields and the "delayed" rule the pages and /healthz/queue use.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from core.outages import broker

log = logging.getLogger(__name__)


class QueuedJob(models.Model):
    """Fields of a row worked off by a Celery task (the model's status must have a "queued" value)."""

    queued_at = models.DateTimeField("поставлено в очередь", default=timezone.now)
    dispatched_at = models.DateTimeField("передано исполнителю", null=True, blank=True)

    class Meta:
        abstract = True

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
