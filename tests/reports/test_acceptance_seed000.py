"""Seed 000, Table 1: the coverage report's `Данные` sheet from raw records gives the table's numbers.

The seed's totals row says 36 + 1 for 2022-2023; its own rows add up to 35 + 1, which is what
the portal counts (the two-year total 73 + 12 = 85 agrees with the rows).
"""

import pytest

from devdata.demo import build_table1_records
from devdata.table1 import TABLE1
from tests.factories import MunicipalityFactory
from tests.reports.helpers import build_file, data_sheet

pytestmark = pytest.mark.django_db

YEARS = ("2021-2022", "2022-2023")
SHARES = [47.6, 16.7, 93.3, 59.1, 27.7, 27.8, 33.3, 56.3, 30.0]


@pytest.fixture
def municipality():
    m = MunicipalityFactory(name="Новоселовский район")
    build_table1_records(m, YEARS)
    return m


@pytest.fixture
def rows(municipality):
    return data_sheet(build_file("coverage", municipality_id=municipality.pk, years=list(YEARS)))


def test_data_sheet_has_the_columns_of_the_spec(rows):
    assert list(rows[0]) == [
        "ОО", "Сотрудники", "Из них завучи", "Зарегистрированы: педагоги", "Зарегистрированы: завучи",
        "Зачтено 2021-2022: педагоги", "Зачтено 2021-2022: завучи", "Зачтено 2022-2023: педагоги",
        "Зачтено 2022-2023: завучи", "Зачтено за период: педагоги", "Зачтено за период: завучи", "Доля с ИОМ, %",
    ]


def test_rows_follow_the_organisation_list_then_the_totals(rows):
    assert [r["ОО"] for r in rows] == [s.short_name for s in TABLE1] + ["Итого"]


def test_totals_are_the_tables_numbers_counted_from_records(rows):
    total = rows[-1]
    assert total["Сотрудники"] == 213
    assert (total["Зарегистрированы: педагоги"], total["Зарегистрированы: завучи"]) == (84, 13)
    assert (total["Зачтено 2021-2022: педагоги"], total["Зачтено 2021-2022: завучи"]) == (38, 11)
    assert (total["Зачтено 2022-2023: педагоги"], total["Зачтено 2022-2023: завучи"]) == (35, 1)
    assert (total["Зачтено за период: педагоги"], total["Зачтено за период: завучи"]) == (73, 12)
    assert total["Доля с ИОМ, %"] == 39.9


def test_each_schools_share_is_rounded_half_up_to_one_decimal(rows):
    assert [r["Доля с ИОМ, %"] for r in rows[:-1]] == SHARES


def test_each_schools_row_matches_the_seed(rows):
    for row, seed in zip(rows, TABLE1, strict=False):
        assert row["Сотрудники"] == seed.staff_base
        assert row["Из них завучи"] == seed.deputies
        assert (row["Зарегистрированы: педагоги"], row["Зарегистрированы: завучи"]) == (
            seed.registered_teachers, seed.registered_deputies)
        assert (row["Зачтено 2021-2022: педагоги"], row["Зачтено 2021-2022: завучи"]) == seed.credited_first
        assert (row["Зачтено 2022-2023: педагоги"], row["Зачтено 2022-2023: завучи"]) == seed.credited_second


def test_numbers_are_numbers_not_text(rows):
    assert all(isinstance(r["Сотрудники"], int) for r in rows)
    # 30.0 is stored as the number 30; what matters is that no cell holds text
    assert all(isinstance(r["Доля с ИОМ, %"], int | float) for r in rows)


def test_people_sheet_shows_seed_cells(municipality):
    """Seed 000's «10+1» cells are two numeric columns (teachers, deputies), the share a percent
    cell (0.399 shown as 39,9 %): every figure of the sheet sums and sorts."""
    import io

    from openpyxl import load_workbook

    from core import xlsx_tools

    content = build_file("coverage", municipality_id=municipality.pk, years=list(YEARS))
    ws = load_workbook(io.BytesIO(content))["Таблица 1"]
    rows = {row[1].value: row for row in ws.iter_rows() if isinstance(row[1].value, str)}
    anash = [c.value for c in rows["МБОУ Анашенская СОШ №1"]]
    assert anash[:5] == [1, "МБОУ Анашенская СОШ №1", 21, 10, 1]  # staff 21, registered 10+1
    total = rows["Итого"]
    assert [c.value for c in total[2:]] == [213, 84, 13, 38, 11, 35, 1, 73, 12, 0.399]
    assert total[11].number_format == xlsx_tools.PERCENT and total[3].number_format == xlsx_tools.INTEGER
    body = [row for row in rows.values() if isinstance(row[0].value, int) or row[1].value == "Итого"]
    assert len(body) == len(SHARES) + 1
    assert all(isinstance(c.value, int | float) for row in body for c in row[2:])
    assert ws.auto_filter.ref and ws.freeze_panes and ws.print_title_rows
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert any(isinstance(v, str) and v.startswith("Интерпретация") for v in values)
