"""coverage — Таблица 1 (seed 000), docs/spec/reports.md "coverage": routes credited by school over
academic years, the interpretation's lists, and the methodist's texts of the analytical report."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from core.dates import academic_year_bounds
from core.numbers import percent
from reports.selectors.common import (
    DEPUTY,
    EDUCATOR,
    EDUCATOR_KINDS,
    SCHOOL_KINDS,
    TEACHER,
    deputy_q,
    period_bounds,
    registered_q,
    staff_base_q,
)
from routes.models import Route
from routes.selectors import spans_year_q
from schools.models import Municipality, Organisation, StaffMember


def pair(t: int, d: int, total: bool = False) -> str:
    """Seed 000's "10+1" cells: teachers + deputies ("6" when no deputy; "84+13=97" in the totals row)."""
    if total:
        return f"{t}+{d}={t + d}"
    return f"{t}+{d}" if d else f"{t}"


@dataclass
class CoverageRow:
    name: str
    staff: int
    deputies: int
    registered_teachers: int
    registered_deputies: int
    credited: list[tuple[int, int]]  # per academic year: (teachers, deputies)
    with_route: int  # distinct people of the staff base with a route credited in the period
    organisation: Organisation | None = None

    @property
    def period_teachers(self) -> int:
        return sum(t for t, _ in self.credited)

    @property
    def period_deputies(self) -> int:
        return sum(d for _, d in self.credited)

    @property
    def registered(self) -> int:
        return self.registered_teachers + self.registered_deputies

    @property
    def share(self) -> Decimal | None:
        return percent(self.with_route, self.staff)

    @property
    def last_year_total(self) -> int:
        return sum(self.credited[-1]) if self.credited else 0

    @property
    def is_total(self) -> bool:
        return self.organisation is None

    @property
    def registered_label(self) -> str:
        return pair(self.registered_teachers, self.registered_deputies, self.is_total)

    @property
    def credited_labels(self) -> list[str]:
        return [pair(t, d, self.is_total) for t, d in self.credited]

    @property
    def period_label(self) -> str:
        return pair(self.period_teachers, self.period_deputies, self.is_total)


@dataclass
class NotCredited:
    organisation: str
    count: int


@dataclass
class CoverageTable:
    years: list[str]
    rows: list[CoverageRow]
    total: CoverageRow
    not_credited_last_year: list[NotCredited] = field(default_factory=list)
    deputies_without_route: list[NotCredited] = field(default_factory=list)

    @property
    def last_year(self) -> str:
        return self.years[-1]

    @property
    def top_schools(self) -> list[CoverageRow]:
        ranked = [r for r in self.rows if r.share is not None and r.with_route]
        return sorted(ranked, key=lambda r: (-r.share, r.name))[:3]

    @property
    def schools_without_teacher_routes_last_year(self) -> list[CoverageRow]:
        """Seed 000, conclusion 3: no teacher's route credited in the last year."""
        return [r for r in self.rows if r.credited and r.credited[-1][0] == 0]

    @property
    def schools_with_one_teacher_route_last_year(self) -> list[CoverageRow]:
        return [r for r in self.rows if r.credited and r.credited[-1][0] == 1]

    @property
    def not_credited_total(self) -> int:
        return sum(n.count for n in self.not_credited_last_year)

    @property
    def deputies_without_route_total(self) -> int:
        return sum(n.count for n in self.deputies_without_route)


def coverage_share(organisations: QuerySet[Organisation], years: list[str]) -> tuple[int, int]:
    """Table 1's «Доля с ИОМ» over the schools among `organisations`: (people of the staff base with a route
    credited in the period, staff base). Equal to coverage_table(...).total (with_route, staff)."""
    start, end = period_bounds(years)
    credited = Exists(Route.objects.filter(person=OuterRef("pk"), credited_on__range=(start, end)))
    figures = StaffMember.objects.filter(staff_base_q(), organisation__in=organisations.filter(kind__in=SCHOOL_KINDS)) \
        .aggregate(whole=Count("pk"), part=Count("pk", filter=Q(credited)))
    return figures["part"], figures["whole"]


def _table_query(organisations: QuerySet[Organisation], years: list[str]) -> tuple[str, list]:
    """Table 1's rows in one query, as a person writes it: the organisations, LEFT JOINed with their staff
    base's conditional counts (one grouped join of staff) and their credited routes' counts by year (one
    grouped join of routes) — two relations never joined to each other, so nothing multiplies.

    The conditions are staff_base_q, teacher_q, deputy_q and registered_q spelled in SQL (the bench and
    tests/reports/test_figures_consistency.py hold them to the same numbers); the scope is the caller's
    queryset, compiled by the ORM.
    """
    scope, params = organisations.order_by().values("pk").query.sql_with_params()
    start, end = period_bounds(years)
    edu = f"so.kind IN ({', '.join(['%s'] * len(EDUCATOR_KINDS))})"  # portable: SQLite runs the tests
    teacher = f"(s.position_category = %s OR (s.position_category = %s AND {edu}))"
    base = f"(s.status = %s AND s.is_main_position AND ({teacher} OR s.position_category = %s))"
    base_params = [StaffMember.Status.WORKING.value, TEACHER.value, EDUCATOR.value, *EDUCATOR_KINDS, DEPUTY.value]
    deputy = "s.position_category = %s"
    registered = "u.is_active"  # the LEFT JOIN of auth_user: NULL (not counted) without an account
    staff = {
        "n_staff": (base, base_params),
        "n_deputies": (f"{base} AND {deputy}", [*base_params, DEPUTY.value]),
        "n_reg_teachers": (f"{base} AND s.position_category <> %s AND {registered}", [*base_params, DEPUTY.value]),
        "n_reg_deputies": (f"{base} AND {deputy} AND {registered}", [*base_params, DEPUTY.value]),
        "n_with_route": (f"{base} AND EXISTS (SELECT 1 FROM routes_route rc WHERE rc.person_id = s.id "  # noqa: S608
                         "AND rc.credited_on BETWEEN %s AND %s)", [*base_params, start, end]),
    }
    credited = {}
    route_teacher = teacher.replace("so.kind", "ro.kind")  # teacher_q("person__", "organisation__kind")
    for i, year in enumerate(years):
        y_start, y_end = academic_year_bounds(year)
        credited[f"c{i}_t"] = (f"r.credited_on BETWEEN %s AND %s AND {route_teacher}",
                               [y_start, y_end, TEACHER.value, EDUCATOR.value, *EDUCATOR_KINDS])
        credited[f"c{i}_d"] = (f"r.credited_on BETWEEN %s AND %s AND {deputy}", [y_start, y_end, DEPUTY.value])
    columns = []
    for name in [*staff, *credited]:
        alias = "st" if name in staff else "cr"
        columns.append(f"coalesce({alias}.{name}, 0) AS {name}")
    query_params = []
    staff_sql = ", ".join(f"count(*) FILTER (WHERE {cond}) AS {name}" for name, (cond, _p) in staff.items())
    credited_sql = ", ".join(f"count(*) FILTER (WHERE {cond}) AS {name}" for name, (cond, _p) in credited.items())
    query_params += params
    for _cond, p in staff.values():
        query_params += p
    for _cond, p in credited.values():
        query_params += p
    query_params += [start, end]
    sql = f"""
        WITH o(id) AS ({scope})
        SELECT org.*, {", ".join(columns)}
        FROM schools_organisation org JOIN o ON o.id = org.id
        LEFT JOIN (SELECT s.organisation_id AS oid, {staff_sql}
                   FROM schools_staffmember s JOIN o ON o.id = s.organisation_id
                   JOIN schools_organisation so ON so.id = s.organisation_id
                   LEFT JOIN auth_user u ON u.id = s.user_id
                   GROUP BY s.organisation_id) st ON st.oid = org.id
        LEFT JOIN (SELECT r.organisation_id AS oid, {credited_sql}
                   FROM routes_route r JOIN o ON o.id = r.organisation_id
                   JOIN schools_organisation ro ON ro.id = r.organisation_id
                   JOIN schools_staffmember s ON s.id = r.person_id
                   WHERE r.credited_on BETWEEN %s AND %s
                   GROUP BY r.organisation_id) cr ON cr.oid = org.id
        ORDER BY org."order", org.short_name"""  # noqa: S608  (constant fragments; values are parameters)
    return sql, query_params


def coverage_table(organisations: QuerySet[Organisation], years: list[str]) -> CoverageTable:
    """Table 1 of seed 000 for the given organisations and academic years.

    The rows are one query (_table_query), the two lists one grouped query each, as the hand-written
    SQL of benchmarks/selectors_bench.py. Correlated subqueries per organisation were 3× slower here,
    and the ORM's annotations over the reverse relations cost more to build than to run.
    """
    orgs = list(Organisation.objects.raw(*_table_query(organisations, years)))
    rows = []
    for o in orgs:
        rows.append(CoverageRow(
            name=o.short_name, organisation=o, staff=o.n_staff, deputies=o.n_deputies,
            registered_teachers=o.n_reg_teachers, registered_deputies=o.n_reg_deputies,
            credited=[(getattr(o, f"c{i}_t"), getattr(o, f"c{i}_d")) for i in range(len(years))],
            with_route=o.n_with_route,
        ))
    total = CoverageRow(
        name="Итого",
        staff=sum(r.staff for r in rows),
        deputies=sum(r.deputies for r in rows),
        registered_teachers=sum(r.registered_teachers for r in rows),
        registered_deputies=sum(r.registered_deputies for r in rows),
        credited=[(sum(r.credited[i][0] for r in rows), sum(r.credited[i][1] for r in rows)) for i in range(len(years))],
        with_route=sum(r.with_route for r in rows),
    )
    last = years[-1]
    not_credited = (
        Route.objects.filter(spans_year_q(last), organisation__in=organisations, status=Route.Status.NOT_CREDITED)
        .values("organisation__short_name").annotate(n=Count("pk")).order_by("-n", "organisation__short_name")
    )
    without_route = (
        StaffMember.objects.filter(staff_base_q() & deputy_q() & registered_q(), organisation__in=organisations)
        .filter(~Exists(Route.objects.filter(person=OuterRef("pk")).exclude(status=Route.Status.WITHDRAWN)))
        .values("organisation__short_name").annotate(n=Count("pk")).order_by("-n", "organisation__short_name")
    )
    return CoverageTable(
        years=list(years), rows=rows, total=total,
        not_credited_last_year=[NotCredited(r["organisation__short_name"], r["n"]) for r in not_credited],
        deputies_without_route=[NotCredited(r["organisation__short_name"], r["n"]) for r in without_route],
    )


def organisations_without_routes(organisations: QuerySet[Organisation], years: list[str]) -> list[str]:
    """Organisations with no route of the period at all (seed 000: ДОО and УДО not yet involved)."""
    routes = Route.objects.filter(spans_year_q(*years), organisation=OuterRef("pk"))
    return list(organisations.filter(~Exists(routes)).order_by("order", "short_name").values_list("short_name", flat=True))


def report_text_get(municipality: Municipality, year: str):
    """The methodist's texts of the analytical report for the year, or an unsaved one prefilled from seed 000."""
    from reports.models import MunicipalReportText
    from reports.texts import DEFAULT_ACTIONS, DEFAULT_TASKS

    text = MunicipalReportText.objects.filter(municipality=municipality, academic_year=year).first()
    if text is None:
        text = MunicipalReportText(
            municipality=municipality, academic_year=year, tasks=DEFAULT_TASKS, actions=DEFAULT_ACTIONS,
            signature=municipality.methodical_centre,
        )
    return text
