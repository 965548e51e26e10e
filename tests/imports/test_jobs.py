"""Large imports run as Celery jobs with progress (security finding 5): no request checks or writes them.

Celery runs eagerly in tests: a job queued on commit runs when the captured on-commit callbacks
are executed, which lets a test look at the page before, during and after the job.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.imports import jobs, preview, tasks
from core.imports.models import ImportJob
from schools.models import StaffMember
from tests.imports.factories import STAFF_HEADER, csv_bytes, staff_row, xlsx_bytes
from tests.world import World

pytestmark = pytest.mark.django_db
ROWS = 12


@pytest.fixture
def w():
    return World()


@pytest.fixture
def small_threshold(monkeypatch):
    """A dozen rows count as a large file here, so that the tests need no file of thousands of rows."""
    monkeypatch.setattr(jobs, "ASYNC_ROWS", 5)
    monkeypatch.setattr(jobs, "ASYNC_TEXT_BYTES", 2000)


@pytest.fixture
def reports(monkeypatch):
    """Every progress report the task writes to the job row: (stage, done, total)."""
    seen = []
    original = tasks._reporter

    def recording(job):
        report = original(job)

        def record(stage, done, total):
            seen.append((stage, done, total))
            report(stage, done, total)

        return record

    monkeypatch.setattr(tasks, "_reporter", recording)
    monkeypatch.setattr(tasks, "PROGRESS_SECONDS", 0)
    return seen


def staff_file(w, count=ROWS) -> bytes:
    return csv_bytes(STAFF_HEADER, [staff_row(w.school.short_name, f"Новикова{i}") for i in range(count)])


def test_large_import_runs_as_a_job_with_progress(client, w, small_threshold, reports,
                                                  django_capture_on_commit_callbacks):
    client.force_login(w.user("deputy"))
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("import_upload", args=["staff"]),
                               {"file": SimpleUploadedFile("staff.csv", staff_file(w))})
    job = ImportJob.objects.get()
    assert (job.phase, job.status, job.requester) == ("check", "queued", w.user("deputy"))
    job_url = reverse("import_job", args=["staff", job.token])
    assert response["Location"] == job_url
    assert len(queued) == 1 and not preview.is_checked(str(job.token))  # the request checked nothing itself
    page = client.get(job_url).content.decode()
    assert "Задание ждет очереди" in page and 'hx-trigger="every 2s"' in page

    queued[0]()  # the worker takes the check
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total, job.counts["new"]) == ("done", ROWS, ROWS, ROWS)
    assert ("checking", ROWS, ROWS) in reports and not StaffMember.objects.filter(last_name__startswith="Новикова")
    preview_url = reverse("import_preview", args=["staff", job.token])
    assert client.get(job_url)["Location"] == preview_url
    assert client.get(job_url, headers={"HX-Request": "true"})["HX-Redirect"] == preview_url
    assert f"Новых: {ROWS}" in client.get(preview_url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("import_confirm", args=["staff", job.token]))
    assert response["Location"] == job_url
    write = ImportJob.objects.get(phase="write")
    assert (write.status, write.counts["new"]) == ("done", ROWS)
    assert any(stage == "writing" for stage, _, _ in reports)
    assert StaffMember.objects.filter(organisation=w.school, last_name__startswith="Новикова").count() == ROWS
    done = client.get(job_url, follow=True).content.decode()
    assert f"создано: {ROWS}" in done.lower()


def test_the_progress_page_says_how_many_rows_are_processed(client, w):
    client.force_login(w.user("deputy"))
    token = _stored_upload(client, b"x")
    ImportJob.objects.create(requester=w.user("deputy"), kind="staff", token=token, filename="staff.csv",
                             phase="check", status="running", stage="checking", rows_done=1500, rows_total=2101)
    url = reverse("import_job", args=["staff", token])
    page = client.get(url).content.decode()
    assert "Обработано 1 500 из 2 101 строки" in page and "Проверка строк" in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="import-job"') and "<html" not in fragment
    assert 'value="71"' in fragment  # 1500 of 2101 rows


def test_a_job_run_twice_writes_once(client, w, small_threshold, django_capture_on_commit_callbacks):
    client.force_login(w.user("deputy"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import_upload", args=["staff"]), {"file": SimpleUploadedFile("s.csv", staff_file(w))})
    token = ImportJob.objects.get().token
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import_confirm", args=["staff", token]))
    write = ImportJob.objects.get(phase="write")
    before = list(StaffMember.objects.order_by("pk").values_list("pk", "updated_at"))
    assert tasks.run_import_job.apply(args=[str(write.pk)]).get() == "skipped"  # a second delivery
    assert list(StaffMember.objects.order_by("pk").values_list("pk", "updated_at")) == before
    write.refresh_from_db()
    assert write.attempts == 1


def test_a_write_that_finds_new_errors_writes_nothing_and_shows_them(client, w, small_threshold,
                                                                     django_capture_on_commit_callbacks):
    client.force_login(w.user("deputy"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import_upload", args=["staff"]), {"file": SimpleUploadedFile("s.csv", staff_file(w))})
    token = ImportJob.objects.get().token
    for _ in range(2):  # meanwhile two people with the first row's identity were entered in the portal
        StaffMember.objects.create(organisation=w.school, last_name="Новикова0", first_name="Анна",
                                   middle_name="Сергеевна", birth_date="1980-02-01", position="учитель")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import_confirm", args=["staff", token]))
    write = ImportJob.objects.get(phase="write")
    assert write.status == "failed" and "ничего не записано" in write.error
    assert StaffMember.objects.filter(last_name__startswith="Новикова").count() == 2
    page = client.get(reverse("import_job", args=["staff", token])).content.decode()
    assert "появились ошибки" in page and reverse("import_preview", args=["staff", token]) in page
    assert "Ошибок в файле: 1" in client.get(reverse("import_preview", args=["staff", token])).content.decode()


def test_a_job_rechecks_the_requesters_right(client, w, small_threshold, django_capture_on_commit_callbacks):
    client.force_login(w.user("deputy"))
    with django_capture_on_commit_callbacks() as queued:
        client.post(reverse("import_upload", args=["staff"]), {"file": SimpleUploadedFile("s.csv", staff_file(w))})
    w.user("deputy").memberships.filter(role="deputy").delete()
    queued[0]()
    job = ImportJob.objects.get()
    assert (job.status, job.error) == ("failed", "Загрузка недоступна: права загрузившего изменились.")


def test_another_users_job_is_not_shown(client, w, small_threshold, django_capture_on_commit_callbacks):
    client.force_login(w.user("deputy"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import_upload", args=["staff"]), {"file": SimpleUploadedFile("s.csv", staff_file(w))})
    job = ImportJob.objects.get()
    client.force_login(w.user("admin"))
    response = client.get(reverse("import_job", args=["staff", job.token]), follow=True)
    assert "Проверка этого файла не найдена" in response.content.decode()


def test_small_files_stay_synchronous(client, w, django_capture_on_commit_callbacks):
    client.force_login(w.user("deputy"))
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("import_upload", args=["staff"]),
                               {"file": SimpleUploadedFile("s.xlsx", xlsx_bytes(STAFF_HEADER, [
                                   staff_row(w.school.short_name, "Малая")]))})
    assert "/job/" not in response["Location"] and not queued and not ImportJob.objects.exists()


def test_the_thresholds_are_read_without_parsing_the_file():
    header, row = ["ОО", "Фамилия"], ["Школа", "Петрова"]
    assert not jobs.needs_job(csv_bytes(header, [row] * 1999), "a.csv")
    assert jobs.needs_job(csv_bytes(header, [row] * 2001), "a.csv")
    assert jobs.needs_job(b"x" * (jobs.ASYNC_BYTES + 1), "a.csv")
    assert not jobs.needs_job(xlsx_bytes(header, [row] * 100), "a.xlsx")
    assert jobs.needs_job(xlsx_bytes(header, [[f"Школа {i}", f"Петрова {i}"] for i in range(20000)]), "a.xlsx")


def _stored_upload(client, data: bytes) -> str:
    """An upload kept in the test client's session, as the upload view keeps it."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.session = client.session
    token = preview.save_upload(request, "staff", "staff.csv", data)
    request.session.save()
    return token
