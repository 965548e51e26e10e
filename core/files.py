"""Safe rendering helpers shared by every document builder: WeasyPrint's URL fetcher, and
the one way the portal writes user text into XLSX and CSV cells."""

import re

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from weasyprint.urls import URLFetcher


class RefusedURL(ValueError):
    """A document tried to load something other than inline data."""


class _InlineOnlyFetcher(URLFetcher):
    """WeasyPrint may load only inline data: no file://, no network (user text could name them).

    WeasyPrint 70 replaced the `default_url_fetcher` function by the URLFetcher class; a
    fetcher must be an instance of it (the renderer reads its private flags).
    """

    def fetch(self, url, headers=None):
        if not url.startswith("data:"):
            raise RefusedURL(f"Загрузка внешних ресурсов запрещена: {url[:80]}")
        return super().fetch(url, headers)


safe_url_fetcher = _InlineOnlyFetcher(allowed_protocols={"data"})


# What a spreadsheet may read as the start of a formula (Excel and LibreOffice also take `+`, `-`
# and `@`; a leading tab or line break hides the rest from a glance at the cell).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# Characters XML 1.0 cannot hold: control characters (openpyxl refuses a cell with one, see
# openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE, so one stray character would break a whole export),
# lone surrogates and the noncharacters U+FFFE/U+FFFF (the file would not open in Excel).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value):
    """Text without the characters an XLSX cannot store; other values unchanged."""
    return _ILLEGAL_XML.sub("", value) if isinstance(value, str) else value


def csv_safe(value):
    """A CSV field has no types: text that a spreadsheet would read as a formula gets a leading
    apostrophe (the OWASP advice). core.imports.values strips it again when the file comes back."""
    value = xml_text(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


# --------------------------------------------------------------------------- XLSX cells
#
# Every workbook the portal writes goes through these: openpyxl stores any str that starts with
# "=" as a formula and "#N/A"-like text as an error, whatever its source. User text is forced to
# a text cell (t="inlineStr"), so "=HYPERLINK(…)" is shown as written and never evaluated; the
# cell also carries quotePrefix, as if typed with a leading apostrophe, so that editing it in
# Excel or LibreOffice keeps it text. The text itself is not altered. Numbers, dates and None
# keep their types.


def _needs_text_cell(text: str) -> bool:
    return text.startswith(_FORMULA_START) or text in ERROR_CODES


def _as_text(cell):
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if _needs_text_cell(cell.value):
            cell.quotePrefix = True
    return cell


def write_cell(ws, row: int, column: int, value):
    """`ws.cell(row=…, column=…, value=…)` for a normal worksheet, with user text kept text."""
    cell = ws.cell(row=row, column=column)
    cell.value = xml_text(value)
    return _as_text(cell)


def sheet_value(ws, value):
    """What to put in a row given to `ws.append`: risky text as a text cell of `ws`, anything
    else as it is (plain text stays a str: the streamed registry makes no Cell per value).
    Works for normal and write-only worksheets alike."""
    if isinstance(value, Cell):
        return _as_text(value)
    value = xml_text(value)
    if isinstance(value, str) and _needs_text_cell(value):
        return _as_text(WriteOnlyCell(ws, value=value))
    return value


def write_row(ws, values) -> None:
    """`ws.append(values)` with user text kept text (normal and write-only worksheets)."""
    ws.append([sheet_value(ws, v) for v in values])
