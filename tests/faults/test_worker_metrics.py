"""A real worker's metrics (WORKER_METRICS_PORT): production's workers are prefork, so the durations are
recorded in the child that ran the task and served by the worker's main process from the shared
PROMETHEUS_MULTIPROC_DIR. A report built by the worker shows as one task and one build."""

import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from reports.models import ReportJob
from tests.faults.conftest import free_port, portal_on_redis, real_processes, wait_until
from tests.faults.test_worker_down import order
from tests.world import World


def worker_samples(port: int) -> dict[tuple, float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:  # noqa: S310 (a local URL)
        text = response.read().decode()
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


@real_processes
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_prefork_worker_serves_the_duration_of_the_report_it_built(settings, redis_server, start_worker, tmp_path):
    w = World()
    port = free_port()
    (tmp_path / "metrics").mkdir()
    with portal_on_redis(settings, redis_server.url()):
        start_worker(redis_server.url(), pool="prefork", WORKER_METRICS_PORT=port,
                     PROMETHEUS_MULTIPROC_DIR=tmp_path / "metrics")
        job = order(w)  # queued and published on commit (this test commits)
        wait_until(lambda: ReportJob.objects.get(pk=job.pk).status == ReportJob.Status.DONE, 90, "the report built")
        task = (("state", "SUCCESS"), ("task", "reports.tasks.build_report_job"))
        build = (("format", "xlsx"), ("job", "reports.reportjob"), ("kind", "coverage"))
        samples = wait_until(
            lambda: (s := worker_samples(port)).get(("iom_celery_task_duration_seconds_count", task)) and s,
            20, "the worker's metrics showing the task")
        assert samples[("iom_celery_task_duration_seconds_count", task)] == 1
        assert samples[("iom_job_duration_seconds_count", build)] == 1
        assert samples[("iom_job_duration_seconds_sum", build)] > 0
