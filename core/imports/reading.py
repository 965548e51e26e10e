"""Reading an uploaded table: the first sheet of an .xlsx, or a .csv in UTF-8 (with or without
BOM) or cp1251 (what Russian Excel saves), separated by `;` or `,`."""

import contextlib
import csv
import io
import zipfile
from dataclasses import dataclass

MAX_BYTES = 20 * 1024 * 1024
BOM = b"\xef\xbb\xbf"


class UnreadableFile(ValueError):
    """The file cannot be read as a table at all; str(exc) is the Russian message."""


@dataclass
class Table:
    header: list[str]
    rows: list[tuple]  # data rows, in file order; row i is file row i + 2


def read_table(data: bytes, filename: str) -> Table:
    name = filename.lower()
    if len(data) > MAX_BYTES:
        raise UnreadableFile(f"Файл больше {MAX_BYTES // (1024 * 1024)} МБ: разделите его на части.")
    if not data.strip():
        raise UnreadableFile("Файл пуст.")
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(data)
    elif name.endswith(".csv"):
        rows = _csv_rows(data)
    elif name.endswith(".xls"):
        raise UnreadableFile("Формат .xls не поддерживается: сохраните файл в Excel как «Книга Excel (.xlsx)».")
    else:
        raise UnreadableFile("Загрузите файл .xlsx или .csv.")
    rows = iter(rows)
    header = next(rows, None)
    if header is None:
        raise UnreadableFile("В файле нет строки заголовков.")
    header = [("" if cell is None else str(cell)) for cell in header]
    while header and not header[-1].strip():
        header.pop()
    body = [row for row in rows if any(cell not in (None, "") and str(cell).strip() for cell in row)]
    return Table(header=header, rows=body)


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnreadableFile("Файл не является книгой Excel (.xlsx).")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged book
        raise UnreadableFile("Не удалось прочитать книгу Excel: файл поврежден или это не .xlsx.") from exc
    if not book.worksheets:
        raise UnreadableFile("В книге нет листов.")
    sheet = book.worksheets[0]
    # Trailing empty rows of a read-only sheet are dropped by read_table.
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def decode_csv(data: bytes) -> str:
    if data.startswith(BOM):
        return data[len(BOM):].decode("utf-8", errors="strict")
    with contextlib.suppress(UnicodeDecodeError):  # not UTF-8: Russian Excel saves cp1251
        return data.decode("utf-8")
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError:
        raise UnreadableFile("Не удалось определить кодировку CSV: сохраните его в UTF-8 или Windows-1251.") from None


def sniff_delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") >= first_line.count(",") else ","


def _csv_rows(data: bytes):
    text = decode_csv(data)
    if "\x00" in text:
        raise UnreadableFile("Файл не похож на CSV: в нем есть двоичные данные.")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    try:
        return [tuple(row) for row in reader]
    except csv.Error as exc:
        raise UnreadableFile(f"Ошибка в структуре CSV: {exc}") from None
