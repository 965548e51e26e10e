"""The municipal analytical report (seed 000): Table 1 over academic years, its interpretation,
problems and recommendations. XLSX, PDF and DOCX of the same figures."""

from django.utils.safestring import mark_safe

from core import docx_tools as dx
from core.files import write_cell
from core.numbers import format_percent
from core.pdf import render_pdf
from reports import charts
from reports.builders.base import CENTER, TITLE, Report, new_docx, put_text, style_table
from reports.selectors.common import EDUCATOR_KINDS, SCHOOL_KINDS
from reports.selectors.coverage import CoverageRow, coverage_table, organisations_without_routes, pair, report_text_get
from reports.selectors.indicators import indicator_target
from reports.texts import (
    coverage_interpretation,
    coverage_problems,
    coverage_recommendations,
    lines,
    parse_sections,
    plural,
)


class CoverageReport(Report):
    kind = "coverage"
    title = "Аналитическая справка: составление и реализация ИОМ (Таблица 1)"
    formats = ("xlsx", "pdf", "docx")

    def organisations(self):
        types = self.params.types or SCHOOL_KINDS
        return super().organisations().filter(kind__in=types)

    def compute(self) -> None:
        p = self.params
        self.years = p.years
        self.table = coverage_table(self.organisations(), self.years)
        self.progress(20)
        self.target = indicator_target("iom_share")
        others = super().organisations().filter(kind__in=EDUCATOR_KINDS)
        self.uninvolved = organisations_without_routes(others, self.years) if p.organisation is None else []
        self.text = report_text_get(p.municipality, self.years[-1])
        self.interpretation = coverage_interpretation(self.table, self.report_date)
        self.problems = coverage_problems(self.table, self.target, self.uninvolved) + lines(self.text.problems)
        prefilled = coverage_recommendations(self.table, self.uninvolved)
        self.recommendations = parse_sections(self.text.recommendations) if self.text.recommendations.strip() else prefilled
        self.kinds_label = ", ".join(p.types or SCHOOL_KINDS)

    @property
    def heading(self) -> str:
        return (f"Анализ деятельности по профессиональному развитию педагогов в части составления и реализации ИОМ "
                f"за {self.years[-1]} уч. год")

    @property
    def table_caption(self) -> str:
        n = len(self.years)
        return (f"Таблица №1. Статистические данные по составлению ИОМ за {n} "
                f"{plural(n, 'год', 'года', 'лет')} ({self.kinds_label}).")

    # -- Данные
    def data_headers(self) -> list[str]:
        headers = ["ОО", "Сотрудники", "Из них завучи", "Зарегистрированы: педагоги", "Зарегистрированы: завучи"]
        for year in self.years:
            headers += [f"Зачтено {year}: педагоги", f"Зачтено {year}: завучи"]
        return headers + ["Зачтено за период: педагоги", "Зачтено за период: завучи", "Доля с ИОМ, %"]

    def data_rows(self):
        for r in self.table.rows + [self.table.total]:
            yield self._data_row(r)

    @staticmethod
    def _data_row(r: CoverageRow) -> list:
        row = [r.name, r.staff, r.deputies, r.registered_teachers, r.registered_deputies]
        for t, d in r.credited:
            row += [t, d]
        share = float(r.share) if r.share is not None else None
        return row + [r.period_teachers, r.period_deputies, share]

    # -- the people's table
    def header_rows(self) -> tuple[list[str], list[str]]:
        n = len(self.years)
        first = ["№", "ОУ", "Количество педагогов по основной должности (без воспитателей и декретников) + завучи",
                 "Кол-во педагогов + завуч, зарегистрированные на портале",
                 "Количество ИОМ, получивших зачет (педагоги+завучи)"] + [""] * n + [
                 f"Итого за {n} {plural(n, 'год', 'года', 'лет')} доля педагогов, сост. ИОМ, "
                 f"от общего количества педагогов"]
        second = ["", "", "", ""] + [f"{y} (сентябрь-май)" for y in self.years] + [
            f"Итого за {n} {plural(n, 'год', 'года', 'лет')}", ""]
        return first, second

    def table_rows(self) -> list[list[str]]:
        out = []
        for i, r in enumerate(self.table.rows, start=1):
            out.append([str(i), r.name, str(r.staff), pair(r.registered_teachers, r.registered_deputies)]
                       + [pair(t, d) for t, d in r.credited]
                       + [pair(r.period_teachers, r.period_deputies), f"{format_percent(r.share)} %"])
        t = self.table.total
        out.append(["Итого", "", str(t.staff), pair(t.registered_teachers, t.registered_deputies, True)]
                   + [pair(a, b, True) for a, b in t.credited]
                   + [pair(t.period_teachers, t.period_deputies, True), f"{format_percent(t.share)} %"])
        return out

    def write_sheets(self, wb) -> None:
        ws = wb.active
        ws.title = "Таблица 1"
        ncols = 6 + len(self.years)
        row = put_text(ws, 1, self.heading, bold=True, width_cols=ncols, size=13)
        ws.cell(row=1, column=1).font = TITLE
        row = put_text(ws, row, f"{self.params.municipality.name}. Дата отчета: {self.report_date:%d.%m.%Y}",
                       width_cols=ncols)
        row = put_text(ws, row + 1, self.table_caption, bold=True, width_cols=ncols)
        first, second = self.header_rows()
        top = row
        for c, v in enumerate(first, start=1):
            write_cell(ws, top, c, v)
        for c, v in enumerate(second, start=1):
            write_cell(ws, top + 1, c, v or None)
        for c in (1, 2, 3, 4, ncols):
            ws.merge_cells(start_row=top, start_column=c, end_row=top + 1, end_column=c)
        ws.merge_cells(start_row=top, start_column=5, end_row=top, end_column=5 + len(self.years))
        ws.row_dimensions[top].height = 75
        ws.row_dimensions[top + 1].height = 32
        body = self.table_rows()
        for i, values in enumerate(body, start=top + 2):
            for c, v in enumerate(values, start=1):
                cell = write_cell(ws, i, c, v)
                if c != 2:
                    cell.alignment = CENTER
        last = top + 1 + len(body)
        ws.merge_cells(start_row=last, start_column=1, end_row=last, end_column=2)
        style_table(ws, top, last, 1, ncols, header_rows=2)
        for c, w in zip("ABCDEFGHIJKL", [5, 34, 16, 16] + [14] * len(self.years) + [14, 16], strict=False):
            ws.column_dimensions[c].width = w
        row = last + 2
        row = put_text(ws, row, "Интерпретация данных:", bold=True, width_cols=ncols)
        for text in self.interpretation:
            row = put_text(ws, row, f"– {text}", width_cols=ncols)
        row = put_text(ws, row + 1, "Выводы, проблемы", bold=True, width_cols=ncols)
        for i, text in enumerate(self.problems, start=1):
            row = put_text(ws, row, f"{i}. {text}", width_cols=ncols)
        row = put_text(ws, row + 1, "Рекомендации по решению задач в следующем учебном году", bold=True,
                       width_cols=ncols)
        for heading, items in self.recommendations.items():
            if heading:
                row = put_text(ws, row, f"{heading}:", bold=True, width_cols=ncols)
            for i, text in enumerate(items, start=1):
                row = put_text(ws, row, f"{i}. {text}", width_cols=ncols)

    # -- PDF
    def context(self) -> dict:
        first, second = self.header_rows()
        chart = charts.share_bars([(r.name, r.share) for r in self.table.rows], self.target,
                                  title="Доля педагогов с ИОМ по школам, %")
        return {
            "r": self, "table": self.table, "heading": self.heading, "caption": self.table_caption,
            "years": self.years, "body": self.table_rows(), "n_years": len(self.years),
            "tasks": lines(self.text.tasks), "actions": lines(self.text.actions),
            "interpretation": self.interpretation, "problems": self.problems,
            "recommendations": self.recommendations, "signature": self.text.signature,
            "municipality": self.params.municipality, "report_date": self.report_date,
            "chart": mark_safe(chart), "target": self.target, "period_label": second[4 + len(self.years)],
            "share_label": first[-1],
        }

    def render_pdf(self, out) -> None:
        out.write(render_pdf("reports/pdf/coverage.html", self.context()))

    # -- DOCX
    def render_docx(self, out) -> None:
        doc = new_docx()
        dx.paragraph(doc, self.heading, bold=True, align=dx.CENTER, size=14)
        dx.paragraph(doc, "Индивидуальный образовательный маршрут (ИОМ) — организационно-методический документ "
                          "педагогического работника, отражающий план конкретных мероприятий, направленных на "
                          "непрерывное профессиональное и личностное развитие педагогического работника. ИОМ "
                          "разрабатывается на основе оценки и самооценки уровня развития профессиональных "
                          "компетенций, выявленных дефицитов и задач предстоящей деятельности.")
        dx.paragraph(doc, "Задачи ММЦ в рамках данного направления:", bold=True)
        dx.numbered(doc, lines(self.text.tasks))
        dx.paragraph(doc, "Выполненные действия и мероприятия по реализации задач:", bold=True)
        dx.numbered(doc, lines(self.text.actions))
        dx.paragraph(doc, "Полученные результаты", bold=True)
        dx.paragraph(doc, self.table_caption, bold=True)
        first, second = self.header_rows()
        n = len(self.years)
        ncols = 6 + n
        merges = [(0, c, 1, c) for c in (0, 1, 2, 3, ncols - 1)] + [(0, 4, 0, 4 + n)]
        body = self.table_rows()
        t = dx.table(doc, [first, second], body, widths_cm=[0.8, 4.6, 2.2, 2.2] + [1.9] * n + [1.9, 2.0],
                     merges=merges, font_size=9)
        t.cell(len(body) + 1, 0).merge(t.cell(len(body) + 1, 1))
        dx.paragraph(doc)
        dx.paragraph(doc, "Интерпретация данных:", bold=True)
        dx.bullets(doc, self.interpretation)
        dx.paragraph(doc, "Выводы, проблемы", bold=True)
        dx.numbered(doc, self.problems)
        dx.paragraph(doc, "Рекомендации по решению задач в следующем учебном году", bold=True)
        for heading, items in self.recommendations.items():
            if heading:
                dx.paragraph(doc, f"{heading}:", bold=True)
            dx.numbered(doc, items)
        dx.paragraph(doc)
        dx.paragraph(doc, self.text.signature or self.params.municipality.methodical_centre, align=dx.RIGHT)
        doc.save(out)
