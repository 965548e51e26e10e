"""The internal audit of ИОМ implementation (seed 001): a letter for the municipality, or the
school's figures for its director with the teachers under 50 % named."""

from django.utils.safestring import mark_safe

from core import docx_tools as dx
from core import xlsx_tools as xl
from core.numbers import format_percent
from core.pdf import render_pdf
from reports import charts
from reports.builders.base import Report, new_docx
from reports.selectors.audit import audit_figures
from reports.texts import (
    audit_cohort,
    audit_findings,
    audit_implementation,
    audit_other,
    audit_problems,
    audit_recommendations,
)


class AuditReport(Report):
    kind = "audit"
    title = "Внутренний аудит реализации ИОМ"
    formats = ("xlsx", "pdf", "docx")

    def compute(self) -> None:
        self.cohort = self.params.cohort
        self.audit = audit_figures(self.organisations(), self.cohort)
        self.for_school = self.params.organisation is not None
        self.general, self.addressed = audit_recommendations(self.audit, self.for_school)

    @property
    def subject(self) -> str:
        return (f"О результатах внутреннего аудита реализации индивидуальных образовательных маршрутов педагогов, "
                f"разработанных в {self.cohort} учебном году")

    def data_headers(self) -> list[str]:
        return ["Код", "Показатель", "Количество", "База", "Доля, %"]

    def data_rows(self):
        for f in self.audit.data_rows:
            base = f.base if f.base is not None else None
            yield [f.code, f.label, f.count, base, float(f.share) if f.share is not None else None]

    def write_sheets(self, wb) -> None:
        ws = wb.active
        ws.title = "Аудит"
        a = self.audit
        row = xl.text(ws, 1, f"Внутренний аудит реализации ИОМ: {self.scope_name}, ИОМ {self.cohort} уч. года",
                      bold=True, columns=5, size=13)
        row = xl.text(ws, row, f"Разработали ИОМ: {a.developed}; уволены: {a.dismissed or 'нет'}; "
                               f"база для долей: {a.base} чел.", columns=5)
        body = [[i, f.label + (f" ({', '.join(f.names)})" if f.names else ""), f.count, f.base, xl.percent(f.share)]
                for i, f in enumerate([x for x in a.data_rows if x.base is not None], start=1)]
        table = xl.table(ws, row + 1, [["№", "Показатель", "Человек", "База", "Доля, %"]], body)
        xl.finish_sheet(ws, [table], minimums={2: 50}, max_width=80)
        if a.low:
            self._low_sheet(wb)

    def _low_sheet(self, wb) -> None:
        ws = wb.create_sheet("Менее 50 %")
        row = xl.text(ws, 1, "Реализовали ИОМ менее чем на 50 %", bold=True, columns=6)
        body = [[i, p.name, p.organisation, p.done, p.total, xl.percent(p.share)]
                for i, p in enumerate(self.audit.low, start=1)]
        table = xl.table(ws, row + 1, [["№", "Педагог", "Организация", "Выполнено мероприятий", "Всего мероприятий",
                                        "Выполнение, %"]], body)
        xl.finish_sheet(ws, [table], minimums={2: 30})

    def context(self) -> dict:
        a = self.audit
        bars = [(f.label, f.share) for f in a.groups]
        return {
            "r": self, "a": a, "subject": self.subject, "findings": audit_findings(a),
            "cohort_text": audit_cohort(a, self.cohort),
            "implementation": audit_implementation(a), "other": audit_other(a), "problems": audit_problems(a),
            "general": self.general, "addressed": self.addressed, "for_school": self.for_school,
            "scope": self.scope_name, "municipality": self.params.municipality,
            "organisation": self.params.organisation, "report_date": self.report_date,
            "chart": mark_safe(charts.share_bars(bars, title="Доли педагогов по направлениям, %", label_width=300)),
        }

    def render_pdf(self, out) -> None:
        out.write(render_pdf("reports/pdf/audit.html", self.context()))

    def render_docx(self, out) -> None:
        c = self.context()
        a = self.audit
        doc = new_docx(self)
        m = self.params.municipality
        dx.paragraph(doc, (m.methodical_centre or m.name).upper(), bold=True, align=dx.CENTER)
        dx.paragraph(doc)
        if self.for_school:
            dx.paragraph(doc, f"Директору {self.params.organisation.short_name}", align=dx.RIGHT)
        else:
            dx.paragraph(doc, f"Начальнику управления образования ({m.name})", align=dx.RIGHT)
        dx.paragraph(doc)
        dx.heading(doc, self.subject, level=1)
        dx.paragraph(doc, "В целях получения объективной информации о текущем состоянии и динамике "
                          "профессионального развития педагогических работников, реализующих индивидуальный "
                          "образовательный маршрут (далее — ИОМ), разработанный на основе диагностики "
                          f"профессиональных дефицитов, в образовательных организациях ({self.scope_name}) проведен внутренний аудит реализации ИОМ.")
        dx.paragraph(doc, audit_cohort(a, self.cohort))
        dx.paragraph(doc, "По результатам проведенного внутреннего аудита ИОМ установлено:")
        dx.bullets(doc, c["findings"])
        dx.paragraph(doc, "ИОМ на личностном уровне реализовали:")
        dx.bullets(doc, c["implementation"])
        dx.bullets(doc, c["other"])
        if self.for_school and a.low:
            dx.heading(doc, "Педагоги, реализовавшие ИОМ менее чем на 50 %", level=2)
            dx.table(doc, [["№", "Педагог", "Выполнено мероприятий", "%"]],
                     [[str(i), p.name, f"{p.done} из {p.total}", f"{format_percent(p.share)} %"]
                      for i, p in enumerate(a.low, start=1)], widths_cm=[1, 8, 4, 2.5])
        dx.paragraph(doc, "Проблемными вопросами остаются: " + "; ".join(c["problems"]) + ".")
        dx.paragraph(doc, "На основании вышеизложенного рекомендовано руководителям общеобразовательных организаций:")
        dx.numbered(doc, self.general)
        if self.addressed:
            dx.heading(doc, "Адресные рекомендации", level=2)
            dx.paragraph(doc, self.addressed)
        dx.paragraph(doc)
        dx.paragraph(doc, "Приложение: таблица показателей (в электронном виде).")
        dx.paragraph(doc, f"Дата: {self.report_date:%d.%m.%Y}", align=dx.RIGHT)
        doc.save(out)
