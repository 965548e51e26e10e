"""POST /api/v1/imports/<kind>/: the browser's engine and rules, all or nothing, every error with its row.

Celery runs eagerly in tests: a large file's job runs when the captured on-commit callbacks are run.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from api.services import token_revoke
from core.imports import jobs
from core.imports.models import ImportJob
from schools.models import StaffMember
from tests.api.helpers import like, make_token, token_client
from tests.imports.factories import STAFF_HEADER, csv_bytes, staff_row, xlsx_bytes
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


@pytest.fixture
def deputy(world):
    return token_client(like(world.user("deputy"))[1])


@pytest.fixture
def small_threshold(monkeypatch):
    """A few rows count as a large file here (core/imports/jobs.py), so no test needs thousands of rows."""
    monkeypatch.setattr(jobs, "ASYNC_ROWS", 3)
    monkeypatch.setattr(jobs, "ASYNC_TEXT_BYTES", 2000)


def _csv(world, *names, school=None, **overrides) -> SimpleUploadedFile:
    school = school or world.school
    rows = [staff_row(school.short_name, name, **overrides) for name in names]
    return SimpleUploadedFile("staff.csv", csv_bytes(STAFF_HEADER, rows), content_type="text/csv")


def _created(*names) -> int:
    return StaffMember.objects.filter(last_name__in=names).count()


def test_a_valid_file_is_written_and_the_same_file_again_changes_nothing(world, deputy):
    response = deputy.post("/api/v1/imports/staff/", {"file": _csv(world, "Новикова", "Петрова")})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["written"] is True and body["valid"] is True and body["dry_run"] is False
    assert body["counts"] == {"new": 2, "update": 0, "unchanged": 0, "error": 0}
    assert body["detail"].startswith("«Педагогические работники»: загружено. Создано: 2")
    assert _created("Новикова", "Петрова") == 2
    again = deputy.post("/api/v1/imports/staff/", {"file": _csv(world, "Новикова", "Петрова")}).json()
    assert again["counts"]["unchanged"] == 2 and _created("Новикова", "Петрова") == 2


def test_an_xlsx_is_read_as_in_the_browser(world, deputy):
    content = xlsx_bytes(STAFF_HEADER, [staff_row(world.school.short_name, "Соколова")])
    upload = SimpleUploadedFile("staff.xlsx", content)
    assert deputy.post("/api/v1/imports/staff/", {"file": upload}).status_code == 200
    assert _created("Соколова") == 1


def test_a_dry_run_checks_and_writes_nothing(world, deputy):
    body = deputy.post("/api/v1/imports/staff/", {"file": _csv(world, "Новикова"), "dry_run": "true"}).json()
    assert body["valid"] is True and body["written"] is False and body["dry_run"] is True
    assert body["counts"]["new"] == 1 and _created("Новикова") == 0


def test_one_bad_row_writes_nothing_and_every_error_names_its_row_and_column(world, deputy):
    upload = SimpleUploadedFile("staff.csv", csv_bytes(STAFF_HEADER, [
        staff_row(world.school.short_name, "Новикова"),
        staff_row(world.school.short_name, "Петрова", **{"Дата рождения": "31.02.1980"}),
        staff_row(world.sibling_school.short_name, "Сидорова"),  # another school: outside the deputy's scope
    ]), content_type="text/csv")
    response = deputy.post("/api/v1/imports/staff/", {"file": upload})
    assert response.status_code == 422
    body = response.json()
    assert body["valid"] is False and body["written"] is False
    assert body["detail"].startswith("В файле есть ошибки: ничего не записано")
    assert {(e["row"], e["column"]) for e in body["errors"]} == {(3, "Дата рождения"), (4, "ОО")}
    assert body["error_count"] == 2 and body["counts"]["error"] == 2
    assert _created("Новикова", "Петрова", "Сидорова") == 0


def test_a_file_of_the_wrong_shape_is_refused_with_the_header_row(world):
    client = token_client(like(world.user("municipal_methodist"))[1])
    body = client.post("/api/v1/imports/routes/", {"file": _csv(world, "Новикова")}).json()
    assert body["valid"] is False
    assert {e["row"] for e in body["errors"]} == {1}
    assert any(e["message"] == "нет обязательного столбца" for e in body["errors"])


def test_no_file_or_a_file_of_another_type_answers_400(world, deputy):
    assert list(deputy.post("/api/v1/imports/staff/", {}).json()) == ["file"]
    old = SimpleUploadedFile("staff.xls", b"\xd0\xcf\x11\xe0")
    assert deputy.post("/api/v1/imports/staff/", {"file": old}).json() == {
        "file": ["Загрузите файл .xlsx или .csv (старый формат .xls сохраните как .xlsx)."]}
    assert deputy.post("/api/v1/imports/staff/", {"file": _csv(world, "x"), "dry_run": "maybe"}).status_code == 400


def test_a_kind_the_token_or_its_role_may_not_load_answers_403_and_an_unknown_one_404(world, deputy):
    assert deputy.post("/api/v1/imports/routes/", {"file": _csv(world, "x")}).status_code == 403
    assert deputy.post("/api/v1/imports/nonsense/", {"file": _csv(world, "x")}).status_code == 404
    _, reader = make_token(("deputy", {"organisation": world.school}), capabilities=["staff.view"])
    assert token_client(reader).post("/api/v1/imports/staff/", {"file": _csv(world, "x")}).status_code == 403


def test_a_kind_that_uses_a_capability_the_token_lacks_is_refused(world):
    # the deputy's role invites staff (staff.invite); a token allowed staff.import alone may not load staff,
    # or its file would invite people with the role's right the token was not given
    _, secret = make_token(("deputy", {"organisation": world.school}), capabilities=["staff.import"])
    response = token_client(secret).post("/api/v1/imports/staff/", {"file": _csv(world, "Новикова")})
    assert response.status_code == 403
    assert "staff.invite" in response.json()["detail"]
    assert _created("Новикова") == 0


def test_the_kinds_listed_are_those_the_token_may_load(world):
    kinds = {role: [k["code"] for k in token_client(like(world.user(role))[1]).get("/api/v1/imports/").json()]
             for role in ("teacher", "deputy", "municipal_methodist")}
    assert kinds["teacher"] == []
    assert set(kinds["deputy"]) == {"staff", "diagnostics"}
    assert {"organizations", "routes", "activities", "catalog"} <= set(kinds["municipal_methodist"])
    columns = token_client(like(world.user("deputy"))[1]).get("/api/v1/imports/").json()[0]["columns"]
    assert {"title": "ОО", "required": True}.items() <= columns[0].items()


def test_a_large_file_is_a_job_that_the_token_follows(world, deputy, small_threshold,
                                                      django_capture_on_commit_callbacks):
    names = [f"Новикова{i}" for i in range(6)]
    with django_capture_on_commit_callbacks() as queued:
        response = deputy.post("/api/v1/imports/staff/", {"file": _csv(world, *names)})
    assert response.status_code == 202
    job = response.json()
    assert job["status"] == "queued" and job["dry_run"] is False and job["written"] is False
    assert response["Location"].endswith(f"/api/v1/imports/jobs/{job['id']}/")
    assert _created(*names) == 0  # nothing is checked or written in the request
    for callback in queued:
        callback()
    done = deputy.get(f"/api/v1/imports/jobs/{job['id']}/").json()
    assert done["status"] == "done" and done["written"] is True
    assert done["counts"]["new"] == 6 and done["detail"].startswith("«Педагогические работники»: загружено")
    assert _created(*names) == 6
    # another token, even of the same role and school, does not see the job
    other = token_client(like(world.user("deputy"))[1])
    assert other.get(f"/api/v1/imports/jobs/{job['id']}/").status_code == 404


def test_a_large_file_with_errors_writes_nothing_and_its_job_lists_them(world, deputy, small_threshold,
                                                                        django_capture_on_commit_callbacks):
    names = [f"Орлова{i}" for i in range(5)]
    upload = _csv(world, *names, **{"Квалификационная категория": "самая высшая"})
    for dry_run in ("false", "true"):
        with django_capture_on_commit_callbacks(execute=True):
            job = deputy.post("/api/v1/imports/staff/", {"file": upload, "dry_run": dry_run}).json()
        upload.seek(0)
        body = deputy.get(f"/api/v1/imports/jobs/{job['id']}/").json()
        assert body["detail"].startswith("В файле есть ошибки: ничего не записано"), body
        assert body["error_count"] == 5 and {e["row"] for e in body["errors"]} == {2, 3, 4, 5, 6}
        assert body["written"] is False and body["dry_run"] is (dry_run == "true")
    assert _created(*names) == 0


def test_a_job_queued_before_its_token_was_revoked_writes_nothing(world, small_threshold,
                                                                  django_capture_on_commit_callbacks):
    token, secret = like(world.user("deputy"))
    names = [f"Белова{i}" for i in range(5)]
    with django_capture_on_commit_callbacks() as queued:
        job_id = token_client(secret).post("/api/v1/imports/staff/", {"file": _csv(world, *names)}).json()["id"]
    token_revoke(token=token)
    for callback in queued:
        callback()
    job = ImportJob.objects.get(pk=job_id)
    # core/imports/tasks.py re-checks the requester's rights: the revoked token's account is switched off
    assert job.status == ImportJob.Status.FAILED and "права загрузившего изменились" in job.error
    assert _created(*names) == 0
