"""Checks of Office Open XML containers (XLSX, DOCX) before anything unpacks them.

An .xlsx or .docx is a zip archive. A few kilobytes of it can declare gigabytes of XML (a "zip
bomb") or hundreds of thousands of members, and a parser that opens it spends minutes and
memory before it finds out. `check_office_archive` reads only the archive's central directory
(names and declared sizes; nothing is decompressed) and refuses the file when its members are
too many, too large in total, compressed suspiciously well, encrypted, or packed with a method
Office never uses.

The declared sizes are a bound a reader can rely on when it reads through Python's `zipfile`
(openpyxl, python-docx do): `zipfile` never yields more than a member's declared size and
raises on a CRC mismatch, so a member cannot unpack to more than its directory entry says.
A tool outside Python (LibreOffice, an antivirus) has no such guarantee of its own.
"""

import io
import zipfile

from django.core.exceptions import ValidationError

# Deflate at its best packs about 1000:1; real Office XML packs 5–30:1, and rarely beyond 100:1
# (long runs of identical empty cells). Only members large enough to matter are checked.
DEFAULT_MAX_RATIO = 200
RATIO_CHECKED_FROM = 1024 * 1024
OFFICE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} МБ"
    return f"{max(1, -(-size // 1024))} КБ"


def check_office_archive(data_or_file, *, max_members: int, max_uncompressed: int,
                         max_ratio: int = DEFAULT_MAX_RATIO) -> None:
    """Refuse an XLSX/DOCX whose zip directory promises too much; raise ValidationError in Russian.

    `data_or_file` is the file's bytes or a seekable binary file (an UploadedFile); a file is
    left at the position it was found in. Returns None when the archive is acceptable.
    """
    handle = io.BytesIO(data_or_file) if isinstance(data_or_file, (bytes, bytearray, memoryview)) else data_or_file
    position = handle.tell() if hasattr(handle, "tell") else None
    try:
        handle.seek(0)
        try:
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
            raise ValidationError("Файл поврежден или не является документом Office (.xlsx, .docx).") from None
        with archive:
            _check_members(archive.infolist(), max_members=max_members, max_uncompressed=max_uncompressed,
                           max_ratio=max_ratio)
    finally:
        if position is not None:
            handle.seek(position)


def _check_members(members: list[zipfile.ZipInfo], *, max_members: int, max_uncompressed: int,
                   max_ratio: int) -> None:
    if len(members) > max_members:
        raise ValidationError(
            f"В файле слишком много частей: {len(members)}, допускается не больше {max_members}. "
            "Похоже, это не обычный документ Office."
        )
    total = sum(member.file_size for member in members)
    if total > max_uncompressed:
        raise ValidationError(f"После распаковки файл занял бы больше {_size(max_uncompressed)}: разделите его на части.")
    for member in members:
        if member.flag_bits & 0x1:
            raise ValidationError("Файл зашифрован или защищен паролем: снимите защиту и загрузите его снова.")
        if member.compress_type not in OFFICE_METHODS:
            raise ValidationError("Файл упакован необычным способом: сохраните его заново в Excel или Word.")
        if member.file_size >= RATIO_CHECKED_FROM and member.file_size > max_ratio * max(member.compress_size, 1):
            raise ValidationError(
                "Файл сжат неправдоподобно сильно (так устроены «zip-бомбы»): сохраните его заново в Excel или Word."
            )
