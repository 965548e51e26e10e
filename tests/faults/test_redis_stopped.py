"""Redis stopped in the middle of a test (issue 21): a Redis server of the test's own, a real
worker on it, this process's cache and broker on it. During the outage pages answer, writes
commit, a report and an invitation wait in the database; when Redis is back (with its data, as
production's appendonly Redis comes back) no figure from before the write is served, and the
job and the e-mail are done exactly once. Needs PostgreSQL shared with the worker: .ci/run."""

import pytest
from django.test import Client
from django.urls import reverse

from core import cache as figure_cache
from core import outages
from core.models import OutgoingEmail
from core.tasks import requeue_emails
from reports.models import ReportJob
from reports.tasks import requeue_report_jobs
from routes.models import RoadmapActivity, Route
from tests.faults.conftest import needs_processes, portal_on_redis, wait_until
from tests.faults.test_redis_down import mark_done, order_coverage
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = needs_processes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_redis_stopped_mid_test_loses_no_write_and_every_job_and_email_runs_once_when_it_is_back(
        redis_server, start_worker, settings):
    w = World()
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    activity = ActivityFactory(route=route)
    with portal_on_redis(settings, redis_server.url()):
        start_worker(redis_server.url())
        teacher, methodist, deputy = Client(), Client(), Client()
        teacher.force_login(w.user("teacher"))
        methodist.force_login(w.user("municipal_methodist"))
        deputy.force_login(w.user("deputy"))
        dashboard = reverse("reports:municipality", args=[w.municipality.pk])
        assert methodist.get(dashboard).status_code == 200
        # a figure kept in Redis before the outage, under the municipality's current version
        assert figure_cache.cached_figure("probe", [w.municipality.pk], (), lambda: "before") == "before"

        redis_server.stop(save=True)  # production's Redis persists: the old figure comes back with it
        assert methodist.get(dashboard).status_code == 200
        assert mark_done(teacher, activity).status_code == 302  # bumps the municipality: lost for now
        assert order_coverage(methodist, w).status_code == 302
        colleague = w.colleague
        colleague.email = "colleague@example.org"
        colleague.save(update_fields=["email"])
        assert deputy.post(reverse("staff_invite", args=[colleague.pk])).status_code == 302
        job = ReportJob.objects.get()
        email = OutgoingEmail.objects.get(to="colleague@example.org")
        assert job.status == ReportJob.Status.QUEUED and job.dispatched_at is None
        assert email.status == OutgoingEmail.Status.PENDING and email.attempts == 0
        assert "Сервер очереди сейчас недоступен" in methodist.get(reverse("reports:index")).content.decode()

        redis_server.start()
        outages.reset_all()  # the pause after a failure (a few seconds) is over
        # the write made during the outage is seen: the missed bump moved every version first
        assert figure_cache.cached_figure("probe", [w.municipality.pk], (), lambda: "after") == "after"
        assert methodist.get(dashboard).status_code == 200
        # beat's re-queue (every minute) hands over what the broker never had
        assert requeue_report_jobs() == 1
        assert requeue_emails() == 1
        wait_until(lambda: ReportJob.objects.get(pk=job.pk).status == ReportJob.Status.DONE, 90, "the job done")
        wait_until(lambda: OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT, 60,
                   "the invitation sent")
    job.refresh_from_db()
    email.refresh_from_db()
    assert job.attempts == 1 and email.attempts == 1
    assert RoadmapActivity.objects.get(pk=activity.pk).is_done
