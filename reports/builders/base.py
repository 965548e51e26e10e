"""What every report shares: its parameters, its scope, and the XLSX/DOCX plumbing.

A report is one class: `compute()` calls the selectors once, `data_headers()` /
`data_rows()` give the `Данные` sheet, and each format is a rendering of the same figures.
"""

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook

from core import docx_tools, xlsx_tools
from core.dates import academic_year_bounds, current_academic_year, last_completed_academic_years
from core.errors import DomainError
from methodics.models import Project
from schools.models import Municipality, Organisation, Region
from schools.timezones import local_now, zone_of_municipality, zone_of_region


class ReportError(DomainError, ValueError):
    """A report cannot be built with these parameters; the message is for the user."""


@dataclass
class ReportParams:
    municipality: Municipality | None = None
    organisation: Organisation | None = None
    years: list[str] = field(default_factory=list)
    cohort: str = ""
    types: list[str] = field(default_factory=list)
    filters: dict = field(default_factory=dict)
    project: Project | None = None
    region: Region | None = None  # the region's report (reports/builders/region.py)

    @classmethod
    def from_dict(cls, data: dict) -> "ReportParams":
        municipality = organisation = project = region = None
        if data.get("region_id"):
            region = Region.objects.filter(pk=data["region_id"]).first()
            if region is None:
                raise ReportError("Регион отчета не найден.")
        if data.get("project_id"):
            project = Project.objects.select_related("municipality__region").filter(pk=data["project_id"]).first()
            if project is None:
                raise ReportError("Проект отчета не найден.")
            municipality = project.municipality
        elif data.get("organisation_id"):
            organisation = Organisation.objects.select_related("municipality__region").filter(
                pk=data["organisation_id"]).first()
            if organisation is None:
                raise ReportError("Организация отчета не найдена.")
            municipality = organisation.municipality
        elif data.get("municipality_id"):
            municipality = Municipality.objects.select_related("region").filter(pk=data["municipality_id"]).first()
            if municipality is None:
                raise ReportError("Муниципалитет отчета не найден.")
        years = [y for y in data.get("years") or [] if y] or last_completed_academic_years(2)
        for year in years + ([data["cohort"]] if data.get("cohort") else []):
            check_year(year)
        return cls(
            municipality=municipality, organisation=organisation, years=sorted(set(years)),
            cohort=data.get("cohort") or years[-1], types=list(data.get("types") or []),
            filters=dict(data.get("filters") or {}), project=project, region=region,
        )

    def to_dict(self) -> dict:
        return {
            "municipality_id": self.municipality.pk if self.municipality else None,
            "organisation_id": self.organisation.pk if self.organisation else None,
            "years": self.years, "cohort": self.cohort, "types": self.types, "filters": self.filters,
            "project_id": self.project.pk if self.project else None,
            "region_id": self.region.pk if self.region else None,
        }


def check_year(year: str) -> str:
    try:
        academic_year_bounds(year)
    except (ValueError, TypeError):
        raise ReportError(f"Учебный год «{year}» указан неверно: нужен вид 2022-2023.") from None
    return year


def today() -> dt.date:
    return timezone.localdate()


def report_day(params: "ReportParams") -> dt.date:
    """The report's date: the local date of its municipality (a job runs with no user's zone)."""
    municipality = params.municipality or (params.project.municipality if params.project else None)
    if municipality is None and params.region is not None:
        return local_now(zone_of_region(params.region)).date()
    return local_now(zone_of_municipality(municipality)).date()


ProgressFn = Callable[[int], None]


class Report(ABC):
    kind = ""
    title = ""
    formats: tuple[str, ...] = ("xlsx", "pdf")
    needs_municipality = True

    def __init__(self, params: ReportParams, progress: ProgressFn | None = None):
        if self.needs_municipality and params.municipality is None:
            raise ReportError("Укажите муниципалитет.")
        self.params = params
        self._progress = progress or (lambda _p: None)
        self.report_date = report_day(params)

    # -- scope
    def organisations(self) -> QuerySet[Organisation]:
        qs = Organisation.objects.filter(municipality=self.params.municipality)
        if self.params.organisation is not None:
            qs = qs.filter(pk=self.params.organisation.pk)
        return qs

    @property
    def scope_name(self) -> str:
        p = self.params
        return p.organisation.short_name if p.organisation else (p.municipality.name if p.municipality else "")

    def progress(self, value: int) -> None:
        self._progress(max(0, min(100, int(value))))

    def filename(self, fmt: str) -> str:
        stamp = self.report_date.strftime("%Y-%m-%d")
        return f"{self.kind}_{stamp}.{fmt}"

    # -- the figures
    @abstractmethod
    def compute(self) -> None:
        """Read the figures through the selectors (once; every format renders them)."""

    @abstractmethod
    def data_headers(self) -> list[str]:
        """The header row of the `Данные` sheet."""

    @abstractmethod
    def data_rows(self) -> Iterable[list]:
        """The plain-value rows of the `Данные` sheet."""

    # -- formats
    def render(self, fmt: str, out: BinaryIO) -> None:
        if fmt not in self.formats:
            raise ReportError(f"Отчет «{self.title}» не выпускается в формате {fmt.upper()}.")
        self.progress(5)
        self.compute()
        self.progress(40)
        getattr(self, f"render_{fmt}")(out)
        self.progress(100)

    def render_xlsx(self, out: BinaryIO) -> None:
        wb = Workbook()
        self.write_sheets(wb)
        xlsx_tools.data_sheet(wb, self.data_headers(), self.data_rows())
        wb.save(out)

    def write_sheets(self, wb: Workbook) -> None:
        """The formatted sheets for people. A report that streams its XLSX (the registry)
        overrides render_xlsx instead and never reaches this."""
        raise TypeError(f"{type(self).__name__} defines neither write_sheets nor its own render_xlsx")


def new_docx(report: "Report"):
    """A report's Word document: A4, 12 pt justified text, the margins of the seeds' letters; its
    title the report's, its author the methodical centre."""
    m = report.params.municipality
    author = (m.methodical_centre or m.name) if m else ""
    return docx_tools.new_document(font_size=12, margins_mm=(20, 15, 20, 25), justify=True,
                                   title=report.title, author=author)


def current_year() -> str:
    return current_academic_year(today())
