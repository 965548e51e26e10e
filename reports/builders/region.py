"""The region's analytical report: Table 1 of seed 000 with a row per municipality, and the audit of seed 001
by municipality (ИОМ of one cohort). XLSX and PDF.

It reuses the two municipal reports: Table 1's figures and layout are CoverageReport's (its header, rows and
cells, with «Муниципалитет» for «ОУ»), each row the total of coverage_table over that municipality's schools;
the audit's are audit_figures over the municipality's organisations, the same figures as AuditReport's.
"""

from dataclasses import replace

from django.utils.safestring import mark_safe

from core import xlsx_tools as xl
from core.numbers import format_percent
from core.pdf import render_pdf
from reports import charts
from reports.builders.base import Report, ReportError
from reports.builders.coverage import CoverageReport
from reports.selectors.audit import audit_figures
from reports.selectors.common import SCHOOL_KINDS
from reports.selectors.coverage import CoverageTable, coverage_table
from reports.selectors.indicators import indicator_target
from schools.models import Organisation


def _capital(label: str) -> str:
    """The audit's labels continue a sentence («прошли аттестацию»); a column heading starts with a capital."""
    return label[:1].upper() + label[1:]


class RegionReport(Report):
    kind = "region"
    title = "Аналитический отчет по региону: Таблица 1 и аудит по муниципалитетам"
    formats = ("xlsx", "pdf")
    needs_municipality = False

    # Table 1's layout, over a table whose rows are municipalities (CoverageReport reads self.years, self.table)
    header_rows = CoverageReport.header_rows
    table_rows = CoverageReport.table_rows
    xlsx_header = CoverageReport.xlsx_header
    _xlsx_row = staticmethod(CoverageReport._xlsx_row)
    table_caption = CoverageReport.table_caption

    def __init__(self, params, progress=None):
        if params.region is None:
            raise ReportError("Укажите регион.")
        super().__init__(params, progress)

    @property
    def scope_name(self) -> str:
        return self.params.region.name

    def organisations(self):
        return Organisation.objects.filter(municipality__region=self.params.region)

    def compute(self) -> None:
        p = self.params
        self.years, self.cohort = p.years, p.cohort
        self.kinds_label = ", ".join(SCHOOL_KINDS)
        self.municipalities = list(p.region.municipalities.order_by("name"))
        rows, audits = [], []
        for i, municipality in enumerate(self.municipalities, start=1):
            everyone = Organisation.objects.filter(municipality=municipality)
            total = coverage_table(everyone.filter(kind__in=SCHOOL_KINDS), self.years).total
            rows.append(replace(total, name=municipality.name, organisation=None))
            audits.append((municipality.name, audit_figures(everyone, self.cohort)))
            self.progress(5 + 30 * i / max(1, len(self.municipalities)))
        region_total = coverage_table(self.organisations().filter(kind__in=SCHOOL_KINDS), self.years).total
        self.table = CoverageTable(self.years, rows, region_total)
        self.audits = audits
        self.region_audit = audit_figures(self.organisations(), self.cohort)
        self.target = indicator_target("iom_share")

    @property
    def heading(self) -> str:
        return f"{self.params.region.name}: составление и реализация ИОМ по муниципалитетам"

    @property
    def audit_caption(self) -> str:
        return f"Внутренний аудит реализации ИОМ, разработанных в {self.cohort} учебном году, по муниципалитетам"

    def audit_columns(self) -> list[tuple[str, str]]:
        """(code, label) of the audit's shares: its groups and buckets, in the audit's order."""
        return [(f.code, f.label) for f in self.region_audit.groups + self.region_audit.buckets]

    def _audit_row(self, name: str, a) -> list:
        shares = {f.code: f.share for f in a.groups + a.buckets}
        return [name, a.developed, a.dismissed, a.base, *(xl.percent(shares.get(code)) for code, _ in self.audit_columns())]

    # -- Данные: one row per figure and municipality, Table 1's and the audit's
    def data_headers(self) -> list[str]:
        # «Код» first, as in the other reports' «Данные»: the figure's code for machines
        return ["Код", "Муниципалитет", "Раздел", "Показатель", "Количество", "База", "Доля, %"]

    def data_rows(self):
        for r in [*self.table.rows, replace(self.table.total, name="Итого по региону")]:
            share = float(r.share) if r.share is not None else None
            yield ["coverage_staff", r.name, "Таблица 1", "Сотрудники базы школ", r.staff, None, None]
            yield ["coverage_registered", r.name, "Таблица 1", "Зарегистрированы на портале", r.registered, r.staff, None]
            yield ["coverage_credited", r.name, "Таблица 1", "ИОМ зачтено за период",
                   r.period_teachers + r.period_deputies, None, None]
            yield ["coverage_share", r.name, "Таблица 1", "Доля с ИОМ, получившими зачет", r.with_route, r.staff, share]
        for name, a in [*self.audits, ("Итого по региону", self.region_audit)]:
            for f in a.data_rows:
                yield [f.code, name, "Аудит", _capital(str(f.label)), f.count, f.base,
                       float(f.share) if f.share is not None else None]

    def write_sheets(self, wb) -> None:
        ws = wb.active
        ws.title = "Таблица 1"
        header, merges = self.xlsx_header()
        header[0][1] = "Муниципалитет"
        ncols = len(header[0])
        row = xl.text(ws, 1, self.heading, bold=True, columns=ncols, size=13)
        row = xl.text(ws, row, f"Дата отчета: {self.report_date:%d.%m.%Y}", columns=ncols)
        row = xl.text(ws, row + 1, self.table_caption, bold=True, columns=ncols)
        body = [self._xlsx_row(i, r.name, r) for i, r in enumerate(self.table.rows, start=1)]
        table = xl.table(ws, row, header, body, merges=merges,
                         totals=[self._xlsx_row(None, "Итого", self.table.total)])
        xl.finish_sheet(ws, [table], minimums={2: 30})

        ws = wb.create_sheet("Аудит")
        columns = self.audit_columns()
        ncols = 4 + len(columns)
        row = xl.text(ws, 1, self.audit_caption, bold=True, columns=ncols, size=13)
        row = xl.text(ws, row, "Доли — над базой: разработали ИОМ минус уволенные.", columns=ncols)
        head = ["Муниципалитет", "Разработали ИОМ", "Уволены", "База", *(f"{_capital(label)}, %" for _, label in columns)]
        body = [self._audit_row(name, a) for name, a in self.audits]
        table = xl.table(ws, row + 1, [head], body, totals=[self._audit_row("Итого", self.region_audit)])
        xl.finish_sheet(ws, [table], minimums={1: 28})

    def context(self) -> dict:
        first, second = self.header_rows()
        audits = [*self.audits, ("Итого", self.region_audit)]

        def shares(figures_of) -> list[list]:
            return [[name, *(format_percent(f.share) for f in figures_of(a))] for name, a in audits]

        chart = charts.share_bars([(r.name, r.share) for r in self.table.rows], self.target,
                                  title="Доля педагогов с ИОМ по муниципалитетам, %")
        # the audit in two tables a landscape page holds: the cohort and its implementation, then the groups
        return {
            "r": self, "heading": self.heading, "caption": self.table_caption, "years": self.years,
            "body": self.table_rows(), "n_years": len(self.years), "period_label": second[4 + len(self.years)],
            "share_label": first[-1], "chart": mark_safe(chart), "region": self.params.region,
            "report_date": self.report_date, "audit_caption": self.audit_caption,
            "bucket_labels": [_capital(str(f.label)) for f in self.region_audit.buckets],
            "bucket_body": [[name, a.developed, a.dismissed, a.base, *row[1:]] for (name, a), row
                            in zip(audits, shares(lambda a: a.buckets), strict=True)],
            "group_labels": [_capital(str(f.label)) for f in self.region_audit.groups],
            "group_body": shares(lambda a: a.groups),
        }

    def render_pdf(self, out) -> None:
        out.write(render_pdf("reports/pdf/region.html", self.context()))
