import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from core import services
from core.imports.tasks import (  # noqa: F401  (registered for the worker: core.imports is no app)
    requeue_import_jobs,
    run_import_job,
)
from core.models import OutgoingEmail
from core.queue import publish


@shared_task(bind=True, acks_late=True)
def send_email(self, email_id: int) -> str:
    """Send one e-mail of the outbox; on failure the same task comes back after a growing pause.

    The attempts are counted in the row, not by Celery, so a message sent again by the re-queue
    continues the count. Safe to run twice: a sent e-mail is not sent again (core.services._claim).
    """
    pause = services.deliver_email(int(email_id))
    if pause is None:
        return "done"
    if self.request.is_eager:
        return "retry later"  # in-process (the embedded default): the re-queue or «Отправить снова» retries
    raise self.retry(countdown=pause, max_retries=None)


@shared_task(acks_late=True)
def requeue_emails() -> int:
    """Every minute (Celery beat) and when a worker starts: e-mails whose attempt is overdue.

    Their message was lost (the broker was down when they were written, or restarted without its
    queue) or the worker was down. Each is given a new due time first, so while no worker runs,
    runs of this task do not pile up messages for one e-mail.
    """
    now = timezone.now()
    grace = dt.timedelta(minutes=settings.QUEUE_REQUEUE_MINUTES)
    stale_sending = now - dt.timedelta(seconds=2 * settings.EMAIL_TIMEOUT + 60)
    overdue = list(OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now - grace)
                   .values_list("pk", flat=True)[:500])
    overdue += list(OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENDING, claimed_at__lte=stale_sending)
                    .values_list("pk", flat=True)[:100])
    sent = 0
    for pk in overdue:
        if not publish(send_email, pk):
            break
        OutgoingEmail.objects.filter(pk=pk, status=OutgoingEmail.Status.PENDING).update(next_attempt_at=now)
        sent += 1
    return sent


@shared_task(acks_late=True)
def send_notification_email(to: str, subject: str, body: str, url: str = "") -> None:
    """Messages queued by the version before the outbox (still in Redis at an upgrade): into the outbox."""
    services.queue_email(to=to, subject=subject, body=body, url=url)
