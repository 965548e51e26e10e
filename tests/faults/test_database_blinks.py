"""The database blinking (issue 21): a request whose connection dies gets the portal's Russian 503
page in its layout, never a traceback, and loses nothing (its write is rolled back whole, the next
request reconnects); a report job whose worker loses its connection mid-job is retried and done
once; an idle worker whose connections were dropped reconnects by itself.

Connections are cut with pg_terminate_backend, only this run's own: the test's connection by its
backend pid, the worker's by the application_name this run gave it (.ci/run: PostgreSQL).
"""

from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, close_old_connections, connection
from django.test import Client
from django.urls import reverse

from reports.models import ReportJob
from routes.models import RoadmapActivity, Route
from tests.faults.conftest import ON_POSTGRES, portal_on_redis, real_processes, wait_until
from tests.faults.test_redis_down import mark_done
from tests.faults.test_worker_down import order
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

on_postgres = pytest.mark.skipif(not ON_POSTGRES, reason="pg_terminate_backend needs PostgreSQL (.ci/run)")


def admin_connection():
    """A connection of the test's own beside Django's, to cut the others and to hold locks."""
    import psycopg

    db = connection.settings_dict
    return psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], password=db.get("PASSWORD") or None,
                           dbname=db["NAME"], autocommit=True)


def terminate(*, pid: int | None = None, application_name: str | None = None) -> int:
    """Cut this run's own backends (waiting until they are gone); returns how many."""
    with admin_connection() as admin:
        if pid is not None:
            rows = admin.execute("SELECT pg_terminate_backend(%s, 10000)", [pid]).fetchall()
        else:
            rows = admin.execute(
                "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity "
                "WHERE application_name = %s AND datname = current_database()", [application_name]).fetchall()
    return sum(1 for (done,) in rows if done)


class CutBefore:
    """An execute wrapper that cuts the request's own connection just before the first query matching
    `sql`: the query fails as it would if PostgreSQL restarted at that moment."""

    def __init__(self, sql: str):
        self.sql, self.cut = sql, False

    def __call__(self, execute, sql, params, many, context):
        if not self.cut and sql.startswith(self.sql):
            self.cut = True
            assert terminate(pid=context["connection"].connection.info.backend_pid) == 1
        return execute(sql, params, many, context)


@pytest.mark.django_db
def test_a_request_that_finds_no_database_gets_the_russian_503_page_in_the_layout():
    w = World()
    client = Client(raise_request_exception=False)
    client.force_login(w.user("teacher"))
    with mock.patch("iom_portal.views.items_for", side_effect=OperationalError("server closed the connection")):
        response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Портал временно недоступен" in html and "navbar-portal" in html and "bootstrap.min.css" in html
    assert "Traceback" not in html and "OperationalError" not in html
    assert "Уведомления" not in html  # rendered without the user: the session is in the database


@pytest.mark.django_db
def test_any_other_error_keeps_the_plain_500_page():
    w = World()
    client = Client(raise_request_exception=False)
    client.force_login(w.user("teacher"))
    with mock.patch("iom_portal.views.items_for", side_effect=ValueError("a bug")):
        response = client.get(reverse("home"))
    assert response.status_code == 500 and "Произошла ошибка" in response.content.decode()


@on_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_cut_in_the_middle_of_a_write_answers_503_and_loses_nothing():
    w = World()
    activity = ActivityFactory(route=RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS))
    client = Client(raise_request_exception=False)
    client.force_login(w.user("teacher"))
    cut = CutBefore('UPDATE "routes_roadmapactivity"')
    with connection.execute_wrapper(cut):
        response = mark_done(client, activity)
    assert cut.cut
    assert response.status_code == 503 and "Портал временно недоступен" in response.content.decode()
    # Django's test client skips what production's handler does at the start of every request;
    # this is it: the broken connection is found and replaced (CONN_HEALTH_CHECKS).
    close_old_connections()
    activity.refresh_from_db()
    assert not activity.is_done  # the whole write was rolled back: no half of it (the evidence) stayed
    assert not activity.evidence.exists()

    assert mark_done(client, activity).status_code == 302  # the teacher tries again
    activity.refresh_from_db()
    assert activity.is_done and activity.evidence.count() == 1
    assert RoadmapActivity.history.filter(id=activity.pk, is_done=True).count() == 1


def _waiting_on_a_lock(application_name: str) -> bool:
    with admin_connection() as admin:
        return bool(admin.execute(
            "SELECT 1 FROM pg_stat_activity WHERE application_name = %s AND wait_event_type = 'Lock'",
            [application_name]).fetchone())


@real_processes
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_job_whose_connection_is_cut_mid_job_is_retried_and_done_once(module_redis, start_worker, settings):
    w = World()
    with portal_on_redis(settings, module_redis.url(3)):
        job = order(w)  # in the broker; no worker yet
        # The job will stop at its first read of the organisations, after its claim: the test holds
        # the table. Then its connection is cut, as a PostgreSQL restart would cut it.
        with admin_connection() as locker:
            locker.autocommit = False
            locker.execute("LOCK TABLE schools_organisation IN ACCESS EXCLUSIVE MODE")
            worker = start_worker(module_redis.url(3), wait=False)  # busy with the job at once: no ping
            wait_until(lambda: ReportJob.objects.get(pk=job.pk).status == ReportJob.Status.RUNNING, 60, "job running")
            wait_until(lambda: _waiting_on_a_lock(worker.application_name), 60, "the job waiting on the table")
            assert terminate(application_name=worker.application_name) >= 1
            locker.rollback()
        done = wait_until(lambda: ReportJob.objects.filter(pk=job.pk, status__in=["done", "failed"]).first(), 120,
                          "the job finished after its retry")
        assert done.status == ReportJob.Status.DONE, done.error
        assert done.attempts == 2  # the interrupted run and the retry that took it over
        folder = Path(django_settings.MEDIA_ROOT) / "reports"
        assert sorted(p.name for p in folder.iterdir() if p.name.startswith(str(job.pk))) == [f"{job.pk}.xlsx"]

        # The idle worker's connections are cut too: the next job reconnects by itself.
        terminate(application_name=worker.application_name)
        after = order(w)
        done = wait_until(lambda: ReportJob.objects.filter(pk=after.pk, status__in=["done", "failed"]).first(), 120,
                          "the next job finished")
        assert done.status == ReportJob.Status.DONE and done.attempts == 1
