"""Evidence uploads: size, type by name and by content, EXIF stripped, stored under generated names."""

import io

import docx
import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from core.uploads import validate_evidence_upload
from routes.models import Evidence, Route
from routes.roadmap import services as roadmap
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

# The smallest real PDF: catalog, page tree, one page, an xref table whose offsets are right.
PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\n"
    b"endobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\nxref\n0 4\n"
    b"0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \ntrailer\n"
    b"<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n"
)


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    exif[0x0131] = "GPS-leaking firmware"  # Software
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(out, "PNG")
    return out.getvalue()


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Справка")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("сертификат.pdf", PDF, "application/pdf"),
    ("фото.JPG", None, "image/jpeg"),
    ("скан.png", None, "image/png"),
    ("справка.docx", None, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("таблица.xlsx", None, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_allowed_types_are_accepted(name, content, content_type):
    content = content or {"фото.JPG": jpeg_with_exif, "скан.png": png_bytes, "справка.docx": docx_bytes,
                          "таблица.xlsx": xlsx_bytes}[name]()
    checked = validate_evidence_upload(upload(name, content))
    assert checked.content_type == content_type
    assert checked.original_name == name


@pytest.mark.parametrize(("name", "content"), [
    ("отчет.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
    ("рисунок.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'),
    ("фото.jpg", PDF),
    ("таблица.xlsx", None),  # a DOCX renamed to .xlsx
    ("документ.docx", b"PK\x03\x04 not really a zip"),
])
def test_wrong_content_under_a_right_name_is_refused(name, content):
    content = content if content is not None else docx_bytes()
    with pytest.raises(ValidationError, match="не соответствует"):
        validate_evidence_upload(upload(name, content))


@pytest.mark.parametrize("name", ["page.html", "logo.svg", "script.js", "archive.zip", "без_расширения"])
def test_other_extensions_are_refused(name):
    with pytest.raises(ValidationError, match="допустимы PDF, JPEG, PNG, DOCX или XLSX"):
        validate_evidence_upload(upload(name, PDF))


def test_too_large_a_file_is_refused(settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError, match="больше 1 МБ"):
        validate_evidence_upload(upload("big.pdf", PDF + b"0" * (1024 * 1024)))


def test_exif_is_removed_from_images():
    original = jpeg_with_exif()
    assert b"SecretCamera" in original
    stored = validate_evidence_upload(upload("фото.jpg", original)).content.read()
    assert b"SecretCamera" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (40, 30) and not image.getexif()


@pytest.mark.django_db
def test_evidence_is_stored_under_a_generated_name_outside_static(settings):
    w = World()
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    row = ActivityFactory(route=route)
    roadmap.activity_mark_done(actor=w.user("teacher"), activity=row, done_on=timezone.localdate(),
                               upload=upload("Иванова сертификат.pdf", PDF), evidence_kind="certificate")
    evidence = Evidence.objects.get()
    assert evidence.file.name.startswith("evidence/") and "Иванова" not in evidence.file.name
    assert evidence.original_name == "Иванова сертификат.pdf"
    assert evidence.file.path.startswith(str(settings.MEDIA_ROOT))


@pytest.mark.django_db
def test_a_refused_upload_marks_nothing_done():
    w = World()
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    row = ActivityFactory(route=route)
    with pytest.raises(ValidationError):
        roadmap.activity_mark_done(actor=w.user("teacher"), activity=row, done_on=timezone.localdate(),
                                   upload=upload("отчет.pdf", b"<html></html>"))
    row.refresh_from_db()
    assert not row.is_done and not Evidence.objects.exists()
