"""What the monitoring asks: the parts of the portal (/healthz) and the state of the queue (/healthz/queue).

/healthz: the database, the cache, the broker, a worker and the media storage, each checked with
django-health-check's probes within HEALTHZ_TIMEOUT_SECONDS, all at once. With eager Celery (the
embedded default) there is no broker and no worker: those parts are «не используется», not failing.

/healthz/queue and the administrator's home page: work waits in the database (core/queue.py), so
"the worker is down" shows as rows waiting longer than QUEUE_DELAY_MINUTES, whatever the reason:
no worker, a jammed queue, the broker down.
"""

import asyncio
import dataclasses
import datetime as dt
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from health_check import Cache, Database, HealthCheck, Storage
from health_check.contrib.celery import Ping
from health_check.exceptions import ServiceUnavailable

from core.models import OutgoingEmail
from core.queue import QueuedJob
from core.storage import STORAGE_ERRORS


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


# /healthz

OK, FAIL, UNUSED = "ok", "fail", "unused"
STATUS_TEXT = {OK: "в порядке", FAIL: "не отвечает", UNUSED: "не используется"}
PART_LABELS = {
    "database": "база данных",
    "cache": "кэш сводок",
    "broker": "брокер заданий",
    "worker": "исполнитель заданий",
    "storage": "хранилище файлов",
}


@dataclass(frozen=True)
class PartState:
    name: str
    status: str
    detail: str = ""  # why it failed: for the monitoring and the administrator, never for anyone
    seconds: float = 0.0

    @property
    def label(self) -> str:
        return PART_LABELS[self.name]

    @property
    def text(self) -> str:
        return STATUS_TEXT[self.status]


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker (Redis) answers a ping."""

    def run(self):
        if error := broker_error():
            raise ServiceUnavailable(error)


@dataclasses.dataclass
class Worker(Ping):
    """A worker answers a ping over the broker within the timeout and consumes the task queue.

    A control ping, not a task: a worker whose processes are all busy with long reports still answers
    (its main process does), where a ping task would wait behind the reports. Without a broker no
    worker can be reached: that is said at once rather than after the timeout.
    """

    def run(self):
        if error := broker_error():
            raise ServiceUnavailable(f"the broker does not answer, so no worker can be reached ({error})")
        super().run()


@dataclasses.dataclass
class MediaStorage(Storage):
    """A file written, read back and deleted on the media storage (the disk or the S3 bucket)."""

    def get_file_name(self):
        return f"healthz/{uuid.uuid4().hex}.txt"

    def run(self):
        try:
            super().run()
        except STORAGE_ERRORS as exc:  # the disk's OSError, boto3's errors: the storage is away, not a bug
            raise ServiceUnavailable(f"{type(exc).__name__}: {exc}"[:300]) from exc


def _checks() -> dict[str, HealthCheck | None]:
    from celery import current_app

    timeout = dt.timedelta(seconds=settings.HEALTHZ_TIMEOUT_SECONDS)
    eager = current_app.conf.task_always_eager  # tasks run in the web process: no broker, no worker
    checks = {
        "database": Database(),
        "cache": Cache(timeout=timeout),
        "broker": None if eager else Broker(),
        "worker": None if eager else Worker(app=current_app, timeout=timeout, limit=1),
        "storage": MediaStorage(),
    }
    for check in checks.values():
        if check is not None:
            check.timeout = timeout  # each check gets this long (and a second more to report)
    return checks


def check_parts() -> list[PartState]:
    """Every part, checked at the same time; a part that does not finish in time has failed.

    A check that hangs (a database host that never answers the connection) is left to its thread:
    the answer does not wait for it.
    """
    checks = _checks()
    active = {name: check for name, check in checks.items() if check is not None}
    executor = ThreadPoolExecutor(max_workers=len(active), thread_name_prefix="healthz")

    async def run_all():
        return await asyncio.gather(*(check.get_result(executor) for check in active.values()))

    try:
        results = dict(zip(active, asyncio.run(run_all()), strict=True))
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
    states = []
    for name in checks:
        result = results.get(name)
        if result is None:
            states.append(PartState(name, UNUSED))
        elif result.error is None:
            states.append(PartState(name, OK, seconds=result.time_taken))
        else:
            states.append(PartState(name, FAIL, detail=str(result.error)[:500], seconds=result.time_taken))
    return states


def summary_lines(parts: list[PartState], *, details: bool) -> list[str]:
    """Russian text: «в порядке» or «не в порядке: …» naming the failing parts, then one line a part."""
    failing = [part.label for part in parts if part.status == FAIL]
    lines = [f"не в порядке: {', '.join(failing)}" if failing else "в порядке"]
    for part in parts:
        line = f"{part.label}: {part.text}"
        if details and part.detail:
            line += f" — {part.detail}"
        lines.append(line)
    return lines
