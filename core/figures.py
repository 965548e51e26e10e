"""The registry of figures: one number, one definition (docs/figures.md is generated from it).

Every figure a page or a document shows is one `Figure`: a code, a Russian name, its definition in
one sentence (numerator, denominator, period, which organisations and staff count) and the one
function that computes it. `core` knows no domain: each app lists its figures in `<app>/figures.py`
as FIGURES = [Figure(...), ...] (found through core.registry.contributions, like nav.py), pointing at
its own selectors. Pages, documents and the API read a figure by code (`read`) and never count it
themselves, so the same code gives the same value everywhere (tests/reports/test_figures_consistency.py).

A figure is computed over an explicit scope and an explicit period:

- scope: a queryset of organisations already limited by the caller (schools.access), or for the
  figures of a municipal project the project itself (`scope="project"`);
- period: a `Period` — academic years (one or several), a cohort (the year routes were approved in),
  or a day (figures read "on" a date, such as mentoring).

`compute(scope, period)` returns (count, base) or a list of `Part`s (a figure made of parts: routes by
status, the implementation buckets); `read` wraps it in a `Value` that carries its code and period, so
a page renders «85 из 213, 2024-2025, 2025-2026 уч. г.» with a link to the definition (the `figure` tag).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from core.dates import format_date
from core.numbers import format_percent, percent
from core.registry import contributions

UNITS = {"percent": "доля, %", "count": "количество"}
PERIOD_KINDS = {
    "years": "учебные годы, выбранные на странице (по умолчанию — два последних завершенных)",
    "year": "один учебный год, выбранный на странице",
    "cohort": "когорта: учебный год, в котором утверждены ИОМ",
    "day": "на дату (по умолчанию — сегодня)",
    "project": "срок муниципального проекта",
}


@dataclass(frozen=True)
class Period:
    """What a figure is counted over: academic years (`years`), a cohort, a day, or a project's term."""

    years: tuple[str, ...] = ()
    on: dt.date | None = None
    kind: str = "years"
    text: str = ""  # a project's own wording of its term

    @classmethod
    def of_years(cls, years) -> "Period":
        return cls(years=tuple(sorted(years)), kind="years" if len(years) > 1 else "year")

    @classmethod
    def cohort(cls, year: str) -> "Period":
        return cls(years=(year,), kind="cohort")

    @classmethod
    def day(cls, on: dt.date) -> "Period":
        return cls(on=on, kind="day")

    @property
    def label(self) -> str:
        if self.text:
            return self.text
        if self.on is not None and not self.years:
            return f"на {format_date(self.on)}"
        if self.kind == "cohort":
            return f"когорта {self.years[0]} уч. г."
        joined = ", ".join(self.years)
        return f"{joined} уч. г." if self.on is None else f"{joined} уч. г., на {format_date(self.on)}"


@dataclass(frozen=True)
class Part:
    """One part of a figure made of parts (a status, a bucket, an audit group)."""

    code: str
    label: str
    count: int
    base: int | None = None


@dataclass(frozen=True)
class Figure:
    code: str
    name: str
    definition: str  # one sentence: numerator, denominator, period, organisations and staff
    compute: Callable  # compute(scope, period) -> (count, base) | list[Part]
    unit: str = "percent"  # "percent" (count ÷ base) or "count"
    period_kind: str = "years"
    scope: str = "organisations"  # "organisations" (a queryset) or "project"
    differs_from: str = ""  # a figure easily mistaken for this one, and why they differ
    app: str = ""


@dataclass(frozen=True)
class Value:
    """A figure's value over one scope and period: what a page shows, with its base and period."""

    code: str
    name: str
    count: int
    base: int | None
    period: Period
    unit: str = "percent"
    parts: tuple[Part, ...] = field(default=())

    @property
    def percent(self) -> Decimal | None:
        return percent(self.count, self.base) if self.base is not None else None

    @property
    def shown(self) -> str:
        """The number as a page shows it: «39,9 %» or «20»."""
        if self.unit == "percent":
            return f"{format_percent(self.percent)} %"
        return str(self.count)

    @property
    def basis(self) -> str:
        """«85 из 213, 2024-2025, 2025-2026 уч. г.»"""
        if self.base is not None:
            return f"{self.count} из {self.base}, {self.period.label}"
        return self.period.label

    def part(self, code: str) -> Part:
        return next(p for p in self.parts if p.code == code)


class UnknownFigure(KeyError):
    """A code no app registered in its figures.py (the API answers it 404, a page fails loudly)."""


@cache
def _registry() -> dict[str, Figure]:
    found: dict[str, Figure] = {}
    for figure in contributions("figures", "FIGURES"):
        if figure.code in found:
            raise ValueError(f"Figure {figure.code} is registered twice")
        if figure.period_kind not in PERIOD_KINDS or figure.unit not in UNITS:
            raise ValueError(f"Figure {figure.code}: unknown period kind or unit")
        found[figure.code] = figure
    return found


def all_figures() -> list[Figure]:
    return list(_registry().values())


def get(code: str) -> Figure:
    try:
        return _registry()[code]
    except KeyError:
        raise UnknownFigure(code) from None


def read(code: str, scope, period: Period) -> Value:
    """The figure `code` over `scope` (already limited by the caller) and `period`."""
    figure = get(code)
    result = figure.compute(scope, period)
    if isinstance(result, list):
        parts = tuple(result)
        base = next((p.base for p in parts if p.base is not None), None)
        return Value(code, figure.name, sum(p.count for p in parts), base, period, figure.unit, parts)
    count, base = result
    return Value(code, figure.name, count, base, period, figure.unit)


def definitions_table() -> str:
    """docs/figures.md: every figure with its definition, app by app (`manage.py figures_table`)."""
    lines = [
        "# Как считаются показатели",
        "",
        "<!-- Generated by `python manage.py figures_table` from the registry of figures (core/figures.py and",
        "each app's figures.py); tests/reports/test_figures_table.py keeps it equal. Do not edit by hand. -->",
        "",
        "Один показатель — одно определение: каждая цифра портала (дашборды, монитор, реестр, проекты,",
        "отчеты XLSX/PDF/DOCX, API) берется из реестра по коду и везде совпадает. Доли — с одним знаком после",
        "запятой, округление half up; знаменатель и период указаны рядом с каждой цифрой.",
        "",
        "| код | показатель | определение | единица | период |",
        "|---|---|---|---|---|",
    ]
    for f in all_figures():
        definition = f.definition + (f" Не путать: {f.differs_from}" if f.differs_from else "")
        lines.append(f"| `{f.code}` | {f.name} | {definition} | {UNITS[f.unit]} | {PERIOD_KINDS[f.period_kind]} |")
    return "\n".join(lines) + "\n"
