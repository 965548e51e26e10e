"""Redis down (issue 21, docs/operations.md): the figure cache computes afresh, writes succeed,
a report ordered while the broker is down waits in the database and is handed over once it is back.

The first tests point the portal at a closed port (they run on the embedded default too); the
last one stops a real Redis server of its own in the middle, with a real worker on it (.ci/run).
"""

import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from core import cache as figure_cache
from core.dates import last_completed_academic_years
from reports.models import ReportJob
from reports.tasks import requeue_report_jobs
from routes.models import RoadmapActivity, Route
from tests.faults.conftest import free_port, portal_on_redis
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World


@pytest.fixture
def w():
    world = World()
    route = RouteFactory(person=world.teacher_staff, status=Route.Status.IN_PROGRESS)
    world.activity = ActivityFactory(route=route)
    return world


@pytest.fixture
def redis_closed(settings):
    with portal_on_redis(settings, f"redis://127.0.0.1:{free_port()}/0"):
        yield


def mark_done(client, activity):
    return client.post(reverse("routes:activity_done", args=[activity.pk]), {
        "done_on": timezone.localdate().strftime("%d.%m.%Y"), "evidence_kind": "certificate",
        "url": "https://example.org/certificate", "note": ""})


def order_coverage(client, w):
    return client.post(reverse("reports:index"), {
        "kind": "coverage", "format": "xlsx", "municipality": w.municipality.pk,
        "years": last_completed_academic_years(2)})


@pytest.mark.django_db
def test_without_redis_the_dashboard_is_computed_afresh_and_the_outage_is_logged_once(w, client, redis_closed,
                                                                                      caplog):
    client.force_login(w.user("municipal_methodist"))
    url = reverse("reports:municipality", args=[w.municipality.pk])
    with caplog.at_level(logging.WARNING, logger="iom.operations"):
        first = client.get(url)
        second = client.get(url)
    assert first.status_code == second.status_code == 200
    records = [r for r in caplog.records if r.name == "iom.operations"]
    assert [r.getMessage() for r in records] == ["service_down"]  # not one line per request
    assert records[0].service == "redis-cache"


@pytest.mark.django_db
def test_without_redis_a_write_succeeds_and_its_missed_bump_is_made_when_redis_answers(w, client, redis_closed,
                                                                                      settings):
    client.force_login(w.user("teacher"))
    response = mark_done(client, w.activity)
    assert response.status_code == 302
    assert RoadmapActivity.objects.get(pk=w.activity.pk).is_done
    assert figure_cache._missed_bumps  # the figures of the write's municipality could not be invalidated
    # Redis answers again (here: the in-memory cache): the first cache call moves the global version.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from core import outages

    outages.redis_cache.reset()
    before = figure_cache.versions([])["all"]
    assert before == 1 and not figure_cache._missed_bumps


@pytest.mark.django_db
def test_a_report_ordered_while_the_broker_is_down_waits_in_the_database_with_a_note(
        w, client, redis_closed, django_capture_on_commit_callbacks):
    client.force_login(w.user("municipal_methodist"))
    with django_capture_on_commit_callbacks(execute=True):
        response = order_coverage(client, w)
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.QUEUED and job.dispatched_at is None
    page = client.get(reverse("reports:index")).content.decode()
    assert "Сервер очереди сейчас недоступен" in page and "будет передан на выполнение автоматически" in page

    # The broker is back (here: tasks run in-process): beat's re-queue hands the job over, once.
    from iom_portal.celery import app

    app.conf.task_always_eager = True
    assert requeue_report_jobs() == 1
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.attempts == 1 and job.dispatched_at is not None
    assert requeue_report_jobs() == 0


@pytest.mark.django_db
def test_after_the_first_failure_requests_do_not_even_try_redis_for_a_while(w, client, redis_closed):
    """An outage costs one refused connection per process every few seconds, not one per figure."""
    from core import outages

    client.force_login(w.user("municipal_methodist"))
    client.get(reverse("reports:municipality", args=[w.municipality.pk]))
    failures = outages.redis_cache.failures
    assert client.get(reverse("reports:municipality", args=[w.municipality.pk])).status_code == 200
    assert outages.redis_cache.failures == failures  # the second page did not try Redis at all
