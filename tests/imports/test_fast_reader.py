"""The fast .xlsx reader (calamine) and its guard: a file is given to calamine only when the references
of its rows and cells prove a small grid, because calamine builds the whole grid at once and aborts the
process on a hostile one; every other file goes to the streaming openpyxl reader and its limits."""

import datetime as dt
import io
import re

import pytest
from openpyxl import Workbook

from core.imports import reading
from core.imports.reading import read_table
from tests.imports.factories import xlsx_bytes
from tests.imports.test_limits import rewrite_sheet


@pytest.fixture
def readers(monkeypatch):
    """Which reader read the file: 'calamine' or 'openpyxl'."""
    used = []
    fast, slow = reading._calamine_rows, reading._openpyxl_rows
    monkeypatch.setattr(reading, "_calamine_rows", lambda data: (used.append("calamine"), fast(data))[1])
    monkeypatch.setattr(reading, "_openpyxl_rows", lambda data: (used.append("openpyxl"), slow(data))[1])
    return used


def book_bytes(fill) -> bytes:
    book = Workbook()
    fill(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_ordinary_staff_file_is_read_by_calamine_with_the_values_openpyxl_gives(readers):
    rows = [["Школа", "Петрова", dt.datetime(1980, 2, 1), 12, 0.5, True, None, "  "],
            ["Школа", "Иванова", None, None, 3.25, False, "x", None]]
    data = xlsx_bytes(["ОО", "Фамилия", "Дата", "Стаж", "Ставка", "Основная", "Предмет", "Пробел"], rows)

    fast = read_table(data, "a.xlsx")
    assert readers == ["calamine"]
    slow = list(reading._openpyxl_rows(data))

    assert fast.header == list(slow[0])
    # equal up to the types the cleaners treat alike: a date and its midnight datetime, 12 and 12.0
    assert [[_plain(v) for v in row] for row in fast.rows] == [[_plain(v) for v in row] for row in slow[1:]]
    assert fast.rows[0][2] == dt.date(1980, 2, 1) and fast.rows[1][2] is None and fast.rows[0][7] == "  "


def _plain(value):
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def test_a_cell_far_away_goes_to_the_streaming_reader_and_the_process_survives(readers):
    # calamine would allocate 100 GB for this 5 KB file and abort the whole process
    data = book_bytes(lambda ws: (ws.append(["ОО", "Фамилия"]), ws.append(["Школа", "Петрова"]),
                                  ws.cell(row=200_000, column=16_000, value="далеко")))
    with pytest.raises(reading.UnreadableFile):
        read_table(data, "far.xlsx")
    assert readers == ["openpyxl"]


def test_many_columns_times_many_rows_is_too_large_a_grid_for_calamine(readers, monkeypatch):
    monkeypatch.setattr(reading, "CALAMINE_MAX_CELLS", 100)
    data = xlsx_bytes(["ОО", "Фамилия", "Имя"], [["Школа", f"Петрова{i}", "Анна"] for i in range(40)])
    assert len(read_table(data, "a.xlsx").rows) == 40
    assert readers == ["openpyxl"]


def test_cells_without_a_reference_go_to_the_streaming_reader(readers):
    data = rewrite_sheet(xlsx_bytes(["ОО", "Фамилия"], [["Школа", "Петрова"]]),
                         lambda xml: re.sub(rb'(<c) r="[A-Z]+[0-9]+"', rb"\1", xml))
    table = read_table(data, "a.xlsx")
    assert readers == ["openpyxl"]
    assert table.rows == [("Школа", "Петрова")]


def test_a_row_numbered_past_the_limit_goes_to_the_streaming_reader(readers):
    data = rewrite_sheet(xlsx_bytes(["ОО", "Фамилия"], [["Школа", "Петрова"]]),
                         lambda xml: xml.replace(b'<row r="2"', b'<row r="900000"').replace(b'r="A2"', b'r="A900000"')
                         .replace(b'r="B2"', b'r="B900000"'))
    with pytest.raises(reading.UnreadableFile):
        read_table(data, "a.xlsx")
    assert readers == ["openpyxl"]


def test_namespace_prefixed_cells_are_seen_by_the_guard():
    xml = (b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
           b'<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c>'
           b'<x:c r="XFD900" t="inlineStr"><x:is><x:t>b</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>')
    data = rewrite_sheet(xlsx_bytes(["ОО"], [["Школа"]]), lambda _xml: xml)
    assert reading._grid_is_small(data) is False


def test_the_guard_reads_a_sheet_larger_than_its_chunk(monkeypatch):
    monkeypatch.setattr(reading, "_SCAN_CHUNK", 64)  # tags cut at every chunk boundary
    data = xlsx_bytes(["ОО", "Фамилия", "Имя"], [["Школа", f"Петрова{i}", "Анна"] for i in range(50)])
    assert reading._grid_is_small(data) is True
    far = rewrite_sheet(data, lambda xml: xml.replace(b'r="C51"', b'r="GZ51"'))
    assert reading._grid_is_small(far) is False
