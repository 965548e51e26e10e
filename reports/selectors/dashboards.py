"""The dashboards' own figures (school, municipality, region): routes by status, a school's staff
without a route, its routes with their progress, frequent deficits, municipalities side by side.
Table 1, the indicators and the implementation buckets they also show are coverage, indicators
and implementation."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from core.dates import academic_year_bounds
from core.numbers import percent
from diagnostics.models import Deficit
from diagnostics.selectors import deficits_by_competency, frequent_deficits_for_municipality
from reports.selectors.common import count_subquery, period_bounds, staff_base, staff_base_q
from reports.selectors.implementation import routes_with_progress
from routes.models import RoadmapActivity, Route
from schools.models import Municipality, Organisation, StaffMember
from schools.timezones import local_today


def route_status_counts(organisations: QuerySet[Organisation], year: str) -> list[tuple[str, str, int]]:
    counts = dict(
        Route.objects.filter(organisation__in=organisations, academic_year=year)
        .values_list("status").annotate(n=Count("pk")).order_by()
    )
    return [(code, label, counts.get(code, 0)) for code, label in Route.Status.choices]


@dataclass
class SchoolSummary:
    staff: int
    with_route: int
    without_route: list[StaffMember]
    overdue: int
    year: str

    @property
    def share(self) -> Decimal | None:
        return percent(self.with_route, self.staff)


def school_summary(organisation: Organisation, year: str, today: dt.date | None = None) -> SchoolSummary:
    today = today or local_today(organisation)  # overdue on the school's own date
    base = staff_base(Organisation.objects.filter(pk=organisation.pk))
    has_route = Exists(Route.objects.filter(person=OuterRef("pk"), academic_year=year)
                       .exclude(status=Route.Status.WITHDRAWN))
    figures = base.aggregate(staff=Count("pk"), with_route=Count("pk", filter=Q(has_route)))
    without = list(base.filter(~Q(has_route)).order_by("last_name", "first_name")[:200])
    overdue = RoadmapActivity.objects.filter(
        route__organisation=organisation, route__status=Route.Status.IN_PROGRESS,
        is_done=False, deadline__lt=today,
    ).count()
    return SchoolSummary(figures["staff"], figures["with_route"], without, overdue, year)


def school_routes(organisation: Organisation, year: str) -> QuerySet[Route]:
    return routes_with_progress(
        Route.objects.filter(organisation=organisation, academic_year=year).select_related("person")
    ).order_by("person__last_name", "person__first_name")


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
    """Municipalities side by side: staff base, people with a credited route in the period, this year's routes."""
    start, end = period_bounds(years)
    year = years[-1]
    y_start, y_end = academic_year_bounds(year)
    base_in = StaffMember.objects.filter(staff_base_q(), organisation__municipality=OuterRef("pk"))
    with_route = base_in.filter(Exists(Route.objects.filter(person=OuterRef("pk"), credited_on__range=(start, end))))
    routes = Route.objects.filter(organisation__municipality=OuterRef("pk"))
    rows = municipalities.order_by("name").annotate(
        n_staff=count_subquery(base_in, "organisation__municipality"),
        n_with_route=count_subquery(with_route, "organisation__municipality"),
        n_routes=count_subquery(routes.filter(academic_year=year), "organisation__municipality"),
        n_credited=count_subquery(routes.filter(credited_on__range=(y_start, y_end)), "organisation__municipality"),
    )
    return [MunicipalityRow(m, m.n_staff, m.n_with_route, m.n_routes, m.n_credited) for m in rows]
