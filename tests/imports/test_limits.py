"""Hostile spreadsheets (security finding 5): read by the rows they hold, refused before parsing when they lie.

No assertion here is timed: the reader's work is bounded by counting what it touches. The counter
wraps openpyxl's row generator and stops the test as soon as the reader walks more cells than the
file holds, so a reader that follows the declared range fails at once instead of running for minutes.
"""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from core.archives import check_office_archive
from core.imports import get_kind, reading, run_import
from core.imports.reading import MAX_COLUMNS, MAX_ROWS, UnreadableFile, read_table
from tests.imports.factories import STAFF_HEADER, csv_bytes, staff_row, xlsx_bytes

SHEET = "xl/worksheets/sheet1.xml"
CELL_BUDGET = 50_000  # more than any file below holds (one 16 384-cell row), far less than a declared range


@pytest.fixture
def touched(monkeypatch):
    """Counts the rows and cells either reader walks (openpyxl's rows as it streams them, calamine's grid
    as it builds it); fails the test past CELL_BUDGET cells."""
    counted = {"rows": 0, "cells": 0}
    original = ReadOnlyWorksheet._cells_by_row
    original_grid = reading._calamine_grid

    def count(row) -> None:
        counted["rows"] += 1
        counted["cells"] += len(row)
        if counted["cells"] > CELL_BUDGET:
            raise AssertionError(f"the reader walked {counted['cells']} cells of a file that holds a few dozen")

    def counting(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            count(row)
            yield row

    def counting_grid(data):
        grid = original_grid(data)
        for row in grid:
            count(row)
        return grid

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    monkeypatch.setattr(reading, "_calamine_grid", counting_grid)
    return counted


def rewrite_sheet(data: bytes, change) -> bytes:
    """The same workbook with its first sheet's XML passed through `change`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item.filename, change(content) if item.filename == SHEET else content)
    return out.getvalue()


def with_member(data: bytes, name: str, size: int, *, count: int = 1) -> bytes:
    """The workbook plus `count` members of `size` zero bytes each (a zip bomb packs them ~1000:1)."""
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as target:
        for index in range(count):
            with target.open(f"{name}{index}", "w") as member:
                left = size
                while left > 0:
                    chunk = min(left, 1024 * 1024)
                    member.write(bytes(chunk))
                    left -= chunk
    return out.getvalue()


def small_book() -> bytes:
    return xlsx_bytes(["ОО", "Фамилия", "Имя"], [["Школа", f"Петрова{i}", "Анна"] for i in range(20)])


def test_xlsx_with_huge_declared_dimension_is_read_by_actual_rows(touched):
    data = rewrite_sheet(small_book(), lambda xml: re.sub(rb'<dimension ref="[^"]+"/>',
                                                          b'<dimension ref="A1:XFD20000"/>', xml))
    assert b"A1:XFD20000" in zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    assert len(data) < 10_000  # a few kilobytes declaring 20 000 × 16 384 cells

    table = read_table(data, "hostile.xlsx")

    assert table.header == ["ОО", "Фамилия", "Имя"] and len(table.rows) == 20
    assert touched["rows"] == 21 and touched["cells"] == 21 * 3


def test_a_row_numbered_far_down_stops_the_reader_at_the_row_limit(touched):
    far = rewrite_sheet(small_book(), lambda xml: xml.replace(
        b"</sheetData>", b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))
    with pytest.raises(UnreadableFile, match="В таблице больше 50 000 строк данных"):
        read_table(far, "far.xlsx")
    assert touched["rows"] <= reading.MAX_ROWS_TOUCHED + 1  # the made-up empty rows are counted, and bounded


def test_a_value_beyond_the_column_limit_is_refused(touched):
    wide = rewrite_sheet(small_book(), lambda xml: xml.replace(
        b"</row>", b'<c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>', 1))
    with pytest.raises(UnreadableFile, match=f"допускается не больше {MAX_COLUMNS} столбцов"):
        read_table(wide, "wide.xlsx")
    assert touched["rows"] == 1  # the header row, once


def test_empty_formatted_cells_beyond_the_column_limit_are_dropped(touched):
    styled = rewrite_sheet(small_book(), lambda xml: xml.replace(b"</row>", b'<c r="GT1" s="0"/></row>', 1))
    table = read_table(styled, "styled.xlsx")
    assert table.header == ["ОО", "Фамилия", "Имя"] and len(table.rows) == 20


def test_more_rows_than_the_limit_are_refused_in_csv_and_xlsx():
    rows = [["Школа", "Петрова"]] * (MAX_ROWS + 1)
    with pytest.raises(UnreadableFile, match="больше 50 000 строк"):
        read_table(csv_bytes(["ОО", "Фамилия"], rows), "big.csv")
    assert len(read_table(csv_bytes(["ОО", "Фамилия"], rows[:MAX_ROWS]), "ok.csv").rows) == MAX_ROWS


def test_a_csv_value_beyond_the_column_limit_is_refused():
    header = ["ОО"] + [""] * MAX_COLUMNS + ["лишний"]
    with pytest.raises(UnreadableFile, match=f"заполнен столбец {MAX_COLUMNS + 2}"):
        read_table(csv_bytes(header, [["Школа"]]), "wide.csv")


def _refuse_parsing(monkeypatch):
    def parse(*args, **kwargs):
        raise AssertionError("openpyxl opened a file that the zip check should have refused")

    monkeypatch.setattr("openpyxl.load_workbook", parse)


def test_zip_bomb_xlsx_is_refused_before_parsing(monkeypatch):
    bomb = with_member(small_book(), "xl/media/image", reading.XLSX_MAX_UNCOMPRESSED // 8 + 1, count=8)
    assert len(bomb) < 1024 * 1024  # 150 MB of XML in a few hundred kilobytes
    _refuse_parsing(monkeypatch)
    with pytest.raises(UnreadableFile, match="После распаковки файл занял бы больше 150 МБ"):
        read_table(bomb, "bomb.xlsx")


def test_a_member_packed_beyond_any_real_ratio_is_refused_before_parsing(monkeypatch):
    dense = with_member(small_book(), "xl/media/image", 4 * 1024 * 1024)
    _refuse_parsing(monkeypatch)
    with pytest.raises(UnreadableFile, match="сжат неправдоподобно сильно"):
        read_table(dense, "dense.xlsx")


def test_an_archive_of_too_many_members_is_refused_before_parsing(monkeypatch):
    crowded = with_member(small_book(), "xl/part", 0, count=reading.XLSX_MAX_MEMBERS)
    _refuse_parsing(monkeypatch)
    with pytest.raises(UnreadableFile, match="В файле слишком много частей"):
        read_table(crowded, "crowded.xlsx")


@pytest.mark.django_db
def test_an_import_of_a_zip_bomb_is_one_file_error_and_writes_nothing(monkeypatch):
    _refuse_parsing(monkeypatch)
    bomb = with_member(xlsx_bytes(STAFF_HEADER, [staff_row("Школа", "Петрова")]), "xl/media/image",
                       4 * 1024 * 1024)
    result = run_import(get_kind("staff"), bomb, "staff.xlsx")
    assert not result.written and len(result.errors) == 1
    assert result.errors[0][:2] == (1, "файл") and "zip-бомбы" in result.errors[0][2]


class TestCheckOfficeArchive:
    """The reusable check (core/archives.py) that evidence uploads call for DOCX and XLSX too."""

    def test_a_normal_workbook_passes_and_a_file_is_left_where_it_was(self):
        handle = io.BytesIO(small_book())
        handle.seek(7)
        check_office_archive(handle, max_members=50, max_uncompressed=1024 * 1024)
        assert handle.tell() == 7

    @pytest.mark.parametrize(("limits", "message"), [
        ({"max_members": 5, "max_uncompressed": 10 ** 9}, "слишком много частей"),
        ({"max_members": 100, "max_uncompressed": 1000}, "После распаковки файл занял бы больше 1 КБ"),
    ])
    def test_limits_are_the_callers(self, limits, message):
        with pytest.raises(ValidationError, match=message):
            check_office_archive(small_book(), **limits)

    def test_not_an_archive_and_an_encrypted_member_are_refused(self):
        with pytest.raises(ValidationError, match="не является документом Office"):
            check_office_archive(b"%PDF-1.4 not a zip", max_members=10, max_uncompressed=10 ** 6)
        data = bytearray(small_book())
        # set the "encrypted" flag of the first central directory entry
        at = data.index(b"PK\x01\x02")
        data[at + 8] |= 0x1
        with pytest.raises(ValidationError, match="зашифрован"):
            check_office_archive(bytes(data), max_members=50, max_uncompressed=10 ** 6)
