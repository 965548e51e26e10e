"""Reading files as Russian municipalities save them: encodings, separators, Excel cells, headers."""

import datetime as dt

import pytest

from core.imports import get_kind, run_import, values
from core.imports.reading import read_table
from tests.factories import OrganisationFactory, StaffFactory
from tests.imports.factories import STAFF_HEADER, csv_bytes, staff_row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_in_every_encoding_and_separator_reads_the_same(encoding, delimiter):
    data = csv_bytes(["ОО", "Фамилия"], [["МБОУ СОШ №1, корпус 2", "Ёлкина"]], encoding=encoding, delimiter=delimiter)
    table = read_table(data, "staff.csv")
    assert table.header == ["ОО", "Фамилия"]
    assert table.rows == [("МБОУ СОШ №1, корпус 2", "Ёлкина")]


def test_xlsx_reads_the_first_sheet_even_when_another_is_active():
    data = xlsx_bytes(["ОО", "Фамилия"], [["Школа", "Петрова"]], extra_sheet=True)
    table = read_table(data, "Книга1.XLSX")
    assert table.rows == [("Школа", "Петрова")]


def test_blank_rows_are_skipped():
    data = csv_bytes(["ОО", "Фамилия"], [["Школа", "Петрова"], ["", ""], ["Школа", "Иванова"]])
    assert len(read_table(data, "a.csv").rows) == 2


def test_header_matches_ignoring_case_spaces_and_order():
    org = OrganisationFactory(short_name="МБОУ СОШ №1")
    data = csv_bytes(["  фамилия ", "ИМЯ", "оо", "должность"], [["Петрова", "Анна", "МБОУ СОШ №1", "учитель"]])
    result = run_import(get_kind("staff"), data, "a.csv")
    assert result.is_valid, result.error_lines()
    assert org.staff.get().last_name == "Петрова"


def test_excel_date_cells_and_stray_spaces_are_accepted():
    org = OrganisationFactory(short_name="Школа 5")
    row = staff_row("  Школа   5 ", " Петрова ", **{"Дата рождения": dt.datetime(1980, 2, 1), "Педагогический стаж": 12})
    result = run_import(get_kind("staff"), xlsx_bytes(STAFF_HEADER, [row]), "a.xlsx")
    assert result.is_valid, result.error_lines()
    staff = org.staff.get()
    assert (staff.last_name, staff.birth_date, staff.experience_years) == ("Петрова", dt.date(1980, 2, 1), 12)


def test_unknown_duplicate_and_missing_columns_are_header_errors():
    data = csv_bytes(["ОО", "Фамилия", "Фамилия", "Отдел"], [["Школа", "Петрова", "Петрова", "x"]])
    result = run_import(get_kind("staff"), data, "a.csv")
    lines = result.error_lines()
    assert "row 1: Фамилия: столбец повторяется" in lines
    assert any(line.startswith("row 1: Отдел: неизвестный столбец") for line in lines)
    assert "row 1: Имя: нет обязательного столбца" in lines
    assert "row 1: Должность: нет обязательного столбца" in lines


@pytest.mark.parametrize(("name", "data", "message"), [
    ("a.xls", b"\xd0\xcf\x11\xe0", "Формат .xls не поддерживается"),
    ("a.xlsx", b"not a zip at all", "не является книгой Excel"),
    ("a.pdf", b"%PDF-1.4", "Загрузите файл .xlsx или .csv"),
    ("a.csv", b"   ", "Файл пуст"),
])
def test_unreadable_files_get_one_clear_message(name, data, message):
    result = run_import(get_kind("staff"), data, name)
    assert not result.is_valid
    assert len(result.errors) == 1 and message in result.errors[0][2]


def test_header_without_rows_is_an_error():
    result = run_import(get_kind("staff"), csv_bytes(STAFF_HEADER, []), "a.csv")
    assert result.error_lines() == ["row 2: файл: в файле нет ни одной строки данных"]


@pytest.mark.parametrize(("raw", "expected"), [
    ("01.09.2024", dt.date(2024, 9, 1)), ("1.9.2024", dt.date(2024, 9, 1)),
    (dt.datetime(2024, 9, 1, 0, 0), dt.date(2024, 9, 1)), (dt.date(2024, 9, 1), dt.date(2024, 9, 1)),
])
def test_dates_as_text_or_excel_cells(raw, expected):
    assert values.date(raw) == expected


@pytest.mark.parametrize("raw", ["2024-09-01", "31.02.2024", "сентябрь", "01.09.24"])
def test_bad_dates_are_refused_in_russian(raw):
    with pytest.raises(values.CellError, match="дат"):
        values.date(raw)


def test_yes_no_and_academic_years():
    assert values.yes_no(" Да ") is True and values.yes_no("НЕТ") is False
    assert values.academic_year("2022–2023") == "2022-2023"
    with pytest.raises(values.CellError):
        values.academic_year("2022-2024")
    with pytest.raises(values.CellError):
        values.yes_no("возможно")


def test_export_apostrophe_before_formula_text_is_dropped_on_import():
    assert values.to_text("'=СУММ(A1)") == "=СУММ(A1)"
    assert values.to_text("'обычный текст") == "'обычный текст"


def test_matching_existing_person_ignores_case_and_yo():
    org = OrganisationFactory(short_name="Школа 7")
    StaffFactory(organisation=org, last_name="Ёлкина", first_name="Анна", middle_name="Сергеевна",
                 birth_date=dt.date(1980, 2, 1), position="учитель физики")
    row = staff_row("школа 7", "ЕЛКИНА", **{"Имя": "анна", "Отчество": "сергеевна"})
    result = run_import(get_kind("staff"), csv_bytes(STAFF_HEADER, [row]), "a.csv", dry_run=True)
    assert result.rows[0].outcome == "update"  # matched; the spelling and the fields differ
