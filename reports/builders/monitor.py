"""The implementation monitor as XLSX: one row per staff member, exactly the rows the monitor's filter shows
(routes.monitor.selectors), in its order; typed cells (core.xlsx_tools): percents, counts, dates."""

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from core import xlsx_tools as xl
from core.files import write_row
from reports.builders.base import Report, ReportError
from routes.monitor.selectors import rows_of

HEADERS = ["Муниципалитет", "Организация", "ФИО", "Должность", "Учебный год", "Состояние ИОМ", "Причина незачета",
           "Выполнено мероприятий", "Всего мероприятий", "Выполнение, %", "Просрочено мероприятий",
           "Последняя активность", "Наставник"]
WIDTHS = [24, 32, 36, 30, 12, 22, 40, 14, 14, 14, 14, 16, 30]
CHUNK = 500


class MonitorReport(Report):
    kind = "monitor"
    title = "Реализация ИОМ"
    formats = ("xlsx",)
    needs_municipality = False

    def __init__(self, params, progress=None, *, queryset=None):
        super().__init__(params, progress)
        if queryset is None:
            raise ReportError("Выгрузка строится по отфильтрованному списку.")
        self.queryset = queryset

    @property
    def scope_name(self) -> str:
        return "Реализация ИОМ"

    def compute(self) -> None:
        self.ids = list(self.queryset.values_list("pk", flat=True))
        self.count = len(self.ids)

    def rows(self):
        """The typed rows, a chunk of people at a time (the page's reads: routes, mentors, refusals)."""
        for start in range(0, self.count, CHUNK):
            ids = self.ids[start:start + CHUNK]
            found = self.queryset.filter(pk__in=ids).select_related("organisation__municipality").in_bulk()
            for row in rows_of(found[pk] for pk in ids):
                person = row.person
                yield [
                    person.organisation.municipality.name, person.organisation.short_name, person.full_name,
                    person.position, row.route.academic_year if row.route else "", row.state_label, row.refusal,
                    row.done if row.route else None, row.total if row.route else None, xl.percent(row.progress),
                    row.overdue if row.route else None, row.last_activity, row.mentor.full_name if row.mentor else "",
                ]
            self.progress(40 + 55 * min(self.count, start + CHUNK) // max(1, self.count))

    def data_headers(self) -> list[str]:
        return HEADERS

    def data_rows(self):
        return self.rows()

    def render_xlsx(self, out) -> None:
        wb = Workbook(write_only=True)
        sheet = wb.create_sheet("Реализация ИОМ")
        for i, width in enumerate(WIDTHS, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{self.count + 1}"
        xl.print_setup(sheet, title_rows=(1, 1))
        write_row(sheet, [xl.streamed(sheet, h, font=xl.BOLD, fill=xl.HEADER_FILL, alignment=xl.CENTER)
                          for h in HEADERS])
        for row in self.rows():
            xl.write_typed_row(sheet, row)
        wb.save(out)
