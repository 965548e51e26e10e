"""The municipal analytical report (seed 000): Table 1 over academic years, its interpretation,
problems and recommendations. XLSX, PDF and DOCX of the same figures."""

from django.utils.safestring import mark_safe

from core import docx_tools as dx
from core import xlsx_tools as xl
from core.numbers import format_percent
from core.pdf import render_pdf
from reports import charts
from reports.builders.base import Report, new_docx
from reports.letters import municipal_letterhead
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

CHART_CAPTION = "Доля педагогов с ИОМ по школам, %"


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

    def xlsx_header(self) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
        """Table 1's header for a spreadsheet: each «10+1» of the seed is two numeric columns,
        teachers and deputies, under the seed's titles."""
        first, second = self.header_rows()
        n = len(self.years)
        pairs = [*[second[4 + i] for i in range(n)], second[4 + n]]
        top = [first[0], first[1], first[2], first[3], "", first[4]] + [""] * (2 * len(pairs) - 1) + [first[-1]]
        middle = ["", "", "", "", ""] + [x for label in pairs for x in (label, "")] + [""]
        bottom = ["", "", "", "педагоги", "завучи"] + ["педагоги", "завучи"] * len(pairs) + [""]
        last = len(top) - 1
        merges = [(0, c, 2, c) for c in (0, 1, 2, last)] + [(0, 3, 1, 4), (0, 5, 0, last - 1)]
        merges += [(1, 5 + 2 * i, 1, 6 + 2 * i) for i in range(len(pairs))]
        return [top, middle, bottom], merges

    @staticmethod
    def _xlsx_row(number, name: str, r: CoverageRow) -> list:
        values = [number, name, r.staff, r.registered_teachers, r.registered_deputies]
        for t, d in r.credited:
            values += [t, d]
        return values + [r.period_teachers, r.period_deputies, xl.percent(r.share)]

    def write_sheets(self, wb) -> None:
        ws = wb.active
        ws.title = "Таблица 1"
        header, merges = self.xlsx_header()
        ncols = len(header[0])
        row = xl.text(ws, 1, self.heading, bold=True, columns=ncols, size=13)
        row = xl.text(ws, row, f"{self.params.municipality.name}. Дата отчета: {self.report_date:%d.%m.%Y}",
                      columns=ncols)
        row = xl.text(ws, row + 1, self.table_caption, bold=True, columns=ncols)
        body = [self._xlsx_row(i, r.name, r) for i, r in enumerate(self.table.rows, start=1)]
        table = xl.table(ws, row, header, body, merges=merges, totals=[self._xlsx_row(None, "Итого", self.table.total)])
        row = table.next_row + 1
        row = xl.text(ws, row, "Интерпретация данных:", bold=True, columns=ncols)
        for text in self.interpretation:
            row = xl.text(ws, row, f"– {text}", columns=ncols)
        row = xl.text(ws, row + 1, "Выводы, проблемы", bold=True, columns=ncols)
        for i, text in enumerate(self.problems, start=1):
            row = xl.text(ws, row, f"{i}. {text}", columns=ncols)
        row = xl.text(ws, row + 1, "Рекомендации по решению задач в следующем учебном году", bold=True, columns=ncols)
        for heading, items in self.recommendations.items():
            if heading:
                row = xl.text(ws, row, f"{heading}:", bold=True, columns=ncols)
            for i, text in enumerate(items, start=1):
                row = xl.text(ws, row, f"{i}. {text}", columns=ncols)
        xl.finish_sheet(ws, [table], minimums={2: 30})

    @property
    def custom_signature(self) -> str:
        """The methodist's own words for the signature; the default text (the centre's name alone) is
        no signature: the head of the centre signs, with the position and name."""
        text = (self.text.signature or "").strip()
        return "" if text == (self.params.municipality.methodical_centre or "").strip() else text

    def signatory(self) -> tuple[str, str]:
        """Who signs the report (the head of the methodical centre, «Директор ММЦ» / «С.Н. Глаголева»),
        from the municipality's letterhead; the centre's name when the head is not filled in."""
        m = self.params.municipality
        head = municipal_letterhead(m, self.report_date)
        return (head.signatory_position or m.methodical_centre or m.name), head.signatory

    # -- PDF
    def context(self) -> dict:
        first, second = self.header_rows()
        chart = charts.share_bars([(r.name, r.share) for r in self.table.rows], self.target,
                                  title=CHART_CAPTION)
        return {
            "r": self, "table": self.table, "heading": self.heading, "caption": self.table_caption,
            "years": self.years, "body": self.table_rows(), "n_years": len(self.years),
            "tasks": lines(self.text.tasks), "actions": lines(self.text.actions),
            "interpretation": self.interpretation, "problems": self.problems,
            "recommendations": self.recommendations, "signature": self.custom_signature,
            "sign": self.signatory(), "chart_caption": f"Рисунок 1. {CHART_CAPTION}",
            "municipality": self.params.municipality, "report_date": self.report_date,
            "chart": mark_safe(chart), "target": self.target, "period_label": second[4 + len(self.years)],
            "share_label": first[-1],
        }

    def render_pdf(self, out) -> None:
        out.write(render_pdf("reports/pdf/coverage.html", self.context()))

    # -- DOCX
    def render_docx(self, out) -> None:
        doc = new_docx(self)
        dx.heading(doc, self.heading, level=1).alignment = dx.CENTER
        dx.paragraph(doc, "Индивидуальный образовательный маршрут (ИОМ) — организационно-методический документ "
                          "педагогического работника, отражающий план конкретных мероприятий, направленных на "
                          "непрерывное профессиональное и личностное развитие педагогического работника. ИОМ "
                          "разрабатывается на основе оценки и самооценки уровня развития профессиональных "
                          "компетенций, выявленных дефицитов и задач предстоящей деятельности.")
        dx.heading(doc, "Задачи ММЦ в рамках данного направления:", level=2)
        dx.numbered(doc, lines(self.text.tasks))
        dx.heading(doc, "Выполненные действия и мероприятия по реализации задач:", level=2)
        dx.numbered(doc, lines(self.text.actions))
        dx.heading(doc, "Полученные результаты", level=2)
        dx.paragraph(doc, self.table_caption, bold=True)
        first, second = self.header_rows()
        n = len(self.years)
        ncols = 6 + n
        merges = [(0, c, 1, c) for c in (0, 1, 2, 3, ncols - 1)] + [(0, 4, 0, 4 + n)]
        body = self.table_rows()
        # 17 cm of text: the fixed columns fit their longest header word at 8 pt, the years share the rest
        period = round(5.4 / (n + 1), 2)
        t = dx.table(doc, [first, second], body, widths_cm=[0.8, 2.8, 2.3, 3.5] + [period] * (n + 1) + [2.2],
                     merges=merges, font_size=9, header_size=8)
        t.cell(len(body) + 1, 0).merge(t.cell(len(body) + 1, 1))
        dx.paragraph(doc)
        dx.heading(doc, "Интерпретация данных:", level=2)
        dx.bullets(doc, self.interpretation)
        dx.heading(doc, "Выводы, проблемы", level=2)
        dx.numbered(doc, self.problems)
        dx.heading(doc, "Рекомендации по решению задач в следующем учебном году", level=2)
        for heading, items in self.recommendations.items():
            if heading:
                dx.paragraph(doc, f"{heading}:", bold=True)
            dx.numbered(doc, items)
        dx.paragraph(doc)
        if self.custom_signature:
            dx.paragraph(doc, self.custom_signature, align=dx.RIGHT)
        else:
            dx.layout_table(doc, [list(self.signatory())], [10, 7], aligns=[dx.LEFT, dx.RIGHT])
        doc.save(out)
