"""openpyxl helpers for every workbook the portal writes for people (the reports' sheets).

A sheet is laid out the way a person would make it in Excel: numbers and dates are typed cells
with Russian formats (Excel and LibreOffice show `#,##0` as «1 234» and `0.0 %` as «47,6 %» in a
Russian locale; a share is stored as the fraction 0.476), each table has an autofilter over its
body (a totals row stays outside it, so sorting keeps it last) and a frozen header, the page is
landscape A4 fitted to the width with the header rows repeated, and the columns are as wide as
their content. Text goes through core.files, like every cell the portal writes.

`table()` writes one table and returns a `Table`; `finish_sheet()` sizes the columns and the
paragraph rows and sets up the print and the frozen header once the sheet is complete.
"""

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.files import write_cell, write_row

INTEGER = "#,##0"
DECIMAL = "#,##0.0"
PERCENT = "0.0 %"
DATE = "DD.MM.YYYY"
DATETIME = "DD.MM.YYYY HH:MM"

THIN = Side(style="thin", color="777777")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E9EEF5")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
NUMBER_ALIGN = Alignment(horizontal="right", vertical="top")
# Width in characters of the default font (Calibri 11): the bounds of a column from its content.
MIN_WIDTH, MAX_WIDTH = 5, 60
LINE_HEIGHT = 15  # points per line of 11 pt text


class Percent(float):
    """A share to be shown with the percent format: the fraction (0.476 for 47,6 %)."""


def percent(value) -> Percent | None:
    """A percentage as the portal computes it (47.6, a Decimal or a float) as a percent cell's value."""
    return None if value is None else Percent(round(float(value) / 100, 6))


def number_format(value) -> str | None:
    """The Russian format of a typed value; None for text and empty cells."""
    if isinstance(value, Percent):
        return PERCENT
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, float | Decimal):
        return DECIMAL
    if isinstance(value, dt.datetime):
        return DATETIME
    if isinstance(value, dt.date):
        return DATE
    return None


def _plain(value):
    if isinstance(value, Percent):
        return float(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def put(ws, row: int, column: int, value, fmt: str | None = None):
    """One typed cell: text kept text (core.files), numbers and dates with their format."""
    cell = write_cell(ws, row, column, _plain(value))
    fmt = fmt or number_format(value)
    if fmt:
        cell.number_format = fmt
    return cell


def streamed(ws, value, *, font: Font | None = None, fill: PatternFill | None = None,
             alignment: Alignment | None = None):
    """A value for a write-only sheet's row: typed values become cells with their format."""
    fmt = number_format(value)
    if not (fmt or font or fill or alignment):
        return value
    cell = WriteOnlyCell(ws, value=_plain(value))
    if fmt:
        cell.number_format = fmt
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if alignment:
        cell.alignment = alignment
    return cell


def write_typed_row(ws, values: Iterable) -> None:
    """`ws.append` of typed values (normal and write-only sheets); text kept text."""
    write_row(ws, [streamed(ws, v) for v in values])


def text(ws, row: int, value: str, *, columns: int, bold: bool = False, size: int | None = None) -> int:
    """A paragraph of text across `columns` merged columns; `finish_sheet` sizes its row height.
    Returns the next free row."""
    cell = write_cell(ws, row, 1, value)
    cell.alignment = WRAP
    if bold or size:
        cell.font = Font(bold=bold, size=size or 11)
    if columns > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    return row + 1


@dataclass(frozen=True)
class Table:
    """Where a table sits: its header rows, its body rows (the filter's range), its totals."""

    top: int
    header_bottom: int
    body_bottom: int
    bottom: int
    first_col: int
    last_col: int

    @property
    def next_row(self) -> int:
        return self.bottom + 1


def table(ws, top: int, header_rows: Sequence[Sequence], rows: Sequence[Sequence], *,
          merges: Iterable[tuple[int, int, int, int]] = (), totals: Sequence[Sequence] = (),
          formats: dict[int, str] | None = None, first_col: int = 1, filter: bool = True) -> Table:
    """A bordered table at `top`: bold shaded header rows, typed body cells, an autofilter.

    `merges` are (row1, col1, row2, col2), 0-based within the header; the merged cell keeps the
    first cell's text. `totals` rows follow the body outside the filter. `formats` maps a 0-based
    column to a number format for every body value of that column (the default follows the type).
    """
    formats = formats or {}
    ncols = max(len(r) for r in [*header_rows, *rows, *totals])
    for i, values in enumerate(header_rows):
        for c, value in enumerate(values):
            cell = write_cell(ws, top + i, first_col + c, value if value not in ("", None) else None)
            cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, CENTER
    for r1, c1, r2, c2 in merges:
        ws.merge_cells(start_row=top + r1, start_column=first_col + c1, end_row=top + r2, end_column=first_col + c2)
    header_bottom = top + len(header_rows) - 1
    row = header_bottom
    for values in [*rows, *totals]:
        row += 1
        for c, value in enumerate(values):
            cell = put(ws, row, first_col + c, value, formats.get(c) if value is not None else None)
            cell.alignment = NUMBER_ALIGN if number_format(value) else WRAP
    body_bottom = row - len(totals)
    for values_row in ws.iter_rows(min_row=top, max_row=row, min_col=first_col, max_col=first_col + ncols - 1):
        for cell in values_row:
            cell.border = BORDER
    for r in range(body_bottom + 1, row + 1):
        for c in range(first_col, first_col + ncols):
            ws.cell(row=r, column=c).font = BOLD
    placed = Table(top, header_bottom, body_bottom, row, first_col, first_col + ncols - 1)
    if filter and body_bottom > header_bottom and not ws.auto_filter.ref:
        ws.auto_filter.ref = (f"{get_column_letter(first_col)}{header_bottom}:"
                              f"{get_column_letter(placed.last_col)}{body_bottom}")
    return placed


def _shown_length(value) -> int:
    """The longest line of a value as a person sees it in its cell."""
    if value is None:
        return 0
    fmt = number_format(value)
    if fmt == PERCENT:
        return len(f"{float(value) * 100:.1f} %")
    if fmt in (INTEGER, DECIMAL):
        return len(f"{float(value):,.1f}") if fmt == DECIMAL else len(f"{int(value):,}")
    if fmt in (DATE, DATETIME):
        return 10 if fmt == DATE else 16
    return max((len(line) for line in str(value).splitlines()), default=0)


def _longest_word(value) -> int:
    return max((len(word) for word in str(value or "").split()), default=0)


def fit_columns(ws, tables: Sequence[Table], *, max_width: int = MAX_WIDTH,
                minimums: dict[int, int] | None = None) -> None:
    """Each column as wide as its widest body value (up to `max_width`, then the text wraps) and
    at least its longest header word, so no header word is broken; merged header cells do not
    widen a single column."""
    widths: dict[int, int] = dict(minimums or {})
    merged_starts = {(m.min_row, m.min_col) for m in ws.merged_cells.ranges if m.min_col != m.max_col}
    for t in tables:
        for row in ws.iter_rows(min_row=t.top, max_row=t.bottom, min_col=t.first_col, max_col=t.last_col):
            for cell in row:
                if (cell.row, cell.column) in merged_starts:
                    continue
                need = _longest_word(cell.value) + 1 if cell.row <= t.header_bottom else _shown_length(cell.value)
                widths[cell.column] = max(widths.get(cell.column, 0), need + 2)
    widths = {c: max(MIN_WIDTH, min(max_width, w)) for c, w in widths.items()}
    for t in tables:  # a header merged across columns needs its longest word in their sum
        for m in ws.merged_cells.ranges:
            if (m.min_col != m.max_col and t.top <= m.min_row <= t.header_bottom
                    and t.first_col <= m.min_col <= t.last_col):
                columns = range(m.min_col, m.max_col + 1)
                lack = _longest_word(ws.cell(row=m.min_row, column=m.min_col).value) + 3 - sum(
                    widths.get(c, MIN_WIDTH) for c in columns)
                for c in columns if lack > 0 else ():
                    widths[c] = widths.get(c, MIN_WIDTH) + math.ceil(lack / len(columns))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width


def _width(ws, column: int) -> float:
    return ws.column_dimensions[get_column_letter(column)].width or 8.43


def _lines(cell, width: float) -> int:
    """Lines a wrapped text takes in `width` characters (bold and larger letters are wider)."""
    font = cell.font
    scale = ((font.size or 11) / 11 if font else 1) * (1.1 if font and font.bold else 1)
    per_line = max(1.0, (width - 1) / scale * 1.1)
    lines = 0
    for line in str(cell.value).splitlines() or [""]:
        count, used = 1, 0
        for word in line.split():
            if used and used + 1 + len(word) > per_line:
                count, used = count + 1, len(word)
            else:
                used += len(word) + (1 if used else 0)
        lines += count
    return lines


def _line_height(cell) -> float:
    return LINE_HEIGHT * ((cell.font.size or 11) / 11 if cell.font else 1)


def fit_rows(ws, tables: Sequence[Table]) -> None:
    """Row heights for wrapped text (Excel sizes neither merged cells nor rows a program wrote):
    each row as high as its tallest cell, a merged cell's rows together as high as its text."""
    merged = sorted(ws.merged_cells.ranges, key=lambda m: (m.max_row - m.min_row, m.min_row))
    covered = {(r, c) for m in merged for r in range(m.min_row, m.max_row + 1)
               for c in range(m.min_col, m.max_col + 1)}
    heights: dict[int, float] = {}
    for t in tables:
        for row in ws.iter_rows(min_row=t.top, max_row=t.bottom, min_col=t.first_col, max_col=t.last_col):
            need = LINE_HEIGHT
            for cell in row:
                if isinstance(cell.value, str) and (cell.row, cell.column) not in covered:
                    need = max(need, _line_height(cell) * _lines(cell, _width(ws, cell.column)))
            heights[row[0].row] = need + 3
    for m in merged:
        cell = ws.cell(row=m.min_row, column=m.min_col)
        if not isinstance(cell.value, str):
            continue
        width = sum(_width(ws, c) for c in range(m.min_col, m.max_col + 1))
        need = _line_height(cell) * _lines(cell, width) + 3
        rows = range(m.min_row, m.max_row + 1)
        have = sum(heights.get(r, LINE_HEIGHT + 3) for r in rows)
        if have < need:
            heights[m.max_row] = heights.get(m.max_row, LINE_HEIGHT + 3) + need - have
    for r, height in heights.items():
        ws.row_dimensions[r].height = round(height, 1)


def print_setup(ws, *, title_rows: tuple[int, int] | None = None, landscape: bool = True) -> None:
    """A4, fitted to the page width (as many pages down as needed), the header rows repeated on
    every page, the page number in the footer."""
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Страница &P из &N"
    if title_rows:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"


def finish_sheet(ws, tables: Sequence[Table], *, landscape: bool = True, max_width: int = MAX_WIDTH,
                 minimums: dict[int, int] | None = None) -> None:
    """Widths from content, row heights, the first table's header frozen and repeated on print."""
    fit_columns(ws, tables, max_width=max_width, minimums=minimums)
    fit_rows(ws, tables)
    first = tables[0] if tables else None
    if first is not None:
        ws.freeze_panes = ws.cell(row=first.header_bottom + 1, column=1)
    print_setup(ws, title_rows=(first.top, first.header_bottom) if first else None, landscape=landscape)


def data_sheet(wb, headers: list[str], rows: Iterable[list]) -> None:
    """The `Данные` sheet (docs/spec/reports.md): one header row, then plain values, numbers as
    numbers and dates as dates (shares stay in per cent, as the spec defines its columns)."""
    ws = wb.create_sheet("Данные")
    write_row(ws, headers)
    for row in rows:
        write_typed_row(ws, row)
    last = ws.max_row
    header_table = Table(1, 1, last, last, 1, len(headers))
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, CENTER
    if last > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"
    fit_columns(ws, [header_table], max_width=40)
    ws.freeze_panes = "A2"
    print_setup(ws, title_rows=(1, 1))
