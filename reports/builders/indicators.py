"""Indicators plan/fact (seed 003): each indicator's target beside the portal's fact."""

from django.utils.safestring import mark_safe

from core import xlsx_tools as xl
from core.pdf import render_pdf
from reports import charts
from reports.builders.base import Report
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
        row = xl.text(ws, 1, f"Показатели: план и факт — {self.scope_name}, {', '.join(self.years)}",
                      bold=True, columns=7, size=13)
        body = [[x.name, x.level, xl.percent(x.target), xl.percent(x.fact.value), x.fact.numerator,
                 x.fact.denominator, "отстает" if x.behind else "выполнен"] for x in self.rows]
        table = xl.table(ws, row + 1, [["Показатель", "Уровень", "Цель, %", "Факт, %", "Из них", "Всего",
                                        "Оценка"]], body)
        xl.finish_sheet(ws, [table], minimums={1: 50}, max_width=80)

    def render_pdf(self, out) -> None:
        chart = charts.share_bars([(r.name, r.fact.value) for r in self.rows], None,
                                  title="Факт показателей, %", label_width=260)
        out.write(render_pdf("reports/pdf/indicators.html", {
            "r": self, "rows": self.rows, "scope": self.scope_name, "years": self.years,
            "report_date": self.report_date, "chart": mark_safe(chart),
        }))
