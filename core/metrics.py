"""Prometheus metrics (prometheus_client): what the portal does and how long it takes.

- requests: `iom_http_requests_total{method, view, status}`, `iom_http_request_duration_seconds{method, view}`
  and the database time inside each, `iom_http_request_db_duration_seconds{view}` (RequestMetricsMiddleware,
  the first middleware); `view` is the URL name, so an unknown address is one label, `<unresolved>`;
- database time: every query, `iom_db_query_duration_seconds{alias}` and `iom_db_query_errors_total{alias}`,
  through Django's execute wrappers on each connection (requests and tasks alike);
- tasks: `iom_celery_task_duration_seconds{task, state}` from Celery's task_prerun/task_postrun signals;
- jobs: `iom_job_duration_seconds{job, kind, format}`, start to finish of a queued job (core.queue.QueuedJob)
  that reached "done", taken when its row is saved so: report build times are `job="reports.reportjob"`;
- queues, read from the database (the queue of record) at each scrape of /metrics:
  `iom_queue_waiting_jobs`, `iom_queue_running_jobs`, `iom_queue_delayed_jobs`,
  `iom_queue_oldest_waiting_seconds` per `queue` (the model, e.g. `reports.reportjob`, `core.outgoingemail`),
  `iom_email_failed`, and the broker's own list length `iom_celery_broker_queue_length{queue}` (Redis).

Where they are read: the web's /metrics (METRICS_TOKEN or METRICS_ALLOWED_IPS, `monitoring_allowed`), and a
worker's own port (WORKER_METRICS_PORT) for what its processes measured. Several processes (gunicorn
workers, a prefork worker's children) are added up through PROMETHEUS_MULTIPROC_DIR, prometheus_client's
multiprocess mode; without it each process shows its own figures.

Metric names are the portal's own, not django-prometheus': django-prometheus 2.5 caps Django below 6.1
and measures the database by replacing the ENGINE, which settings and core/backup.py compare by name.
"""

import contextvars
import hmac
import logging
import os
import time
from ipaddress import ip_address, ip_network

from django.conf import settings
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger(__name__)

SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
QUERY_SECONDS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)
TASK_SECONDS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800)
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUESTS = Counter("iom_http_requests_total", "Answered requests.", ["method", "view", "status"])
REQUEST_DURATION = Histogram("iom_http_request_duration_seconds", "Time to answer a request (streamed bodies "
                             "not included).", ["method", "view"], buckets=SECONDS)
REQUEST_DB = Histogram("iom_http_request_db_duration_seconds", "Database time within one request.", ["view"],
                       buckets=SECONDS)
QUERIES = Histogram("iom_db_query_duration_seconds", "Time of one database query.", ["alias"],
                    buckets=QUERY_SECONDS)
QUERY_ERRORS = Counter("iom_db_query_errors_total", "Database queries that raised.", ["alias"])
TASKS = Histogram("iom_celery_task_duration_seconds", "Time a Celery task ran, by its final state.",
                  ["task", "state"], buckets=TASK_SECONDS)
JOBS = Histogram("iom_job_duration_seconds", "Start to finish of a queued job that was done (report builds: "
                 'job="reports.reportjob").', ["job", "kind", "format"], buckets=TASK_SECONDS)

_request_db_seconds: contextvars.ContextVar[list | None] = contextvars.ContextVar("iom_request_db", default=None)


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None and match.view_name else "<unresolved>"


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        spent = [0.0]
        token = _request_db_seconds.set(spent)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            _request_db_seconds.reset(token)
        elapsed = time.perf_counter() - start
        view = _view_name(request)
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(method, view, str(response.status_code)).inc()
        REQUEST_DURATION.labels(method, view).observe(elapsed)
        REQUEST_DB.labels(view).observe(spent[0])
        return response


def _timed_query(execute, sql, params, many, context):
    alias = context["connection"].alias
    start = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    except Exception:
        QUERY_ERRORS.labels(alias).inc()
        raise
    finally:
        elapsed = time.perf_counter() - start
        QUERIES.labels(alias).observe(elapsed)
        spent = _request_db_seconds.get()
        if spent is not None:
            spent[0] += elapsed


def _instrument_connection(sender, connection, **kwargs):
    # First in the list: `connection.execute_wrapper()` blocks pop the last one when they end.
    if _timed_query not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _timed_query)


_task_started: dict[str, float] = {}


def _task_prerun(task_id=None, **kwargs):
    _task_started[task_id] = time.perf_counter()


def _task_postrun(task_id=None, task=None, state=None, **kwargs):
    start = _task_started.pop(task_id, None)
    if start is not None and task is not None:
        TASKS.labels(task.name, state or "UNKNOWN").observe(time.perf_counter() - start)


def _job_saved(sender, instance, created=False, update_fields=None, **kwargs):
    """A queued job saved as done with its finish time (the builder's last save): how long it took."""
    if created or not update_fields or "finished_at" not in update_fields:
        return
    from core.queue import QueuedJob

    if not isinstance(instance, QueuedJob) or getattr(instance, "status", None) != "done":
        return
    started, finished = getattr(instance, "started_at", None), getattr(instance, "finished_at", None)
    if started and finished:
        JOBS.labels(instance._meta.label_lower, str(getattr(instance, "kind", "")),
                    str(getattr(instance, "format", ""))).observe(max(0.0, (finished - started).total_seconds()))


def _serve_worker_metrics(sender=None, **kwargs):
    """worker_ready, in the worker's main process: its metrics on WORKER_METRICS_PORT, if set."""
    port = settings.WORKER_METRICS_PORT
    if not port:
        return
    from prometheus_client import start_http_server

    pool = getattr(sender, "pool", None)
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR") and "prefork" in type(pool).__module__:
        log.warning("WORKER_METRICS_PORT without PROMETHEUS_MULTIPROC_DIR: the tasks run in the worker's child "
                    "processes, whose figures this port does not see")
    start_http_server(port, addr=settings.WORKER_METRICS_ADDR, registry=process_registry())


def install() -> None:
    """Connect the measurements (core.apps.CoreConfig.ready): database connections, Celery, job rows."""
    from celery.signals import task_postrun, task_prerun, worker_ready
    from django.db.backends.signals import connection_created
    from django.db.models.signals import post_save

    connection_created.connect(_instrument_connection, dispatch_uid="iom-metrics-queries")
    post_save.connect(_job_saved, dispatch_uid="iom-metrics-jobs")
    task_prerun.connect(_task_prerun, weak=False, dispatch_uid="iom-metrics-task-start")
    task_postrun.connect(_task_postrun, weak=False, dispatch_uid="iom-metrics-task-end")
    worker_ready.connect(_serve_worker_metrics, weak=False, dispatch_uid="iom-metrics-worker-port")


class QueueCollector:
    """The queues as the database has them, counted when /metrics is read (one query per job table)."""

    def collect(self):
        from django.db import DatabaseError
        from django.db.models import Count, Min, Q
        from django.utils import timezone

        from core.health import delayed_emails, failed_emails, job_models
        from core.models import OutgoingEmail

        families = {name: GaugeMetricFamily(f"iom_queue_{name}", text, labels=["queue"]) for name, text in (
            ("waiting_jobs", "Queued work not started yet."),
            ("running_jobs", "Queued work being done now."),
            ("delayed_jobs", "Queued work waiting longer than QUEUE_DELAY_MINUTES."),
            ("oldest_waiting_seconds", "Age of the oldest work still waiting (0 when none waits)."),
        )}
        failed = GaugeMetricFamily("iom_email_failed", "E-mails given up after the last attempt.")
        now = timezone.now()
        try:
            for model in job_models():
                figures = model.objects.aggregate(
                    waiting=Count("pk", filter=Q(status="queued")), running=Count("pk", filter=Q(status="running")),
                    delayed=Count("pk", filter=Q(status="queued", queued_at__lte=model.delay_threshold(now))),
                    oldest=Min("queued_at", filter=Q(status="queued")))
                self._add(families, model._meta.label_lower, now, **figures)
            pending = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).aggregate(
                waiting=Count("pk"), oldest=Min("created_at"))
            self._add(families, OutgoingEmail._meta.label_lower, now, running=0, delayed=delayed_emails(now), **pending)
            failed.add_metric([], failed_emails())
        except DatabaseError:
            log.warning("the queue metrics could not be read from the database", exc_info=True)
            return
        yield from families.values()
        yield failed
        yield from _broker_queue_lengths()

    @staticmethod
    def _add(families, queue, now, *, waiting, running, delayed, oldest):
        families["waiting_jobs"].add_metric([queue], waiting)
        families["running_jobs"].add_metric([queue], running)
        families["delayed_jobs"].add_metric([queue], delayed)
        families["oldest_waiting_seconds"].add_metric([queue], (now - oldest).total_seconds() if oldest else 0)


def _broker_queue_lengths():
    """Messages in the broker's lists (Redis), for the queues the portal's workers consume."""
    from celery import current_app

    url = settings.CELERY_BROKER_URL
    if current_app.conf.task_always_eager or not url.startswith(("redis://", "rediss://")):
        return
    import redis

    names = {current_app.conf.task_default_queue} | {q.name for q in (current_app.conf.task_queues or [])}
    family = GaugeMetricFamily("iom_celery_broker_queue_length", "Messages waiting in the broker.", labels=["queue"])
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        for name in sorted(names):
            family.add_metric([name], client.llen(name))
    except (redis.RedisError, OSError):
        return  # the broker is away: /healthz says so; the database's figures above still count
    yield family


def process_registry():
    """This process's metrics, or every process's in multiprocess mode (PROMETHEUS_MULTIPROC_DIR)."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


def exposition() -> bytes:
    """The text /metrics answers: the processes' measurements, then the queues read now."""
    queues = CollectorRegistry()
    queues.register(QueueCollector())
    return generate_latest(process_registry()) + generate_latest(queues)


def monitoring_allowed(request) -> bool:
    """A request of the monitoring: it bears METRICS_TOKEN, or comes from METRICS_ALLOWED_IPS."""
    token = settings.METRICS_TOKEN
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(presented.strip().encode(), token.encode()):
        return True
    if not settings.METRICS_ALLOWED_IPS:
        return False
    from core.lockout import client_address

    try:
        address = ip_address(client_address(request) or "")
    except ValueError:
        return False
    return any(address in ip_network(network, strict=False) for network in settings.METRICS_ALLOWED_IPS)
