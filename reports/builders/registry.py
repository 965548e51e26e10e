"""The registry of ИОМ: one row per route, exactly the rows the list's filter shows.

XLSX is written by openpyxl in write-only mode, streamed from a server-side cursor: memory
stays flat whatever the number of rows. Both sheets are appended in one pass.
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from core import xlsx_tools as xl
from core.dates import format_date
from core.files import csv_safe, write_row
from core.pdf import render_pdf
from reports.builders.base import Report, ReportError
from reports.selectors.implementation import progress_percent
from routes.models import Route

STATUS = dict(Route.Status.choices)
OUTCOME = dict(Route.Outcome.choices)
FIELDS = (
    "organisation__municipality__name", "organisation__short_name", "person__last_name", "person__first_name",
    "person__middle_name", "person__position", "academic_year", "status", "approved_on", "credited_on",
    "done", "total", "deficit_names", "outcome",
)
HEADERS = ["Муниципалитет", "ОО", "ФИО", "Должность", "Учебный год", "Статус", "Дата утверждения", "Дата зачета",
           "Выполнение, %", "Дефициты", "Результат"]
DATA_HEADERS = ["Муниципалитет", "ОО", "ФИО", "Должность", "Учебный год", "Статус", "Дата утверждения",
                "Дата зачета", "Выполнено мероприятий", "Всего мероприятий", "Выполнение, %", "Дефициты", "Результат"]
# The streamed sheets are sized before their rows: the widths a person would give these columns
# (names and organisations wide, dates and years as wide as their values, the deficits wrapped).
WIDTHS = [24, 32, 36, 30, 12, 20, 14, 12, 14, 60, 22]
DATA_WIDTHS = [24, 32, 36, 30, 12, 20, 14, 12, 14, 14, 14, 60, 22]
PDF_LIMIT = 2000
CHUNK = 2000


def csv_value(value):
    """Dates as DD.MM.YYYY and decimals with a comma, as Russian Excel reads a `;` CSV."""
    if hasattr(value, "strftime"):
        return format_date(value)
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return value


def pdf_value(value):
    """A typed cell of the sheet as the PDF writes it: dates DD.MM.YYYY, a share in per cent, nothing as «—»."""
    if value is None or value == "":
        return "—"
    if isinstance(value, xl.Percent):
        return round(float(value) * 100, 1)
    return format_date(value) if hasattr(value, "strftime") else value


def full_name(last: str, first: str, middle: str) -> str:
    return " ".join(p for p in (last, first, middle) if p)


class RegistryReport(Report):
    kind = "registry"
    title = "Реестр ИОМ"
    formats = ("xlsx", "csv", "pdf")
    needs_municipality = False

    def __init__(self, params, progress=None, *, queryset=None):
        super().__init__(params, progress)
        if queryset is None:
            raise ReportError("Реестр строится по отфильтрованному списку.")
        self.queryset = queryset

    @property
    def scope_name(self) -> str:
        return "Реестр ИОМ"

    def compute(self) -> None:
        self.count = self.queryset.count()

    def rows(self):
        """(formatted row, data row) for each route, streamed."""
        every = max(1, self.count // 20)
        for i, r in enumerate(self.queryset.values_list(*FIELDS).iterator(chunk_size=CHUNK)):
            (municipality, org, last, first, middle, position, year, status, approved, credited,
             done, total, deficits, outcome) = r
            share = float(progress_percent(done, total))
            name = full_name(last, first, middle)
            status_label, outcome_label = STATUS.get(status, status), OUTCOME.get(outcome, "")
            yield (
                [municipality, org, name, position, year, status_label, approved, credited, xl.percent(share),
                 deficits, outcome_label],
                [municipality, org, name, position, year, status_label, approved, credited, done, total, share,
                 deficits, outcome_label],
            )
            if i % every == 0:
                self.progress(40 + 55 * i // max(1, self.count))

    def data_headers(self) -> list[str]:
        return DATA_HEADERS

    def data_rows(self):
        for _shown, data in self.rows():
            yield data

    def render_xlsx(self, out) -> None:
        wb = Workbook(write_only=True)
        shown = wb.create_sheet("Реестр ИОМ")
        data = wb.create_sheet("Данные")
        for sheet, headers, widths in ((shown, HEADERS, WIDTHS), (data, DATA_HEADERS, DATA_WIDTHS)):
            # write-only: the sheet's layout goes before its rows, so the widths are fixed by column
            for i, width in enumerate(widths, start=1):
                sheet.column_dimensions[get_column_letter(i)].width = width
            sheet.freeze_panes = "A2"
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{self.count + 1}"
            xl.print_setup(sheet, title_rows=(1, 1))
            write_row(sheet, [xl.streamed(sheet, h, font=xl.BOLD, fill=xl.HEADER_FILL, alignment=xl.CENTER) for h in headers])
        for shown_row, data_row in self.rows():
            xl.write_typed_row(shown, shown_row)
            xl.write_typed_row(data, data_row)
        wb.save(out)

    def render_csv(self, out) -> None:
        """`;`-separated UTF-8 with BOM: Russian Excel opens it as is."""
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv.writer(text, delimiter=";")
        writer.writerow(DATA_HEADERS)
        for _shown, data in self.rows():
            writer.writerow([csv_safe(csv_value(v)) for v in data])
        text.flush()
        text.detach()

    def render_pdf(self, out) -> None:
        if self.count > PDF_LIMIT:
            raise ReportError(f"В PDF помещается не более {PDF_LIMIT} строк реестра, выбрано {self.count}. "
                              f"Сузьте фильтр или выберите XLSX.")
        rows = [[pdf_value(v) for v in shown] for shown, _data in self.rows()]
        out.write(render_pdf("reports/pdf/registry.html", {"rows": rows, "headers": HEADERS, "count": self.count,
                                                           "report_date": self.report_date,
                                                           "description": self.params.filters.get("_label", "")},
                             landscape=True))
