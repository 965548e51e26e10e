"""Indicators plan/fact (seed 003): each indicator's target beside the portal's fact."""

from django.utils.safestring import mark_safe

from core.files import write_cell
from core.pdf import render_pdf
from reports import charts
from reports.builders.base import Report, put_text, style_table
from reports.selectors.indicators import indicator_rows


class IndicatorsReport(Report):
    kind = "indicators"
    title = "Показатели: план и факт"

    def compute(self) -> None:
        self.years = self.params.years
        self.rows = indicator_rows(self.organisations(), self.years)

    def data_headers(self) -> list[str]:
        return ["Код", "Показатель", "Уровень", "Цель", "Единица", "Числитель", "Знаменатель", "Факт, %", "Отставание"]

    def data_rows(self):
        for r in self.rows:
            yield [r.code, r.name, r.level, float(r.target), r.unit, r.fact.numerator, r.fact.denominator,
                   float(r.fact.value) if r.fact.value is not None else None, "да" if r.behind else "нет"]

    def write_sheets(self, wb) -> None:
        ws = wb.active
        ws.title = "Показатели"
        row = put_text(ws, 1, f"Показатели: план и факт — {self.scope_name}, {', '.join(self.years)}",
                       bold=True, width_cols=6, size=13)
        top = row + 1
        for c, v in enumerate(["Показатель", "Уровень", "Цель, %", "Факт, %", "Из них / всего", "Оценка"], start=1):
            write_cell(ws, top, c, v)
        r = top
        for x in self.rows:
            r += 1
            values = [x.name, x.level, float(x.target), float(x.fact.value) if x.fact.value is not None else None,
                      f"{x.fact.numerator} из {x.fact.denominator}", "отстает" if x.behind else "выполнен"]
            for c, v in enumerate(values, start=1):
                write_cell(ws, r, c, v)
        style_table(ws, top, r, 1, 6)
        for col, w in zip("ABCDEF", [70, 14, 10, 10, 16, 12], strict=True):
            ws.column_dimensions[col].width = w

    def render_pdf(self, out) -> None:
        chart = charts.share_bars([(r.name, r.fact.value) for r in self.rows], None,
                                  title="Факт показателей, %", label_width=260)
        out.write(render_pdf("reports/pdf/indicators.html", {
            "r": self, "rows": self.rows, "scope": self.scope_name, "years": self.years,
            "report_date": self.report_date, "chart": mark_safe(chart),
        }))
