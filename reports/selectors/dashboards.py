"""The dashboards' own figures (school, municipality, region): routes by status, a school's staff
without a route, its routes with their progress, frequent deficits, municipalities side by side.
Table 1, the indicators and the implementation buckets they also show are coverage, indicators
and implementation."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from core.dates import academic_year_bounds, current_academic_year
from core.numbers import percent
from diagnostics.models import Assessment, Deficit
from diagnostics.selectors import deficits_by_competency, frequent_deficits_for_municipality
from reports.selectors.common import count_subquery, staff_base, staff_base_q
from reports.selectors.indicators import approved_in_period_q
from routes.models import Route
from routes.selectors import set_progress, spans_year_q
from schools.models import Municipality, Organisation, StaffMember


def route_status_counts(organisations: QuerySet[Organisation], year: str) -> list[tuple[str, str, int]]:
    counts = dict(
        Route.objects.filter(spans_year_q(year), organisation__in=organisations)
        .values_list("status").annotate(n=Count("pk")).order_by()
    )
    return [(code, label, counts.get(code, 0)) for code, label in Route.Status.choices]


def route_year_share(organisations: QuerySet[Organisation], year: str) -> tuple[int, int]:
    """Staff base with a route spanning academic year `year` (spans_year_q) in any status but withdrawn ÷ staff base."""
    figures = staff_base(organisations).aggregate(staff=Count("pk"), with_route=Count("pk", filter=_has_route_q(year)))
    return figures["with_route"], figures["staff"]


def _has_route_q(year: str) -> Q:
    return Q(Exists(Route.objects.filter(spans_year_q(year), person=OuterRef("pk"))
                    .exclude(status=Route.Status.WITHDRAWN)))


def assessed_share(organisations: QuerySet[Organisation], year: str) -> tuple[int, int]:
    """Staff base with a diagnostic assessment taken in academic year `year` ÷ staff base."""
    start, end = academic_year_bounds(year)
    assessed = Exists(Assessment.objects.filter(person=OuterRef("pk"), taken_on__range=(start, end)))
    figures = staff_base(organisations).aggregate(staff=Count("pk"), assessed=Count("pk", filter=Q(assessed)))
    return figures["assessed"], figures["staff"]


def attested_share(organisations: QuerySet[Organisation], year: str) -> tuple[int, int]:
    """Staff base attested (the date of their attestation) in academic year `year` ÷ staff base."""
    start, end = academic_year_bounds(year)
    figures = staff_base(organisations).aggregate(
        staff=Count("pk"), attested=Count("pk", filter=Q(attested_on__range=(start, end))))
    return figures["attested"], figures["staff"]


def staff_without_route(organisation: Organisation, year: str, limit: int = 200) -> list[StaffMember]:
    """The staff base of a school without a route of the year (the complement of route_year_share)."""
    base = staff_base(Organisation.objects.filter(pk=organisation.pk))
    return list(base.filter(~_has_route_q(year)).order_by("last_name", "first_name")[:limit])


def routes_of_year(organisations: QuerySet[Organisation], year: str) -> int:
    return Route.objects.filter(spans_year_q(year), organisation__in=organisations).count()


def routes_credited_in_year(organisations: QuerySet[Organisation], year: str) -> int:
    start, end = academic_year_bounds(year)
    return Route.objects.filter(organisation__in=organisations, credited_on__range=(start, end)).count()


def school_routes(organisation: Organisation, year: str) -> list[Route]:
    """A school's routes spanning the year (spans_year_q) with their progress (done ÷ all activities, in percent: routes.selectors.set_progress)."""
    return set_progress(
        Route.objects.filter(spans_year_q(year), organisation=organisation).select_related("person")
        .order_by("person__last_name", "person__first_name")
    )


def frequent_deficits(*, municipality: Municipality | None = None, organisation: Organisation | None = None,
                      limit: int = 10) -> list[tuple[str, int]]:
    """The most frequent deficits by competency: (competency, distinct people), most frequent first.

    The diagnostics app's definition (diagnostics.selectors.deficits_by_competency, dismissed
    deficits left out): frequent_deficits_for_municipality for a municipality; for one school
    the same counting over its people. One query.
    """
    if organisation is not None:
        rows = deficits_by_competency(
            Deficit.objects.filter(person__organisation=organisation).exclude(status=Deficit.Status.DISMISSED)
        )[:limit]
    else:
        rows = frequent_deficits_for_municipality(municipality, limit=limit)
    return [(r["competency__name"], r["people"]) for r in rows]


@dataclass
class MunicipalityRow:
    municipality: Municipality
    staff: int
    with_route: int
    routes_year: int
    credited_year: int

    @property
    def share(self) -> Decimal | None:
        return percent(self.with_route, self.staff)


def region_rows(municipalities: QuerySet[Municipality], years: list[str]) -> list[MunicipalityRow]:
    """Municipalities side by side: the regional indicator iom_share (staff base of every organisation, people
    with a route approved in the period: indicators.approved_in_period_q), the last year's routes and credits.

    The grouped form of the registry's iom_share, region_routes_year and region_credited_year (reports/figures.py),
    one query for every municipality; tests/reports/test_figures_consistency.py holds them equal.
    """
    year = years[-1]
    y_start, y_end = academic_year_bounds(year)
    base_in = StaffMember.objects.filter(staff_base_q(), organisation__municipality=OuterRef("pk"))
    with_route = base_in.filter(approved_in_period_q(years))
    routes = Route.objects.filter(organisation__municipality=OuterRef("pk"))
    rows = municipalities.order_by("name").annotate(
        n_staff=count_subquery(base_in, "organisation__municipality"),
        n_with_route=count_subquery(with_route, "organisation__municipality"),
        n_routes=count_subquery(routes.filter(spans_year_q(year)), "organisation__municipality"),
        n_credited=count_subquery(routes.filter(credited_on__range=(y_start, y_end)), "organisation__municipality"),
    )
    return [MunicipalityRow(m, m.n_staff, m.n_with_route, m.n_routes, m.n_credited) for m in rows]


def years_with_data(*, extra=(), count: int = 10) -> list[str]:
    """The academic years a dashboard's period may be chosen from, newest first: the years of any route
    among the last `count`, the current one and `extra` (the years already chosen). One query."""
    start = int(current_academic_year()[:4])
    recent = {f"{y}-{y + 1}" for y in range(start, start - count, -1)}
    used = set(Route.objects.filter(academic_year__in=recent).values_list("academic_year", flat=True).distinct())
    return sorted((used | {current_academic_year()} | set(extra)) & recent, reverse=True)
