"""Report jobs: ordered through the service, built by the Celery task, served to the requester only."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import ReportJob
from reports.tasks import build_report_job
from schools.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db
YEARS = ["2021-2022", "2022-2023"]


@pytest.fixture
def w():
    world = World()
    route = RouteFactory(person=world.teacher_staff, academic_year="2022-2023", status="completed",
                         approved_on=dt.date(2022, 10, 1), credited_on=dt.date(2022, 10, 20))
    ActivityFactory(route=route, is_done=True)
    return world


def order(w, role="municipal_methodist", kind="coverage", fmt="xlsx", **params):
    params.setdefault("municipality_id", w.municipality.pk)
    params.setdefault("years", YEARS)
    return services.report_job_create(user=w.user(role), kind=kind, fmt=fmt, params=params)


@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "docx"])
def test_an_ordered_coverage_report_is_built_and_kept_until_its_expiry(w, fmt, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = order(w, fmt=fmt)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.progress == 100
    assert job.file.name.endswith(f".{fmt}") and job.file.size > 1000
    assert job.expires_at > timezone.now() + dt.timedelta(hours=1)


def test_running_the_task_twice_builds_the_file_once(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = order(w)
    job.refresh_from_db()
    name = job.file.name
    assert build_report_job(str(job.pk)) == "skipped"
    job.refresh_from_db()
    assert job.file.name == name and job.attempts == 1


def test_a_job_whose_requester_lost_the_right_fails_with_the_reason(w, django_capture_on_commit_callbacks):
    job = order(w)  # queued, not run (no on_commit executed)
    Membership.objects.filter(user=w.user("municipal_methodist")).delete()
    w.user("municipal_methodist")._iom_memberships = None
    assert build_report_job(str(job.pk)) == "refused"
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and "права" in job.error


def test_a_failed_job_keeps_its_error_and_can_be_restarted(w, django_capture_on_commit_callbacks):
    job = order(w, kind="indicators", fmt="pdf", years=["1999-2001"])  # a malformed year
    build_report_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and "2022-2023" in job.error
    job.params["years"] = YEARS
    job.save(update_fields=["params"])
    with django_capture_on_commit_callbacks(execute=True):
        services.report_job_restart(user=w.user("municipal_methodist"), job=job)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.error == "" and job.attempts == 2


def test_a_deputy_cannot_order_the_municipal_report(w):
    with pytest.raises(PermissionDenied):
        order(w, role="deputy")


def test_a_director_orders_the_audit_of_their_own_school_only(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = order(w, role="director", kind="audit", fmt="pdf", organisation_id=w.school.pk, cohort="2022-2023")
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    with pytest.raises(PermissionDenied):
        order(w, role="director", kind="audit", organisation_id=w.sibling_school.pk, cohort="2022-2023")


def test_only_the_requester_downloads_the_file(w, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = order(w, fmt="docx")
    client.force_login(w.user("municipal_methodist"))
    response = client.get(reverse("reports:download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessing")
    assert b"".join(response.streaming_content)[:2] == b"PK"
    client.force_login(w.user("regional_methodist"))  # may build the same report, but it is not theirs
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_expired_files_are_deleted_and_the_job_says_so(w, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = order(w)
    job.refresh_from_db()
    storage, name = job.file.storage, job.file.name
    ReportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert services.delete_expired_files() == 1
    assert not storage.exists(name)
    client.force_login(w.user("municipal_methodist"))
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404
    page = client.get(reverse("reports:index")).content.decode()
    assert "Срок хранения истек" in page


def test_the_jobs_partial_polls_only_while_a_job_is_running(w, client):
    job = order(w)  # queued: the task runs on commit, which this test does not execute
    client.force_login(w.user("municipal_methodist"))
    assert 'hx-trigger="every 2s"' in client.get(reverse("reports:jobs")).content.decode()
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.DONE)
    assert "hx-trigger" not in client.get(reverse("reports:jobs")).content.decode()


def test_ordering_from_the_reports_page_creates_a_job(w, client, django_capture_on_commit_callbacks):
    client.force_login(w.user("municipal_methodist"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:index"), {
            "kind": "coverage", "format": "pdf", "municipality": w.municipality.pk, "years": YEARS,
            "cohort": "2022-2023",
        })
    assert response.status_code == 302
    job = ReportJob.objects.get()
    job.refresh_from_db()
    assert job.params["years"] == YEARS and job.status == ReportJob.Status.DONE  # eager in tests


def test_a_format_the_report_has_no_builder_for_is_refused_in_russian(w, client):
    client.force_login(w.user("municipal_methodist"))
    response = client.post(reverse("reports:index"), {
        "kind": "indicators", "format": "docx", "municipality": w.municipality.pk, "years": YEARS})
    assert response.status_code == 200
    assert "не выпускается в формате Word: выберите Excel, PDF" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_the_service_refuses_a_format_the_kind_lacks_whoever_calls_it(w):
    from reports.services import ReportServiceError, report_job_create

    with pytest.raises(ReportServiceError, match="не выпускается в формате Word"):
        report_job_create(user=w.user("municipal_methodist"), kind="indicators", fmt="docx",
                          params={"municipality_id": w.municipality.pk, "years": YEARS})


def test_the_order_form_names_each_kinds_formats_as_its_builder_declares(w, client):
    from reports.builders import BUILDERS

    client.force_login(w.user("municipal_methodist"))
    page = client.get(reverse("reports:index")).content.decode()
    assert 'data-formats-for="id_format"' in page
    for kind in ("coverage", "audit", "project", "indicators"):
        assert f'value="{kind}" data-formats="{" ".join(BUILDERS[kind].formats)}"' in page
    assert "docx" in BUILDERS["project"].formats and "docx" not in BUILDERS["indicators"].formats


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_builds_the_report(celery_worker_process):
    import time

    municipality = OrganisationFactory().municipality
    StaffFactory(organisation=municipality.organisations.first())
    user = UserFactory(username="worker-methodist")
    MembershipFactory(user=user, role="municipal_methodist", municipality=municipality)
    job = services.report_job_create(user=user, kind="coverage", fmt="xlsx",
                                     params={"municipality_id": municipality.pk, "years": YEARS})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if not job.is_active:
            break
        time.sleep(0.5)
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.file.size > 1000


def test_a_redelivery_of_the_claiming_message_takes_a_running_job_over_and_another_delivery_does_not(w):
    job = ReportJob.objects.create(requester=w.user("municipal_methodist"), kind="coverage", format="xlsx",
                                   params={"municipality_id": w.municipality.pk, "years": YEARS})
    assert ReportJob.claim(str(job.pk), "delivery-a").attempts == 1
    # a second, different message for the same job finds it running and leaves it
    assert ReportJob.claim(str(job.pk), "delivery-b") is None
    # the same message handed out again (its worker was killed) takes it over
    taken = ReportJob.claim(str(job.pk), "delivery-a")
    assert taken is not None and taken.attempts == 2 and taken.task_id == "delivery-a"


def test_restarting_a_failed_job_obeys_the_five_jobs_limit(w):
    methodist = w.user("municipal_methodist")
    failed = ReportJob.objects.create(requester=methodist, kind="indicators", format="pdf",
                                      params={"years": YEARS, "municipality_id": w.municipality.pk},
                                      status=ReportJob.Status.FAILED, error="сбой")
    for _ in range(services.MAX_ACTIVE_JOBS):
        ReportJob.objects.create(requester=methodist, kind="indicators", format="pdf", params={"years": YEARS})
    with pytest.raises(services.ReportServiceError, match="уже формируются 5 отчетов"):
        services.report_job_restart(user=methodist, job=failed)
    failed.refresh_from_db()
    assert failed.status == ReportJob.Status.FAILED and failed.error == "сбой"
