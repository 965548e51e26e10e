"""The figures /api/v1/figures/ serves, until the registry of figures exists: a code → a selector.

A later issue builds the registry of figures (every figure of docs/spec/reports.md by code and
scope). Until then this table names the selectors of today's figures by dotted path, resolved when
a figure is read: the selectors live in the `reports/selectors/` package; a move changes only the
strings here (tests/api/test_figures.py resolves every one). When the registry lands, `figure_list`
and `figure_read` ask it instead, and FIGURES goes; the endpoints and their schema stay.

Each selector takes a queryset of organisations already scoped by the caller (docs/design.md,
"Figures") and a period:

- period "year": `selector(organisations, year)`, or `selector(organisations, [year])` where it
  counts over several academic years (`years=True`);
- period "today": `selector(organisations)`, on today's date.

What it returns is read by its shape (`value_rows`): a fact (`numerator`, `denominator`), a list of
figures (`code`, `label`, `count`, `base`), a list of (code, label, count) tuples, or an object
whose `data_rows` is such a list (the audit).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.module_loading import import_string

from core.numbers import percent


@dataclass(frozen=True)
class FigureSpec:
    code: str
    title: str
    description: str
    selector: str  # dotted path of the function
    period: str = "year"  # "year" or "today"
    years: bool = False  # the selector takes a list of academic years


FIGURES = [
    FigureSpec("iom_share", "Доля педагогов с ИОМ",
               "Сотрудники базы с ИОМ, утвержденным (или дальше) в учебном году ÷ база сотрудников.",
               "reports.selectors.indicators.iom_share", years=True),
    FigureSpec("registry_courses_share", "Доля педагогов, прошедших курсы по дефицитам",
               "Сотрудники базы с выполненным курсом, связанным с дефицитом, ÷ база сотрудников.",
               "reports.selectors.indicators.registry_courses_share", years=True),
    FigureSpec("young_supported_share", "Доля молодых педагогов с наставником",
               "Молодые педагоги (до 35 лет и стаж до 3 лет) с наставником или наставничеством в ИОМ ÷ молодые.",
               "reports.selectors.indicators.young_supported_share", period="today"),
    FigureSpec("mentoring_schools_share", "Доля школ с наставническими парами",
               "Школы хотя бы с одной действующей парой наставничества ÷ школы.",
               "reports.selectors.indicators.mentoring_schools_share", period="today"),
    FigureSpec("route_statuses", "ИОМ по статусам",
               "ИОМ учебного года по статусам (count; base не задан).",
               "reports.selectors.dashboards.route_status_counts"),
    FigureSpec("implementation", "Выполнение ИОМ",
               "Реализуемые ИОМ учебного года по доле выполненных мероприятий: 100 %, 70–99 %, 50–69 %, меньше 50 %.",
               "reports.selectors.implementation.implementation_buckets"),
    FigureSpec("audit", "Внутренний аудит реализации ИОМ",
               "Показатели аудита (seed 001) по ИОМ, утвержденным в учебном году (когорта): разработали, уволены, "
               "база, группы мероприятий, выполнение.",
               "reports.selectors.audit.audit_figures"),
]


@dataclass(frozen=True)
class FigureValue:
    code: str
    label: str
    count: int
    base: int | None

    @property
    def percent(self) -> Decimal | None:
        return percent(self.count, self.base) if self.base is not None else None


def figure_list() -> list[FigureSpec]:
    return list(FIGURES)


def figure_get(code: str) -> FigureSpec | None:
    return next((spec for spec in FIGURES if spec.code == code), None)


def figure_read(spec: FigureSpec, organisations, year: str) -> list[FigureValue]:
    """The figure over `organisations` (already scoped by the caller) for the academic year `year`."""
    selector = import_string(spec.selector)
    if spec.period == "today":
        result = selector(organisations)
    else:
        result = selector(organisations, [year] if spec.years else year)
    return value_rows(spec, result)


def value_rows(spec: FigureSpec, result) -> list[FigureValue]:
    if hasattr(result, "data_rows"):
        result = result.data_rows
    if hasattr(result, "numerator") and hasattr(result, "denominator"):
        return [FigureValue(spec.code, spec.title, result.numerator, result.denominator)]
    rows = []
    for item in result:
        if isinstance(item, tuple):
            code, label, count = item
            rows.append(FigureValue(str(code), str(label), count, None))
        else:
            rows.append(FigureValue(item.code, str(item.label), item.count, item.base))
    return rows
