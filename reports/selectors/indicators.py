"""indicators — показатели: план и факт (seed 003), docs/spec/reports.md "indicators": the fact of
each built-in computation, and the indicators with their targets."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from core.numbers import percent
from methodics.mentoring.selectors import has_mentor_q, pairs_active_on
from reports.selectors.common import SCHOOL_KINDS, period_bounds, staff_base
from routes.models import RoadmapActivity, Route
from routes.selectors import spans_year_q
from schools.models import Organisation, StaffMember
from schools.selectors import young_specialist_q


@dataclass
class Fact:
    numerator: int
    denominator: int

    @property
    def value(self) -> Decimal | None:
        return percent(self.numerator, self.denominator)


def _base_fact(base: QuerySet[StaffMember], condition) -> Fact:
    figures = base.aggregate(whole=Count("pk"), part=Count("pk", filter=condition))
    return Fact(figures["part"], figures["whole"])


def approved_in_period_q(years: list[str], person: str = "pk") -> Q:
    """A StaffMember (OuterRef(`person`)) has a route approved (or beyond) with its approval date in the period:
    the numerator of iom_share, on the indicators and on the region dashboard alike."""
    start, end = period_bounds(years)
    approved = Route.objects.filter(
        person=OuterRef(person), status__in=Route.APPROVED_STATUSES, approved_on__range=(start, end)
    )
    return Q(Exists(approved))


def iom_share(organisations: QuerySet[Organisation], years: list[str]) -> Fact:
    """Staff base with a route approved (or beyond) in the period ÷ staff base (every organisation in scope)."""
    return _base_fact(staff_base(organisations), approved_in_period_q(years))


def registry_courses_share(organisations: QuerySet[Organisation], years: list[str]) -> Fact:
    """Staff base with a done course activity linked to a deficit (in the period) ÷ staff base."""
    start, end = period_bounds(years)
    courses = RoadmapActivity.objects.filter(
        route__person=OuterRef("pk"), kind__code="course", is_done=True, task__deficit__isnull=False,
    ).filter(Q(done_on__range=(start, end)) | Q(spans_year_q(*years, prefix="route__"), done_on__isnull=True))
    return _base_fact(staff_base(organisations), Q(Exists(courses)))


def young_staff(organisations: QuerySet[Organisation], today: dt.date | None = None) -> QuerySet[StaffMember]:
    """Staff base who are young specialists on the day: under 35 AND in their first three years of work
    (docs/spec/reports.md, young_supported_share), by the one rule of schools.selectors.young_specialist_q."""
    return staff_base(organisations).filter(young_specialist_q(today or timezone.localdate()))


def young_supported_share(organisations: QuerySet[Organisation], today: dt.date | None = None) -> Fact:
    """Young staff (see young_staff) who are mentees of a pair active on the day (methodics.MentoringPair,
    the one record of mentoring) or have a mentoring activity in a roadmap ÷ young staff."""
    today = today or timezone.localdate()
    mentoring = RoadmapActivity.objects.filter(route__person=OuterRef("pk"), kind__code="mentoring")
    return _base_fact(young_staff(organisations, today), has_mentor_q(today) | Q(Exists(mentoring)))


def mentoring_schools_share(organisations: QuerySet[Organisation], today: dt.date | None = None) -> Fact:
    """Schools (СОШ, ООШ, Лицей, Гимназия) with at least one mentoring pair active on the day ÷ schools."""
    today = today or timezone.localdate()
    pairs = pairs_active_on(today).filter(organisation=OuterRef("pk"))
    schools = organisations.filter(kind__in=SCHOOL_KINDS)
    figures = schools.aggregate(whole=Count("pk"), part=Count("pk", filter=Q(Exists(pairs))))
    return Fact(figures["part"], figures["whole"])


def indicator_fact(computation: str, organisations: QuerySet[Organisation], years: list[str],
                   today: dt.date | None = None) -> Fact:
    """The fact of a built-in indicator, read from the registry of figures (reports/figures.py, the same codes);
    the mentoring ones are read on `today` (default: today)."""
    from core import figures

    try:
        figure = figures.get(computation)
    except figures.UnknownFigure:
        raise ValueError(f"Неизвестный расчет показателя: {computation}") from None
    value = figures.read(computation, organisations, _period_of(figure, years, today))
    return Fact(value.count, value.base)


def _period_of(figure, years: list[str], today: dt.date | None):
    from core.figures import Period

    if figure.period_kind == "day":
        return Period.day(today or timezone.localdate())
    return Period.of_years(years)


@dataclass
class IndicatorRow:
    code: str
    name: str
    level: str
    target: Decimal
    unit: str
    period: str
    fact: Fact
    computation: str = ""
    period_label: str = ""  # what the fact is counted over: the years chosen, or the day

    @property
    def behind(self) -> bool:
        return self.fact.value is None or self.fact.value < self.target


def indicator_rows(organisations: QuerySet[Organisation], years: list[str],
                   today: dt.date | None = None) -> list[IndicatorRow]:
    """Every active indicator with its fact over `years` (the mentoring ones on `today`), as the dashboards,
    the indicators report and the analytical report show it."""
    from core import figures
    from reports.models import Indicator

    rows = []
    for i in Indicator.objects.filter(is_active=True):
        fact = indicator_fact(i.computation, organisations, years, today)
        label = _period_of(figures.get(i.computation), years, today).label
        rows.append(IndicatorRow(i.code, i.name, i.get_level_display(), i.target, i.unit, i.period, fact,
                                 i.computation, label))
    return rows


def indicator_values(organisations: QuerySet[Organisation], period, today: dt.date | None = None) -> list[IndicatorRow]:
    """indicator_rows over a core.figures.Period (the dashboard's period), each row also as a registry Value."""
    from core import figures
    from core.figures import Value

    rows = indicator_rows(organisations, list(period.years), today)
    for r in rows:
        kind_period = _period_of(figures.get(r.computation), list(period.years), today)
        r.value = Value(r.computation, r.name, r.fact.numerator, r.fact.denominator, kind_period)
    return rows


def indicator_target(code: str) -> Decimal | None:
    from reports.models import Indicator

    return Indicator.objects.filter(computation=code).values_list("target", flat=True).first()
