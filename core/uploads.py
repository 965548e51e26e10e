"""Validation of uploaded evidence files: size, type by name AND by content, EXIF removed.

Only PDF, JPEG, PNG, DOCX and XLSX are accepted. A file's name must carry one of those
extensions and its bytes must be that kind of file: an HTML page renamed to .pdf, an SVG, a
script in a zip are refused. Images are decoded and re-encoded with Pillow, which both proves
they are images and drops EXIF (GPS position, camera serial numbers) from what is stored.
"""

import io
import zipfile
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


def _office_part_present(data: bytes, part: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return part in archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False


def _strip_image(data: bytes, pillow_format: str) -> bytes:
    """Decode and re-encode the image: EXIF and other metadata are not carried over."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != pillow_format:
                raise ValidationError("Содержимое изображения не соответствует расширению файла.")
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
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError("Изображение повреждено или не читается.") from exc


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
    if content_type not in _content_types(data) or (office_part and not _office_part_present(data, office_part)):
        raise ValidationError(
            f"Содержимое файла «{name}» не соответствует расширению .{extension}: допустимы {ALLOWED_LABEL}."
        )
    if content_type in PILLOW_FORMATS:
        data = _strip_image(data, PILLOW_FORMATS[content_type])
    return CheckedUpload(content=ContentFile(data, name=name), original_name=name, content_type=content_type,
                         size=len(data))
