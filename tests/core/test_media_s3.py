"""Media on an S3-compatible bucket (MEDIA_S3_*), against a real S3 endpoint on 127.0.0.1 (moto's
server, tests/s3.py): evidence and report files go into the bucket, come back only through the
views that check access, and leave the bucket when deleted; the bucket gone is a Russian message
on upload and the portal's 503 page on download, never a file without a row."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from routes.models import Evidence, Route
from tests.factories import UserFactory
from tests.reports.test_jobs import order
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.routes.roadmap.test_uploads import PDF
from tests.s3 import use_s3
from tests.world import World

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def w():
    world = World()
    world.activity = ActivityFactory(route=RouteFactory(person=world.teacher_staff, status=Route.Status.IN_PROGRESS))
    return world


def add_evidence(client, w, name="сертификат.pdf", content=PDF):
    return client.post(reverse("routes:evidence_add", args=[w.activity.pk]), {
        "kind": "certificate", "file": SimpleUploadedFile(name, content, content_type="application/pdf")}, **HTMX)


def test_the_default_storage_is_the_bucket_when_media_s3_is_set(s3_media):
    from storages.backends.s3 import S3Storage

    default_storage.save("probe/a.txt", SimpleUploadedFile("a.txt", b"abc"))
    assert isinstance(default_storage._wrapped, S3Storage)
    assert s3_media.objects() == {"probe/a.txt": b"abc"}


def test_evidence_goes_to_the_bucket_comes_back_through_the_checked_view_and_leaves_it_when_deleted(
        w, client, s3_media, django_capture_on_commit_callbacks):
    client.force_login(w.user("teacher"))
    assert add_evidence(client, w).status_code == 200
    evidence = Evidence.objects.get()
    assert s3_media.objects() == {evidence.file.name: PDF}  # stored under its generated name, nothing else

    response = client.get(reverse("routes:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    assert s3_media.server.url not in str(response.headers)  # the bucket is never shown to the browser

    outsider = Client()
    outsider.force_login(UserFactory(username="outsider"))  # no role anywhere
    assert outsider.get(reverse("routes:evidence_download", args=[evidence.pk])).status_code == 404
    assert Client().get(reverse("routes:evidence_download", args=[evidence.pk])).status_code == 302  # to login

    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the deletion commits
        client.post(reverse("routes:evidence_delete", args=[evidence.pk]), **HTMX)
    assert not Evidence.objects.exists() and s3_media.objects() == {}


def test_a_report_file_is_built_into_the_bucket_and_served_to_its_requester_only(w, client, s3_media,
                                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = order(w, fmt="xlsx")
    job.refresh_from_db()
    assert job.status == "done", job.error
    stored = s3_media.objects()
    assert list(stored) == [job.file.name] and stored[job.file.name][:2] == b"PK"

    client.force_login(w.user("municipal_methodist"))
    response = client.get(reverse("reports:download", args=[job.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == stored[job.file.name]
    client.force_login(w.user("regional_methodist"))
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_an_upload_while_the_bucket_is_unreachable_leaves_nothing_and_says_why(w, client, settings, own_s3_server,
                                                                               caplog):
    media = use_s3(settings, own_s3_server)
    own_s3_server.stop()
    client.force_login(w.user("teacher"))
    response = add_evidence(client, w)
    assert response.status_code == 200
    assert "хранилище файлов портала сейчас недоступно или переполнено" in response.content.decode()
    assert not Evidence.objects.exists()
    assert any(r.getMessage() == "storage_failed" for r in caplog.records if r.name == "iom.operations")
    own_s3_server.start()  # an empty endpoint again: nothing of the refused upload reached it
    assert media.objects() == {}


def test_a_download_while_the_bucket_is_unreachable_is_the_portals_503_page(w, client, settings, own_s3_server):
    use_s3(settings, own_s3_server)
    client.force_login(w.user("teacher"))
    add_evidence(client, w)
    evidence = Evidence.objects.get()
    own_s3_server.stop()
    teacher = Client(raise_request_exception=False)
    teacher.force_login(w.user("teacher"))
    response = teacher.get(reverse("routes:evidence_download", args=[evidence.pk]))
    assert response.status_code == 503
    page = response.content.decode()
    assert "Хранилище файлов портала не отвечает" in page and own_s3_server.url not in page


def test_stale_import_previews_are_removed_from_the_bucket(s3_media, rf, monkeypatch):
    import time
    from types import SimpleNamespace

    from core.imports import preview

    request = rf.post("/")
    request.session = {}
    old = preview.save_upload(request, "staff", "сотрудники.xlsx", b"old")
    assert set(s3_media.objects()) == {f"imports/{old}/upload.xlsx"}
    monkeypatch.setattr(preview, "time", SimpleNamespace(time=lambda: time.time() + preview.MAX_AGE_SECONDS + 60))
    new = preview.save_upload(request, "staff", "сотрудники.xlsx", b"new")  # a day later
    assert set(s3_media.objects()) == {f"imports/{new}/upload.xlsx"}
