"""Evidence that is cheap to send but expensive to open is refused before it costs anything:
an image above the pixel limit before decoding, a DOCX/XLSX above the archive limits before
inflating, a "PDF" that is not one. Real documents of every accepted kind still pass."""

import io
import re
import struct
import zipfile
import zlib

import docx
import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile
from weasyprint import HTML

from core import uploads
from core.uploads import validate_evidence_upload

MiB = 1024 * 1024


# --------------------------------------------------------------------------- files built for the tests

def tiny_pdf(comment: bytes = b"") -> bytes:
    """A one-page PDF with a correct cross-reference table, built by hand; `comment` goes after
    the header line (offsets stay right)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    out, offsets = b"%PDF-1.4\n" + comment, []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def weasyprint_pdf(**options) -> bytes:
    """A PDF as the portal itself writes them (an xref stream by default, a table uncompressed)."""
    return HTML(string="<h1>Сертификат</h1><p>Иванова Мария Петровна прошла курсы.</p>").write_pdf(**options)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares width × height but carries almost no data: Image.open reads its size;
    decoding it would allocate width × height × 3 bytes. Nothing of that size is ever made here."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1024))
            + chunk(b"IEND", b""))


def image_bytes(fmt: str, size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, fmt)
    return out.getvalue()


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_heading("Справка о прохождении курсов", 1)
    document.add_paragraph("Выдана Ивановой Марии Петровне.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Мероприятие", "Дата", "Часы"])
    for i in range(200):
        sheet.append([f"Семинар {i}", "01.03.2023", 4])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _deflate_zeros(size: int) -> tuple[bytes, int]:
    """Raw deflate of `size` zero bytes and their CRC, without compressing `size` bytes: after a
    full flush the compressor's output for the same MiB repeats, so one block is reused."""
    assert size % MiB == 0
    block = b"\0" * MiB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    middle = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = compressor.compress(block) + compressor.flush()
    crc = 0
    for _ in range(size // MiB):
        crc = zlib.crc32(block, crc)
    return first + middle * (size // MiB - 2) + last, crc


def zip_with_extra(base: bytes, name: str, size: int, declared_size: int | None = None) -> bytes:
    """`base` (a real DOCX) plus one member of `size` zero bytes, the zip written by hand so that
    the member can declare `declared_size` in its headers (a zip that understates its content)."""
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        members = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    entries = []
    for filename, content in members:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        entries.append((filename, compressor.compress(content) + compressor.flush(), zlib.crc32(content),
                        len(content)))
    packed, crc = _deflate_zeros(size)
    entries.append((name, packed, crc, size if declared_size is None else declared_size))
    body, directory = b"", b""
    for filename, packed, crc, length in entries:
        encoded = filename.encode()
        offset = len(body)
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(packed), length, len(encoded), 0)
        body += encoded + packed
        directory += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(packed), length,
                                 len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), len(body), 0)
    return body + directory + end


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def load_calls(monkeypatch):
    """Records every decode of image data (ImageFile.load is where Pillow allocates the pixels)."""
    calls = []
    original = ImageFile.ImageFile.load

    def recording_load(self):
        calls.append(self.size)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", recording_load)
    return calls


# --------------------------------------------------------------------------- images

def test_huge_png_is_refused_before_decoding(load_calls):
    content = png_header_only(13000, 13000)  # the finding: 169 megapixels in a few hundred bytes
    assert len(content) < 2048
    with pytest.raises(ValidationError, match="не более 40 мегапикселей"):
        validate_evidence_upload(upload("скан.png", content))
    assert load_calls == []


def test_png_just_over_the_pixel_limit_is_refused_before_decoding(load_calls):
    # 48 megapixels: under twice Pillow's limit, so only its warning fires, which must not pass
    with pytest.raises(ValidationError, match="не более 40 мегапикселей"):
        validate_evidence_upload(upload("скан.png", png_header_only(8000, 6000)))
    assert load_calls == []


def test_the_pixel_limit_is_checked_from_the_header_whatever_pillows_own_limit(settings, monkeypatch, load_calls):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)  # Pillow's guard off: the portal's check remains
    settings.EVIDENCE_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError, match=r"2000 × 1000 точек.*не более 1 мегапикселей"):
        validate_evidence_upload(upload("фото.jpg", image_bytes("JPEG", (2000, 1000))))
    assert load_calls == []


def test_an_image_under_the_limit_is_decoded_and_stored():
    checked = validate_evidence_upload(upload("фото.png", image_bytes("PNG", (640, 480))))
    with Image.open(checked.content) as image:
        assert image.size == (640, 480)


# --------------------------------------------------------------------------- DOCX / XLSX archives

def test_docx_bomb_is_refused():
    bomb = zip_with_extra(docx_bytes(), "word/media/image1.bin", 1024 * MiB)  # the finding: ~1 MB → 1 GiB
    assert len(bomb) < 2 * MiB
    with pytest.raises(ValidationError, match=r"после распаковки занимает 102\d МБ: допустимо не более 100 МБ"):
        validate_evidence_upload(upload("отчет.docx", bomb))


def test_docx_part_packed_beyond_any_document_ratio_is_refused():
    # 64 MiB fits under the size limit, but a part deflated ~1000 times is no document's
    bomb = zip_with_extra(docx_bytes(), "word/media/image1.bin", 64 * MiB)
    with pytest.raises(ValidationError, match="сжата в \\d+ раз: в документе допустимо не более чем в 200 раз"):
        validate_evidence_upload(upload("отчет.docx", bomb))


def test_docx_whose_directory_understates_a_part_is_refused():
    # declares 1 MiB, inflates to 256 MiB: the directory limits pass, reading the part fails its CRC
    lying = zip_with_extra(docx_bytes(), "word/media/image1.bin", 256 * MiB, declared_size=MiB)
    with pytest.raises(ValidationError, match="не соответствует расширению .docx"):
        validate_evidence_upload(upload("отчет.docx", lying))


def test_xlsx_with_too_many_parts_is_refused_before_the_directory_is_parsed(monkeypatch):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes())) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.filelist:
            target.writestr(info, source.read(info.filename))
        for i in range(1500):
            target.writestr(f"xl/media/{i}.bin", b"")
        parts = len(target.filelist)
    opened = []
    original = zipfile.ZipFile.__init__
    monkeypatch.setattr(zipfile.ZipFile, "__init__", lambda self, *a, **k: opened.append(1) or original(self, *a, **k))
    with pytest.raises(ValidationError, match=f"состоит из {parts} частей: документ может состоять не более чем из 1000"):
        validate_evidence_upload(upload("таблица.xlsx", out.getvalue()))
    assert opened == []  # zipfile parses the whole central directory on open: it was never given this one


# --------------------------------------------------------------------------- PDF

def test_pdf_header_followed_by_html_is_refused():
    content = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"
    with pytest.raises(ValidationError, match="не читается как PDF"):
        validate_evidence_upload(upload("сертификат.pdf", content))


@pytest.mark.parametrize("content", [
    b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",  # no startxref
    re.sub(rb"startxref\n\d+", b"startxref\n99999", tiny_pdf()),  # startxref points past the end
    re.sub(rb"startxref\n\d+", b"startxref\n9", tiny_pdf()),  # startxref points into an object
    tiny_pdf().replace(b"/Root 1 0 R", b"/Info 1 0 R"),  # no catalog
    tiny_pdf(comment=b"%<!DOCTYPE html><html><script>alert(1)</script></html>\n"),  # a polyglot for browsers
], ids=["no-startxref", "startxref-past-end", "startxref-elsewhere", "no-root", "html-at-start"])
def test_pdf_without_the_structure_of_one_is_refused(content):
    with pytest.raises(ValidationError, match="не читается как PDF"):
        validate_evidence_upload(upload("сертификат.pdf", content))


# --------------------------------------------------------------------------- what must still pass

@pytest.mark.parametrize(("name", "build", "content_type"), [
    ("сертификат.pdf", tiny_pdf, "application/pdf"),
    ("справка.pdf", weasyprint_pdf, "application/pdf"),
    ("справка без сжатия.pdf", lambda: weasyprint_pdf(uncompressed_pdf=True), "application/pdf"),
    ("справка.docx", docx_bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("скан.png", lambda: image_bytes("PNG"), "image/png"),
    ("фото.jpg", lambda: image_bytes("JPEG"), "image/jpeg"),
    ("фото.jpeg", lambda: image_bytes("JPEG", (4000, 3000)), "image/jpeg"),  # a 12-megapixel phone photo
    ("таблица.xlsx", xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_real_pdf_docx_png_jpeg_xlsx_are_still_accepted(name, build, content_type):
    checked = validate_evidence_upload(upload(name, build()))
    assert checked.content_type == content_type and checked.size > 0


def test_the_limits_are_module_constants_that_settings_may_override(settings):
    assert uploads.MAX_IMAGE_PIXELS == 40_000_000
    assert uploads.ARCHIVE_MAX_MEMBERS == 1000 and uploads.ARCHIVE_MAX_UNCOMPRESSED == 100 * MiB
    settings.EVIDENCE_ARCHIVE_MAX_MEMBERS = 3
    with pytest.raises(ValidationError, match="не более чем из 3"):
        validate_evidence_upload(upload("таблица.xlsx", xlsx_bytes()))
