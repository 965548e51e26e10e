"""Files and records for the import tests: every file is generated here, in the shape users send."""

import csv
import datetime as dt
import io

import factory
from django.utils import timezone
from openpyxl import Workbook

from routes.models import Route
from tests.factories import StaffFactory


def xlsx_bytes(header: list, rows: list[list], *, first_sheet_title: str = "Лист1", extra_sheet: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = first_sheet_title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if extra_sheet:
        other = book.create_sheet("Справка")
        other.append(["это не данные"])
        book.active = 1  # the active sheet is the second one: the import must still read the first
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(header: list, rows: list[list], *, encoding: str = "utf-8-sig", delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue().encode(encoding)


STAFF_HEADER = ["ОО", "Фамилия", "Имя", "Отчество", "Дата рождения", "Должность", "Предмет", "Основная должность",
                "Статус", "Дата увольнения", "Квалификационная категория", "Дата аттестации", "Педагогический стаж",
                "Образование", "E-mail"]


def staff_row(org: str, last: str, **overrides) -> list:
    values = {
        "ОО": org, "Фамилия": last, "Имя": "Анна", "Отчество": "Сергеевна", "Дата рождения": "01.02.1980",
        "Должность": "учитель физики", "Предмет": "физика", "Основная должность": "да", "Статус": "работает",
        "Дата увольнения": "", "Квалификационная категория": "первая", "Дата аттестации": "15.03.2021",
        "Педагогический стаж": "12", "Образование": "высшее", "E-mail": "",
    }
    values.update(overrides)
    return [values[title] for title in STAFF_HEADER]


ROUTE_HEADER = ["ОО", "Фамилия", "Имя", "Отчество", "Учебный год", "Тема", "Дата начала", "Дата окончания", "Статус",
                "Дата утверждения", "Дата зачета", "Результат"]


def route_row(staff, **overrides) -> list:
    values = {
        "ОО": staff.organisation.short_name, "Фамилия": staff.last_name, "Имя": staff.first_name,
        "Отчество": staff.middle_name, "Учебный год": "2024-2025", "Тема": "Функциональная грамотность",
        "Дата начала": "", "Дата окончания": "", "Статус": "Реализуется", "Дата утверждения": "20.09.2024",
        "Дата зачета": "01.10.2024", "Результат": "",
    }
    values.update(overrides)
    return [values[title] for title in ROUTE_HEADER]


ACTIVITY_HEADER = ["ОО", "Фамилия", "Имя", "Отчество", "Учебный год", "Направление", "Вид", "Наименование", "Срок",
                   "Выполнено", "Дата выполнения", "Подтверждающий документ"]


def activity_row(staff, **overrides) -> list:
    values = {
        "ОО": staff.organisation.short_name, "Фамилия": staff.last_name, "Имя": staff.first_name,
        "Отчество": staff.middle_name, "Учебный год": "2024-2025", "Направление": "Методические", "Вид": "Семинар",
        "Наименование": "Семинар по ФГ", "Срок": "15.12.2024", "Выполнено": "нет", "Дата выполнения": "",
        "Подтверждающий документ": "",
    }
    values.update(overrides)
    return [values[title] for title in ACTIVITY_HEADER]


class RouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Route

    person = factory.SubFactory(StaffFactory)
    organisation = factory.LazyAttribute(lambda r: r.person.organisation)
    academic_year = "2024-2025"
    status = Route.Status.IN_PROGRESS
    starts_on = dt.date(2024, 9, 1)
    ends_on = dt.date(2025, 8, 31)
    approved_on = dt.date(2024, 9, 20)
    credited_on = dt.date(2024, 10, 1)

    class Params:
        # a route loaded from a registry file, as routes/importers.py marks it
        imported = factory.Trait(imported_at=factory.LazyFunction(timezone.now), imported_from="реестр.xlsx")
