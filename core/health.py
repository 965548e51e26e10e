"""The state of the queue for the monitoring (/healthz/queue) and the administrator's home page.

Work waits in the database (core/queue.py), so "the worker is down" shows as rows waiting longer
than QUEUE_DELAY_MINUTES, whatever the reason: no worker, a jammed queue, the broker down.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from core.models import OutgoingEmail
from core.queue import QueuedJob


@dataclass
class QueueReport:
    delayed_jobs: dict[str, int] = field(default_factory=dict)  # verbose name plural → count
    delayed_emails: int = 0
    failed_emails: int = 0
    broker_error: str = ""

    @property
    def ok(self) -> bool:
        return not (sum(self.delayed_jobs.values()) or self.delayed_emails or self.broker_error)

    @property
    def summary(self) -> str:
        return "в порядке" if self.ok else "очередь задерживается"

    @property
    def lines(self) -> list[str]:
        minutes = settings.QUEUE_DELAY_MINUTES
        lines = [f"{name}: {count} ждут дольше {minutes} мин" for name, count in self.delayed_jobs.items() if count]
        if self.delayed_emails:
            lines.append(f"письма: {self.delayed_emails} ждут дольше {minutes} мин")
        if self.failed_emails:
            lines.append(f"письма, не доставленные после последней попытки: {self.failed_emails}")
        if self.broker_error:
            lines.append(f"брокер заданий (Redis) не отвечает: {self.broker_error}")
        return lines


def job_models() -> list[type[QueuedJob]]:
    return [model for model in apps.get_models() if issubclass(model, QueuedJob)]


def delayed_emails(now: dt.datetime | None = None) -> int:
    threshold = (now or timezone.now()) - dt.timedelta(minutes=settings.QUEUE_DELAY_MINUTES)
    return OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=threshold).count()


def failed_emails() -> int:
    return OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED).count()


def broker_error() -> str:
    """Empty if the broker answers a ping (Redis), else why not; the embedded default has no broker."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return ""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except (redis.RedisError, OSError) as exc:
        return f"{type(exc).__name__}: {exc}"[:200]
    return ""


def queue_report(*, check_broker: bool = True) -> QueueReport:
    now = timezone.now()
    return QueueReport(
        delayed_jobs={str(model._meta.verbose_name_plural): model.delayed(now).count() for model in job_models()},
        delayed_emails=delayed_emails(now),
        failed_emails=failed_emails(),
        broker_error=broker_error() if check_broker else "",
    )
