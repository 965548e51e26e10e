"""The internal audit of ИОМ implementation (seed 001): a letter for the municipality, or the
school's figures for its director with the teachers under 50 % named."""

from core import docx_tools as dx
from core import xlsx_tools as xl
from core.numbers import format_percent
from core.pdf import render_pdf
from reports.builders.base import Report, new_docx
from reports.letters import municipal_letterhead, school_letterhead
from reports.models import AuditLetterText
from reports.selectors.audit import audit_figures
from reports.texts import (
    audit_addressed,
    audit_cohort,
    audit_default_basis,
    audit_default_conclusion,
    audit_default_recommendations,
    audit_findings,
    audit_implementation,
    audit_other,
    audit_problems,
    audit_recommendations_heading,
    lines,
    problems_sentence,
)


class AuditReport(Report):
    kind = "audit"
    title = "Внутренний аудит реализации ИОМ"
    formats = ("xlsx", "pdf", "docx")

    def compute(self) -> None:
        self.cohort = self.params.cohort
        self.audit = audit_figures(self.organisations(), self.cohort)
        org, m = self.params.organisation, self.params.municipality
        self.for_school = org is not None
        # The methodist's words of the municipal letter (empty: the defaults); a school's audit takes the defaults.
        saved = None if self.for_school else AuditLetterText.objects.filter(municipality=m, cohort=self.cohort).first()
        self.basis = (saved and saved.basis) or audit_default_basis(
            cohort=self.cohort, municipality_name=m.name, organisation_name=org.short_name if org else "")
        self.conclusion = (saved and saved.conclusion) or audit_default_conclusion(
            for_school=self.for_school, organisation_name=org.short_name if org else "")
        self.general = lines(saved.recommendations) if saved and saved.recommendations else \
            audit_default_recommendations(self.audit)
        self.addressed = audit_addressed(self.audit, self.for_school)
        number = saved.number if saved else ""
        self.letterhead = (school_letterhead(org, self.report_date) if self.for_school
                           else municipal_letterhead(m, self.report_date, number))

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
        org = self.params.organisation
        return {
            "r": self, "a": a, "subject": self.subject, "head": self.letterhead, "basis": self.basis,
            "cohort_text": audit_cohort(a, self.cohort),
            "findings": audit_findings(a, self.for_school),
            "implementation": audit_implementation(a, self.for_school), "other": audit_other(a),
            "conclusion": self.conclusion, "problems": problems_sentence(audit_problems(a)),
            "recommendations_heading": audit_recommendations_heading(
                for_school=self.for_school, organisation_name=org.short_name if org else ""),
            "general": self.general, "addressed": self.addressed, "for_school": self.for_school,
            "scope": self.scope_name, "municipality": self.params.municipality, "organisation": org,
            "report_date": self.report_date,
        }

    def render_pdf(self, out) -> None:
        out.write(render_pdf("reports/pdf/audit.html", self.context()))

    def render_docx(self, out) -> None:
        c = self.context()
        a = self.audit
        head = self.letterhead
        doc = new_docx(self)
        dx.paragraph(doc, head.centre, bold=True, align=dx.CENTER, space_after=0)
        if head.contacts:
            dx.paragraph(doc, head.contacts, align=dx.CENTER, size=9)
        dx.paragraph(doc)
        dx.layout_table(doc, [[head.date_and_number, head.addressee]], [8, 8.5], aligns=[dx.LEFT, dx.LEFT])
        dx.paragraph(doc)
        dx.paragraph(doc, self.subject, bold=True, align=dx.LEFT)
        dx.paragraph(doc, head.salutation, align=dx.CENTER)
        dx.paragraph(doc, self.basis)
        dx.paragraph(doc, c["cohort_text"])
        if c["findings"]:
            dx.paragraph(doc, "По результатам проведенного внутреннего аудита ИОМ установлено:")
            dx.bullets(doc, c["findings"])
        if c["implementation"]:
            dx.paragraph(doc, "ИОМ на личностном уровне реализовали:")
            dx.bullets(doc, c["implementation"])
        if c["other"]:
            dx.bullets(doc, c["other"])
        if self.for_school and a.low:
            dx.paragraph(doc, "Педагоги, реализовавшие ИОМ менее чем на 50 %:", bold=True)
            dx.table(doc, [["№", "Педагог", "Выполнено мероприятий", "%"]],
                     [[str(i), p.name, f"{p.done} из {p.total}", f"{format_percent(p.share)} %"]
                      for i, p in enumerate(a.low, start=1)], widths_cm=[1, 8, 4, 2.5])
        dx.paragraph(doc, "Полная информация по результатам внутреннего аудита представлена в таблице (прилагается).")
        dx.paragraph(doc, f"{self.conclusion} {c['problems']}")
        if self.general:
            dx.paragraph(doc, c["recommendations_heading"])
            dx.numbered(doc, self.general)
        if self.addressed:
            dx.keep_with_next(dx.paragraph(doc, "Адресные рекомендации:", bold=True))
            dx.paragraph(doc, self.addressed)
        # The signature never stands alone on a page: the last paragraph and the closing lines go with it.
        dx.keep_with_next(doc.paragraphs[-1], dx.paragraph(doc), dx.paragraph(doc, "Приложение: в электронном виде."),
                          dx.paragraph(doc))
        dx.layout_table(doc, [[head.signatory_position, head.signatory]], [10, 6.5], aligns=[dx.LEFT, dx.RIGHT])
        if head.executor:
            dx.paragraph(doc)
            dx.paragraph(doc, head.executor, size=9, align=dx.LEFT)
        doc.save(out)
