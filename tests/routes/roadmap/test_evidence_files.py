"""A refused evidence file leaves nothing behind: no row, no file in media storage, the activity
not marked done; an accepted real file is stored."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from routes.models import Evidence, Route
from routes.roadmap import services as roadmap
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.security.test_uploads import MiB, docx_bytes, png_header_only, tiny_pdf, upload, zip_with_extra
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity():
    w = World()
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    return w.user("teacher"), ActivityFactory(route=route)


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(("name", "build", "message"), [
    ("скан.png", lambda: png_header_only(13000, 13000), "мегапикселей"),
    ("отчет.docx", lambda: zip_with_extra(docx_bytes(), "word/media/image1.bin", 1024 * MiB), "после распаковки"),
    ("сертификат.pdf", lambda: b"%PDF-1.4\n<html><script>alert(1)</script></html>", "не читается как PDF"),
], ids=["png-bomb", "docx-bomb", "html-pdf"])
def test_a_refused_evidence_file_stores_nothing(activity, settings, name, build, message):
    teacher, row = activity
    with pytest.raises(ValidationError, match=message):
        roadmap.activity_mark_done(actor=teacher, activity=row, done_on=timezone.localdate(),
                                   upload=upload(name, build()), evidence_kind="certificate")
    row.refresh_from_db()
    assert not row.is_done and not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_a_real_pdf_is_stored(activity, settings):
    teacher, row = activity
    roadmap.activity_mark_done(actor=teacher, activity=row, done_on=timezone.localdate(),
                               upload=upload("сертификат.pdf", tiny_pdf()), evidence_kind="certificate")
    evidence = Evidence.objects.get()
    assert evidence.content_type == "application/pdf"
    assert [p.name for p in stored_files(settings)] == [Path(evidence.file.name).name]
