"""The figures /api/v1/figures/ serves: the registry of figures (core.figures), by code.

Every figure of the registry counted over organisations is served; a project's figures (scope "project") are
not. Each is read over the organisations the caller's scope allows and a period:

- period "year": the academic year `year` (a figure over several years reads that one year; a cohort figure
  reads the cohort approved in that year);
- period "today": on today's date.

The registry's Value is turned into the rows of the response (code, label, count, base): a figure made of
parts gives one row per part, a single figure one row.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from core import figures
from core.figures import Period
from core.numbers import percent

FIGURES: list = []  # api contributes no figure of its own to the registry (core.registry.contributions)


@dataclass(frozen=True)
class FigureSpec:
    code: str
    title: str
    description: str
    period: str = "year"  # "year" or "today"
    kind: str = "years"  # the registry's period kind


@dataclass(frozen=True)
class FigureValue:
    code: str
    label: str
    count: int
    base: int | None

    @property
    def percent(self) -> Decimal | None:
        return percent(self.count, self.base) if self.base is not None else None


def _spec(figure) -> FigureSpec:
    return FigureSpec(figure.code, figure.name, figure.definition,
                      "today" if figure.period_kind == "day" else "year", figure.period_kind)


def figure_list() -> list[FigureSpec]:
    return [_spec(f) for f in figures.all_figures() if f.scope == "organisations"]


def figure_get(code: str) -> FigureSpec | None:
    return next((spec for spec in figure_list() if spec.code == code), None)


def figure_read(spec: FigureSpec, organisations, year: str) -> list[FigureValue]:
    """The figure over `organisations` (already scoped by the caller) for the academic year `year`."""
    if spec.kind == "day":
        period = Period.day(timezone.localdate())
    elif spec.kind == "cohort":
        period = Period.cohort(year)
    else:
        period = Period(years=(year,), on=timezone.localdate(), kind="year")
    value = figures.read(spec.code, organisations, period)
    if value.parts:
        return [FigureValue(p.code, p.label, p.count, p.base) for p in value.parts]
    return [FigureValue(spec.code, spec.title, value.count, value.base)]
