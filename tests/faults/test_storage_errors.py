"""Storage errors on an evidence upload (issue 21): the disk full or the storage unreachable leaves
neither a file without a row nor a row without a file, and the teacher reads why in Russian."""

import errno
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from routes.models import Evidence, Route
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.routes.roadmap.test_uploads import PDF
from tests.world import World

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def w():
    world = World()
    world.activity = ActivityFactory(route=RouteFactory(person=world.teacher_staff, status=Route.Status.IN_PROGRESS))
    return world


def disk_full(self, name, content):
    """FileSystemStorage writing in place until the disk is full: half a file stays under the name."""
    path = Path(self.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.read()[:100])
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def unreachable(self, name, content):
    raise OSError(errno.EIO, os.strerror(errno.EIO))


def stored_files() -> list[str]:
    folder = Path(settings.MEDIA_ROOT) / Evidence.STORAGE_FOLDER
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.django_db
@pytest.mark.parametrize("failure", [disk_full, unreachable], ids=["disk-full", "storage-unreachable"])
def test_an_upload_the_storage_refuses_leaves_nothing_and_says_why(w, client, monkeypatch, failure, caplog):
    monkeypatch.setattr(FileSystemStorage, "_save", failure)
    client.force_login(w.user("teacher"))
    response = client.post(reverse("routes:evidence_add", args=[w.activity.pk]), {
        "kind": "certificate", "file": SimpleUploadedFile("сертификат.pdf", PDF, content_type="application/pdf")},
        **HTMX)
    assert response.status_code == 200
    assert "хранилище файлов портала сейчас недоступно или переполнено" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files() == []
    assert any(r.getMessage() == "storage_failed" for r in caplog.records if r.name == "iom.operations")


@pytest.mark.django_db
def test_marking_done_with_a_file_the_storage_refuses_changes_nothing(w, client, monkeypatch):
    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)
    client.force_login(w.user("teacher"))
    response = client.post(reverse("routes:activity_done", args=[w.activity.pk]), {
        "done_on": "01.09.2026", "evidence_kind": "certificate", "note": "",
        "file": SimpleUploadedFile("сертификат.pdf", PDF, content_type="application/pdf")}, **HTMX)
    assert "хранилище файлов портала" in response.content.decode()
    w.activity.refresh_from_db()
    assert not w.activity.is_done and not Evidence.objects.exists() and stored_files() == []


@pytest.mark.django_db
def test_the_same_upload_is_stored_once_the_storage_is_back(w, client):
    client.force_login(w.user("teacher"))
    client.post(reverse("routes:evidence_add", args=[w.activity.pk]), {
        "kind": "certificate", "file": SimpleUploadedFile("сертификат.pdf", PDF, content_type="application/pdf")},
        **HTMX)
    evidence = Evidence.objects.get()
    assert stored_files() == [Path(evidence.file.name).name]
    assert evidence.file.read()[:5] == b"%PDF-"
