"""Reading an uploaded table: the first sheet of an .xlsx, or a .csv in UTF-8 (with or without BOM)
or cp1251 (what Russian Excel saves), separated by `;` or `,`.

Both are read by the rows the file actually holds, within limits checked as early as possible:
the file's size first; for an .xlsx the zip directory (members, unpacked size, compression
ratio) before anything parses it; then rows and columns while reading. An .xlsx declares
its used range in `<dimension ref="A1:XFD20000"/>`, and openpyxl pads every row to that range
and fills every missing row inside it: a 5 KB file can so make a reader walk hundreds of
millions of empty cells. The declared range is therefore ignored, and reading stops with a
Russian message at the first row past the limits.

An .xlsx is read by calamine (python-calamine, Rust: about seven times faster than openpyxl on a
staff list) when the cell references of its sheets show that its grid is small. calamine builds
the sheet as one dense grid from the first to the last cell: a 5 KB file with one cell at
XFD200000 makes it allocate 100 GB and abort the process, which no `except` catches. Before it is
called, `_grid_is_small` therefore scans every sheet's XML for the references of its rows and
cells (streamed, within the unpacked size already checked) and sends anything it cannot vouch
for (a cell without a reference, a grid past the limits) to the openpyxl reader, which streams
row by row and stops with the limits' Russian messages.
"""

import contextlib
import csv
import io
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from core.archives import check_office_archive
from core.errors import DomainError

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000  # data rows, the header not counted
MAX_COLUMNS = 200
# An .xlsx is refused before parsing above these (a real workbook has a dozen members).
XLSX_MAX_MEMBERS = 1000
XLSX_MAX_UNCOMPRESSED = 150 * 1024 * 1024
# Rows the reader may pass over (empty ones, and the ones openpyxl makes up for gaps in the
# numbering) before it gives up: the work is bounded whatever the row numbers say.
MAX_ROWS_TOUCHED = 2 * (MAX_ROWS + 1)
# Rows whose only cells beyond MAX_COLUMNS are empty (formatting) before the file is refused.
MAX_WIDE_EMPTY_ROWS = 100
BOM = b"\xef\xbb\xbf"
# The largest grid calamine may build (rows × columns from A1 to the last cell): 10,000 staff rows of
# 15 columns are 150,000 cells; a grid of 4 million cells takes about 100 MB.
CALAMINE_MAX_CELLS = 4_000_000


class UnreadableFile(DomainError, ValueError):
    """The file cannot be read as a table at all; str(exc) is the Russian message."""


@dataclass
class Table:
    header: list[str]
    rows: list[tuple]  # data rows, in file order; row i is file row i + 2 (blank rows dropped)


def _number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _too_many_rows() -> UnreadableFile:
    return UnreadableFile(f"В таблице больше {_number(MAX_ROWS)} строк данных: разделите файл на части.")


def _too_many_columns(column: int) -> UnreadableFile:
    return UnreadableFile(f"В таблице заполнен столбец {column}, а допускается не больше {MAX_COLUMNS} столбцов: "
                          "удалите лишние столбцы.")


def read_table(data: bytes, filename: str, *, on_row=None) -> Table:
    """The header and the non-blank data rows; `on_row(n)` is told how many data rows are read so far."""
    name = filename.lower()
    check_size(data)
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
    header = next(rows, None)
    if header is None:
        raise UnreadableFile("В файле нет строки заголовков.")
    header = [("" if cell is None else str(cell)) for cell in header]
    while header and not header[-1].strip():
        header.pop()
    body = []
    for row in rows:
        if any(cell not in (None, "") and str(cell).strip() for cell in row):
            if len(body) == MAX_ROWS:
                raise _too_many_rows()
            body.append(row)
            if on_row is not None and len(body) % 500 == 0:
                on_row(len(body))
    return Table(header=header, rows=body)


def check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise UnreadableFile(f"Файл больше {MAX_BYTES // (1024 * 1024)} МБ: разделите его на части.")


def check_xlsx_archive(data: bytes) -> int:
    """Refuse a hostile .xlsx before parsing; return the unpacked size of its sheets and strings."""
    import zipfile

    try:
        check_office_archive(data, max_members=XLSX_MAX_MEMBERS, max_uncompressed=XLSX_MAX_UNCOMPRESSED)
    except ValidationError as exc:
        message = exc.messages[0]
        if "не является документом Office" in message:
            message = "Файл не является книгой Excel (.xlsx)."
        raise UnreadableFile(message) from None
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(m.file_size for m in archive.infolist()
                   if m.filename.startswith("xl/worksheets/") or m.filename == "xl/sharedStrings.xml")


def text_size(data: bytes, filename: str) -> int:
    """How much text reading the file will parse: the unpacked sheets of an .xlsx, the bytes of a .csv.

    Raises UnreadableFile for a file that is refused anyway (too large, a hostile archive).
    """
    check_size(data)
    return check_xlsx_archive(data) if filename.lower().endswith(".xlsx") else len(data)


# Start tags of rows and cells, with or without a namespace prefix (`<x:c r="B2">` is valid XML).
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_CELL_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_ROW_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?\br=\"([0-9]{1,7})\"")
_SCAN_CHUNK = 1 << 20


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _grid_is_small(data: bytes) -> bool:
    """Whether every sheet's rows and cells carry references that keep calamine's grid within the limits."""
    last_row = last_column = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
                continue
            with archive.open(member) as stream:
                tail = b""
                while chunk := stream.read(_SCAN_CHUNK):
                    text = tail + chunk
                    cut = text.rfind(b">") + 1  # a tag is whole once its ">" is read
                    text, tail = text[:cut], text[cut:]
                    refs = _CELL_REF.findall(text)
                    rows = _ROW_REF.findall(text)
                    if len(refs) != len(_CELL.findall(text)) or len(rows) != len(_ROW.findall(text)):
                        return False  # a cell or row placed by its order, not by a reference
                    for letters, digits in refs:
                        last_column = max(last_column, _column_number(letters))
                        last_row = max(last_row, int(digits))
                    if rows:
                        last_row = max(last_row, *(int(r) for r in rows))
                    if (last_row > MAX_ROWS_TOUCHED or last_column > MAX_COLUMNS
                            or last_row * last_column > CALAMINE_MAX_CELLS):
                        return False
                if tail.strip():
                    return False
    return True


def _calamine_grid(data: bytes) -> list[list]:
    """The first sheet from A1 to its last cell, empty cells as ""; only for a grid `_grid_is_small` passed."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not book.sheet_names:
            raise UnreadableFile("В книге нет листов.")
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except UnreadableFile:
        raise
    except Exception as exc:  # calamine raises its own errors and ValueError for a damaged book
        raise UnreadableFile("Не удалось прочитать книгу Excel: файл поврежден или это не .xlsx.") from exc


def _calamine_rows(data: bytes):
    for row in _calamine_grid(data):
        # openpyxl's shape: empty cells are None, and a row is as wide as its last filled cell
        cells = [None if cell == "" else cell for cell in row]
        while cells and cells[-1] is None:
            cells.pop()
        yield tuple(cells)


def _xlsx_rows(data: bytes):
    check_xlsx_archive(data)
    if _grid_is_small(data):
        yield from _calamine_rows(data)
    else:
        yield from _openpyxl_rows(data)


def _openpyxl_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged book
        raise UnreadableFile("Не удалось прочитать книгу Excel: файл поврежден или это не .xlsx.") from exc
    try:
        if not book.worksheets:
            raise UnreadableFile("В книге нет листов.")
        sheet = book.worksheets[0]
        # The declared range is the file's word, not its content: without it openpyxl neither pads
        # rows to its width nor invents its missing rows, and each row is as wide as its last cell.
        sheet.reset_dimensions()
        touched = wide_empty = 0
        try:
            for row in sheet.iter_rows(values_only=True):
                touched += 1
                if touched > MAX_ROWS_TOUCHED:
                    raise _too_many_rows()
                if len(row) > MAX_COLUMNS:
                    beyond = next((i for i in range(MAX_COLUMNS, len(row)) if row[i] not in (None, "")), None)
                    if beyond is not None:
                        raise _too_many_columns(beyond + 1)
                    wide_empty += 1
                    if wide_empty > MAX_WIDE_EMPTY_ROWS:
                        raise UnreadableFile(f"В таблице оформлены ячейки дальше {MAX_COLUMNS}-го столбца: "
                                             "удалите лишние столбцы или скопируйте данные на новый лист.")
                    row = row[:MAX_COLUMNS]
                yield row
        except UnreadableFile:
            raise
        except Exception as exc:  # a damaged sheet is found while reading it
            raise UnreadableFile("Не удалось прочитать книгу Excel: файл поврежден.") from exc
    finally:
        book.close()


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
    touched = 0
    try:
        for row in reader:
            touched += 1
            if touched > MAX_ROWS_TOUCHED:
                raise _too_many_rows()
            if len(row) > MAX_COLUMNS:
                beyond = next((i for i in range(MAX_COLUMNS, len(row)) if row[i].strip()), None)
                if beyond is not None:
                    raise _too_many_columns(beyond + 1)
                row = row[:MAX_COLUMNS]
            yield tuple(row)
    except csv.Error as exc:
        raise UnreadableFile(f"Ошибка в структуре CSV: {exc}") from None
