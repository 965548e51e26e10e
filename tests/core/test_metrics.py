"""Prometheus metrics (/metrics): requests by view, database time, the queues as the database holds them,
task durations and report build times; only the monitoring reads them (METRICS_TOKEN as a bearer token,
or an address of METRICS_ALLOWED_IPS). A real worker's own metrics: tests/faults/test_worker_metrics.py."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from reports.models import ReportJob
from tests.reports.test_jobs import order
from tests.world import World

pytestmark = pytest.mark.django_db
TOKEN = "metrics-test-token-0123456789"
BEARER = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@pytest.fixture(autouse=True)
def _token(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []


def scrape(client) -> dict[tuple, float]:
    response = client.get(reverse("metrics"), **BEARER)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/plain; version=")  # Prometheus' text format
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.content.decode()) for sample in family.samples}


def value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_are_refused_without_the_token_or_an_allowed_address(client, settings):
    assert client.get(reverse("metrics")).status_code == 403
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer guess").status_code == 403
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 403
    assert client.get(reverse("metrics"), **BEARER).status_code == 200
    settings.METRICS_TOKEN = ""
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer ").status_code == 403  # no token: none matches
    settings.METRICS_ALLOWED_IPS = ["192.0.2.0/24", "127.0.0.1"]
    assert client.get(reverse("metrics")).status_code == 200  # the test client is 127.0.0.1
    assert client.get(reverse("metrics"), REMOTE_ADDR="198.51.100.7").status_code == 403


def test_a_logged_in_user_is_no_monitoring(client):
    w = World()
    client.force_login(w.user("admin"))
    assert client.get(reverse("metrics")).status_code == 403


def test_requests_are_counted_by_view_status_and_timed(client):
    labels = {"method": "GET", "view": "healthz_live", "status": "200"}
    before = value("iom_http_requests_total", **labels)
    timed = value("iom_http_request_duration_seconds_count", method="GET", view="healthz_live")
    client.get(reverse("healthz_live"))
    client.get(reverse("healthz_live"))
    assert value("iom_http_requests_total", **labels) == before + 2
    assert value("iom_http_request_duration_seconds_count", method="GET", view="healthz_live") == timed + 2
    client.get("/no/such/page/at/all/")  # an unknown address is one label, not one per address
    assert value("iom_http_requests_total", method="GET", view="<unresolved>", status="404") >= 1


def test_database_time_is_measured_per_query_and_per_request(client):
    w = World()
    client.force_login(w.user("teacher"))
    queries = value("iom_db_query_duration_seconds_count", alias="default")
    requests = value("iom_http_request_db_duration_seconds_count", view="home")
    assert client.get(reverse("home")).status_code == 200
    assert value("iom_db_query_duration_seconds_count", alias="default") > queries + 1
    assert value("iom_http_request_db_duration_seconds_count", view="home") == requests + 1
    assert value("iom_http_request_db_duration_seconds_sum", view="home") > 0


def test_the_queues_are_read_from_the_database_at_each_scrape(client):
    w = World()
    assert scrape(client)[("iom_queue_waiting_jobs", (("queue", "reports.reportjob"),))] == 0
    job = order(w)  # queued: the commit callbacks that would run it are not run here
    old = order(w)
    ReportJob.objects.filter(pk=old.pk).update(queued_at=timezone.now() - dt.timedelta(minutes=30))
    samples = scrape(client)
    assert samples[("iom_queue_waiting_jobs", (("queue", "reports.reportjob"),))] == 2
    assert samples[("iom_queue_delayed_jobs", (("queue", "reports.reportjob"),))] == 1
    assert samples[("iom_queue_oldest_waiting_seconds", (("queue", "reports.reportjob"),))] >= 30 * 60
    assert ("iom_queue_waiting_jobs", (("queue", "core.importjob"),)) in samples
    assert ("iom_queue_waiting_jobs", (("queue", "core.outgoingemail"),)) in samples
    assert job.status == ReportJob.Status.QUEUED


def test_task_durations_and_report_build_times_are_recorded(client, django_capture_on_commit_callbacks):
    w = World()
    task = {"task": "reports.tasks.build_report_job", "state": "SUCCESS"}
    build = {"job": "reports.reportjob", "kind": "coverage", "format": "xlsx"}
    tasks_before = value("iom_celery_task_duration_seconds_count", **task)
    builds_before = value("iom_job_duration_seconds_count", **build)
    with django_capture_on_commit_callbacks(execute=True):
        job = order(w)  # built eagerly in this process, as the embedded default does
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert value("iom_celery_task_duration_seconds_count", **task) == tasks_before + 1
    assert value("iom_job_duration_seconds_count", **build) == builds_before + 1
    samples = scrape(client)
    assert samples[("iom_job_duration_seconds_count", tuple(sorted(build.items())))] == builds_before + 1
