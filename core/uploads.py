"""Validation of uploaded evidence files: size, type by name AND by content, EXIF removed.

Only PDF, JPEG, PNG, DOCX and XLSX are accepted. A file's name must carry one of those
extensions and its bytes must be that kind of file: an HTML page renamed to .pdf, an SVG, a
script in a zip are refused. Images are decoded and re-encoded with Pillow, which both proves
they are images and drops EXIF (GPS position, camera serial numbers) from what is stored.

A small file must not cost the worker much to check, nor cost the reader much to open:
- an image is refused above a pixel limit read from its header, before anything is decoded
  (a 650 KB PNG of 13000 × 13000 points decodes to ~0.5 GB);
- a DOCX/XLSX is refused above a member count, a total uncompressed size and a compression
  ratio, all read from the zip's central directory before any member is inflated; the members
  are then inflated in chunks so that a size the directory understates fails its CRC;
- a PDF must have the structure of one (header, `startxref` at the end pointing at a
  cross-reference table or stream, a trailer naming the catalog); `%PDF-1.4` followed by an
  HTML page is not a PDF.
Each limit is a module constant that settings may override (`getattr(settings, NAME, default)`).
"""

import io
import re
import struct
import warnings
import zipfile
import zlib
from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_LABEL = "PDF, JPEG, PNG, DOCX или XLSX"

# extension → (content type, what must be inside a zip container for Office files)
KINDS = {
    "pdf": ("application/pdf", None),
    "jpg": ("image/jpeg", None),
    "jpeg": ("image/jpeg", None),
    "png": ("image/png", None),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/document.xml"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/workbook.xml"),
}
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}

# A scan of an A4 page at 600 dpi is 35 megapixels, a phone photo 12-50; a decoded RGBA image
# takes 4 bytes a pixel, so 40 megapixels is at most 160 MB in the worker while it is re-encoded.
MAX_IMAGE_PIXELS = 40_000_000
# A DOCX has 10-40 parts, an XLSX with many sheets and pictures a few hundred.
ARCHIVE_MAX_MEMBERS = 1000
ARCHIVE_MAX_UNCOMPRESSED = 100 * 1024 * 1024
# Office XML deflates 5-30 times; a part over ARCHIVE_RATIO_FROM bytes packed tighter than this
# is a zip bomb, not a document.
ARCHIVE_MAX_RATIO = 200
ARCHIVE_RATIO_FROM = 1024 * 1024
PDF_TAIL = 2048  # `startxref … %%EOF` must lie within this many bytes of the end
# HTML that a browser would sniff in the first kilobyte: a PDF has none of it there.
PDF_NOT_HTML = (b"<html", b"<script", b"<!doctype", b"<body", b"<head", b"<iframe", b"<svg", b"<?xml")


def _setting(name: str, default: int) -> int:
    return getattr(settings, name, default)


# Pillow's own guard (a warning above the limit, an error above twice the limit) applies to every
# image opened in this process; the portal decodes no image larger than evidence may be.
Image.MAX_IMAGE_PIXELS = _setting("EVIDENCE_MAX_PIXELS", MAX_IMAGE_PIXELS)


@dataclass(frozen=True)
class CheckedUpload:
    content: ContentFile  # what to store (re-encoded for images)
    original_name: str
    content_type: str
    size: int


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}".replace(".", ",")


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


def _content_types(data: bytes) -> set[str]:
    try:
        return {match.mime_type for match in puremagic.magic_string(data)}
    except puremagic.PureError:
        return set()


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.0f}"


def _image_too_large(name: str, limit: int, size: tuple[int, int] | None = None) -> ValidationError:
    found = f" ({size[0]} × {size[1]} точек)" if size else ""
    return ValidationError(
        f"Изображение «{name}» слишком большое{found}: допустимо не более {_megapixels(limit)} мегапикселей. "
        f"Уменьшите его или сохраните в PDF."
    )


def _strip_image(data: bytes, pillow_format: str, name: str) -> bytes:
    """Decode and re-encode the image: EXIF and other metadata are not carried over.

    Image.open reads only the header; the pixel count is checked before load() decodes anything.
    Pillow's DecompressionBombWarning is made an error so that no image above its limit is
    decoded either.
    """
    limit = _setting("EVIDENCE_MAX_PIXELS", MAX_IMAGE_PIXELS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != pillow_format:
                    raise ValidationError("Содержимое изображения не соответствует расширению файла.")
                width, height = image.size
                if width * height > limit:
                    raise _image_too_large(name, limit, image.size)
                image.load()
                upright = ImageOps.exif_transpose(image)  # keep the photo's orientation, drop the tag
                if pillow_format == "JPEG" and upright.mode not in ("RGB", "L"):
                    upright = upright.convert("RGB")
                out = io.BytesIO()
                if pillow_format == "JPEG":
                    upright.save(out, "JPEG", quality=90, optimize=True)
                else:
                    upright.save(out, "PNG", optimize=True)
                return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _image_too_large(name, limit) from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise ValidationError("Изображение повреждено или не читается.") from exc


_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
CENTRAL_ENTRY_BYTES = 256  # generous room per member name and extra fields in the central directory


def _central_directory(data: bytes) -> tuple[int, int] | None:
    """(members, central directory bytes) as the archive's end record declares them, or None.

    Read by hand because zipfile parses the whole central directory on open (seconds for a 10 MB
    archive of 100,000 empty members); this bounds what it will be given.
    """
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - _EOCD.size - 0xFFFF))
    if at == -1 or len(data) < at + _EOCD.size:
        return None
    fields = _EOCD.unpack_from(data, at)
    members, size = fields[4], fields[5]
    if members == 0xFFFF or size == 0xFFFFFFFF:  # ZIP64: the real figures are in its own record
        locator = at - _ZIP64_LOCATOR.size
        if locator < 0 or data[locator:locator + 4] != b"PK\x06\x07":
            return None
        record = _ZIP64_LOCATOR.unpack_from(data, locator)[2]
        if record + _ZIP64_EOCD.size > len(data) or data[record:record + 4] != b"PK\x06\x06":
            return None
        fields = _ZIP64_EOCD.unpack_from(data, record)
        members, size = fields[7], fields[8]
    return members, size


def _too_many_members(name: str, members: int, limit: int) -> ValidationError:
    return ValidationError(
        f"Файл «{name}» состоит из {members} частей: документ может состоять не более чем из {limit}. "
        f"Сохраните его заново или загрузите в PDF."
    )


def _check_archive_limits(members: list[zipfile.ZipInfo], name: str) -> None:
    max_total = _setting("EVIDENCE_ARCHIVE_MAX_UNCOMPRESSED", ARCHIVE_MAX_UNCOMPRESSED)
    total = sum(m.file_size for m in members)
    if total > max_total:
        raise ValidationError(
            f"Файл «{name}» после распаковки занимает {_megabytes(total)} МБ: допустимо не более "
            f"{_megabytes(max_total)} МБ. Уменьшите документ или загрузите его в PDF."
        )
    max_ratio = _setting("EVIDENCE_ARCHIVE_MAX_RATIO", ARCHIVE_MAX_RATIO)
    for m in members:
        ratio = m.file_size // max(1, m.compress_size)
        if m.file_size > ARCHIVE_RATIO_FROM and ratio > max_ratio:
            raise ValidationError(
                f"Часть «{m.filename[:80]}» файла «{name}» сжата в {ratio} раз: в документе допустимо не более "
                f"чем в {max_ratio} раз. Такой файл не принимается."
            )


def _check_office_archive(data: bytes, name: str, required_part: str) -> bool:
    """False when this is not an Office file of the expected kind; ValidationError when it is
    too expensive to open. Evidence's own check, written before core.archives; the two can merge."""
    declared = _central_directory(data)
    if declared is None:
        return False
    max_members = _setting("EVIDENCE_ARCHIVE_MAX_MEMBERS", ARCHIVE_MAX_MEMBERS)
    if declared[0] > max_members or declared[1] > max_members * CENTRAL_ENTRY_BYTES:
        raise _too_many_members(name, max(declared[0], declared[1] // CENTRAL_ENTRY_BYTES), max_members)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()  # the central directory only: nothing is inflated yet
            if len(members) > max_members:
                raise _too_many_members(name, len(members), max_members)
            _check_archive_limits(members, name)
            if required_part not in archive.namelist():
                return False
            for member in members:  # flat memory; a size the directory understates fails the CRC
                with archive.open(member) as part:
                    while part.read(64 * 1024):
                        pass
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, RuntimeError, ValueError,
            OSError, EOFError):
        # damaged, encrypted or packed in a way zipfile cannot read: not a document we accept
        return False
    return True


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF")
_XREF_TABLE = re.compile(rb"\s*xref\s")
_XREF_STREAM = re.compile(rb"\s*\d+\s+\d+\s+obj\s*<<")
_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")


def _pdf_is_well_formed(data: bytes) -> bool:
    """The structure every PDF reader starts from, checked without a PDF library.

    The header, no HTML in the first kilobyte, `startxref N %%EOF` at the end, N pointing at an
    `xref` table followed by a trailer naming /Root, or at an xref stream object (/Type /XRef,
    /Root), and at least one object.
    """
    if not re.match(rb"%PDF-[12]\.\d", data):
        return False
    if any(marker in data[:1024].lower() for marker in PDF_NOT_HTML):
        return False
    ends = list(_STARTXREF.finditer(data[-PDF_TAIL:]))
    if not ends:
        return False
    offset = int(ends[-1].group(1))
    if not 0 < offset < len(data) or not _OBJECT.search(data):
        return False
    section = data[offset:]
    if _XREF_TABLE.match(section):
        trailer = section.find(b"trailer")
        return trailer != -1 and b"/Root" in section[trailer:section.find(b"startxref", trailer)]
    if _XREF_STREAM.match(section):
        stream = section.find(b"stream")
        dictionary = section[:stream]
        return stream != -1 and bool(re.search(rb"/Type\s*/XRef\b", dictionary)) and b"/Root" in dictionary
    return False


def validate_evidence_upload(upload) -> CheckedUpload:
    """Check an uploaded file; return what to store, or raise ValidationError in Russian."""
    limit = settings.EVIDENCE_MAX_BYTES
    name = (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    if upload.size is not None and upload.size > limit:
        raise ValidationError(f"Файл «{name}» больше {_megabytes(limit)} МБ: уменьшите его или загрузите ссылку.")
    extension = _extension(name)
    if extension not in KINDS:
        raise ValidationError(f"Файл «{name}» не принят: допустимы {ALLOWED_LABEL}.")
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f"Файл «{name}» больше {_megabytes(limit)} МБ: уменьшите его или загрузите ссылку.")
    if not data:
        raise ValidationError(f"Файл «{name}» пуст.")
    content_type, office_part = KINDS[extension]
    if content_type not in _content_types(data) or (office_part and not _check_office_archive(data, name, office_part)):
        raise ValidationError(
            f"Содержимое файла «{name}» не соответствует расширению .{extension}: допустимы {ALLOWED_LABEL}."
        )
    if content_type == "application/pdf" and not _pdf_is_well_formed(data):
        raise ValidationError(
            f"Файл «{name}» не читается как PDF-документ: сохраните его в PDF заново (например, «Сохранить как» → "
            f"PDF) и загрузите еще раз."
        )
    if content_type in PILLOW_FORMATS:
        data = _strip_image(data, PILLOW_FORMATS[content_type], name)
    return CheckedUpload(content=ContentFile(data, name=name), original_name=name, content_type=content_type,
                         size=len(data))


class StorageUnavailable(Exception):
    """The file could not be stored (disk full, storage unreachable); the message is for the user."""


STORAGE_UNAVAILABLE = ("Не удалось сохранить файл: хранилище файлов портала сейчас недоступно или переполнено. "
                       "Ничего не сохранено — попробуйте еще раз позже; если ошибка повторится, сообщите "
                       "администратору.")


def store_file(field_file, filename: str, content) -> None:
    """Store `content` as the file of a FileField (without saving the row), or raise StorageUnavailable.

    A failed write leaves nothing behind: FileSystemStorage writes in place, so a full disk would
    leave a truncated file under the name that no row will ever hold; it is removed here. The name is
    chosen before the write (a new one: generated names are unique), so only this write's file is
    ever removed. The same holds on an S3 bucket (core/storage.py), whose errors are not OSError.
    """
    from core.logging import operations_log
    from core.storage import STORAGE_ERRORS

    storage, field = field_file.storage, field_file.field
    name = field.generate_filename(field_file.instance, filename)
    chosen = None
    try:
        # on a bucket, finding a free name is already a request to the storage (it may be away)
        chosen = name = storage.get_available_name(name, max_length=field.max_length)
        stored = storage.save(name, content, max_length=field.max_length)
    except STORAGE_ERRORS as exc:  # OSError from the disk, boto3's own errors from a bucket
        try:
            if chosen is not None and storage.exists(chosen):  # only a name this write took is removed
                storage.delete(chosen)
        except STORAGE_ERRORS:
            pass  # the storage is gone altogether: nothing of this write can be left on it either
        operations_log.error("storage_failed", extra={"file": name, "error": f"{type(exc).__name__}: {exc}"[:300]})
        raise StorageUnavailable(STORAGE_UNAVAILABLE) from exc
    field_file.name = stored
    setattr(field_file.instance, field.attname, stored)
    field_file._committed = True
