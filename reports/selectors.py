"""Every figure of docs/spec/reports.md, computed in the database, one definition each.

Dashboards, XLSX, PDF and DOCX call these functions and nothing else, so the browser and the
files never disagree. Functions take an already scoped queryset of organisations (the caller
went through schools.access) and return plain dataclasses.

Counting rules that recur:
- the staff base is `staff_base_q` (working, main position, teacher or deputy; educators count
  as teachers in ДОО and УДО only);
- counts over different relations are never joined together (they would multiply): each is
  a conditional aggregate over one join, or a correlated subquery;
- percentages are core.numbers.percent: one decimal, half up, None when the base is zero.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from core.dates import academic_year_bounds
from core.numbers import percent
from diagnostics.models import Deficit
from diagnostics.selectors import deficits_by_competency, frequent_deficits_for_municipality
from methodics.mentoring.selectors import pairs_active_on
from routes.models import ExpressReview, RoadmapActivity, Route
from schools.models import Municipality, Organisation, PositionCategory, StaffMember

TEACHER = PositionCategory.TEACHER
DEPUTY = PositionCategory.DEPUTY
EDUCATOR = PositionCategory.EDUCATOR
SCHOOL_KINDS = [str(k) for k in Organisation.SCHOOL_KINDS]
EDUCATOR_KINDS = [str(k) for k in Organisation.EDUCATOR_KINDS]


# --------------------------------------------------------------------------- staff base

def teacher_q(person: str = "", kind: str = "organisation__kind") -> Q:
    """Teachers of the staff base: category teacher, or an educator in a ДОО/УДО."""
    return Q(**{f"{person}position_category": TEACHER}) | Q(
        **{f"{person}position_category": EDUCATOR, f"{kind}__in": EDUCATOR_KINDS}
    )


def deputy_q(person: str = "") -> Q:
    return Q(**{f"{person}position_category": DEPUTY})


def staff_base_q(person: str = "", kind: str = "organisation__kind") -> Q:
    """docs/spec/reports.md, "Staff base": working, on the main position, teacher or deputy.

    `person` is the path to the StaffMember ("" on StaffMember itself, "staff__" from an
    Organisation, "person__" from a Route); `kind` the path to the organisation's kind.
    """
    return Q(**{f"{person}status": StaffMember.Status.WORKING, f"{person}is_main_position": True}) & (
        teacher_q(person, kind) | deputy_q(person)
    )


def registered_q(person: str = "") -> Q:
    return Q(**{f"{person}user__isnull": False, f"{person}user__is_active": True})


def staff_base(organisations: QuerySet[Organisation]) -> QuerySet[StaffMember]:
    return StaffMember.objects.filter(staff_base_q(), organisation__in=organisations)


def period_bounds(years: list[str]) -> tuple[dt.date, dt.date]:
    bounds = [academic_year_bounds(y) for y in years]
    return min(b[0] for b in bounds), max(b[1] for b in bounds)


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    """A correlated COUNT(*) subquery of `queryset` per outer row, 0 when there is none."""
    sub = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


# --------------------------------------------------------------------------- coverage (Table 1)

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


def coverage_table(organisations: QuerySet[Organisation], years: list[str]) -> CoverageTable:
    """Table 1 of seed 000 for the given organisations and academic years.

    Two grouped queries — organisations with their staff base (conditional counts over the one
    staff join), and credited routes by organisation — merged by organisation id (a hundred
    rows, not people). Correlated subqueries per organisation were 3× slower here.
    """
    start, end = period_bounds(years)
    base = staff_base_q("staff__", "kind")
    deputies = base & deputy_q("staff__")
    teachers = base & ~deputy_q("staff__")
    credited_in_period = Exists(Route.objects.filter(person=OuterRef("staff__pk"), credited_on__range=(start, end)))
    orgs = list(organisations.order_by("order", "short_name").annotate(
        n_staff=Count("staff", filter=base),
        n_deputies=Count("staff", filter=deputies),
        n_reg_teachers=Count("staff", filter=teachers & registered_q("staff__")),
        n_reg_deputies=Count("staff", filter=deputies & registered_q("staff__")),
        n_with_route=Count("staff", filter=base & Q(credited_in_period)),
    ))
    route_teacher = teacher_q("person__", "organisation__kind")
    counts = {}
    for i, year in enumerate(years):
        y_start, y_end = academic_year_bounds(year)
        in_year = Q(credited_on__range=(y_start, y_end))
        counts[f"c{i}_t"] = Count("pk", filter=in_year & route_teacher)
        counts[f"c{i}_d"] = Count("pk", filter=in_year & deputy_q("person__"))
    credited = {
        r["organisation_id"]: r
        for r in Route.objects.filter(organisation__in=organisations, credited_on__range=(start, end))
        .values("organisation_id").order_by().annotate(**counts)
    }
    empty: dict = {}
    rows = []
    for o in orgs:
        c_row = credited.get(o.pk, empty)
        rows.append(CoverageRow(
            name=o.short_name, organisation=o, staff=o.n_staff, deputies=o.n_deputies,
            registered_teachers=o.n_reg_teachers, registered_deputies=o.n_reg_deputies,
            credited=[(c_row.get(f"c{i}_t", 0), c_row.get(f"c{i}_d", 0)) for i in range(len(years))],
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
        Route.objects.filter(organisation__in=organisations, academic_year=last, status=Route.Status.NOT_CREDITED)
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


# --------------------------------------------------------------------------- audit (seed 001)

AUDIT_GROUPS = [
    ("courses", "прошли курсы повышения квалификации", ["course"]),
    ("events", "участвовали в семинарах, вебинарах, конференциях", ["seminar", "webinar", "conference"]),
    ("attestation", "прошли аттестацию", ["attestation"]),
    ("experience", "представили собственный опыт", ["open_lesson", "master_class", "experience"]),
    ("contests", "участвовали в профессиональных конкурсах, олимпиадах", ["contest", "olympiad"]),
    ("publications", "опубликовали методические материалы", ["publication"]),
    ("mentoring", "работают в рамках наставничества", ["mentoring"]),
    ("expert", "занимаются экспертной деятельностью", ["expert"]),
]
IMPLEMENTATION_BUCKETS = [
    ("impl_100", "реализовали ИОМ на 100 %"),
    ("impl_70", "реализовали ИОМ от 70 % до 100 %"),
    ("impl_50", "реализовали ИОМ от 50 % до 70 %"),
    ("impl_lt50", "реализовали ИОМ менее чем на 50 %"),
]


def bucket_q(bucket: str, done: str = "done", total: str = "total") -> Q:
    """Implementation = done ÷ all activities, in integers (no float at the 70 % edge).

    Annotations `done100` (= done × 100) and `total70`/`total50` must exist beside done/total.
    A route with no activity is implemented at 0 %.
    """
    if bucket == "impl_100":
        return Q(**{f"{total}__gt": 0, done: F(total)})
    if bucket == "impl_70":
        return Q(**{f"{done}__lt": F(total), "done100__gte": F("total70")})
    if bucket == "impl_50":
        return Q(done100__lt=F("total70"), done100__gte=F("total50"))
    return Q(done100__lt=F("total50")) | Q(**{total: 0})


def _with_bucket_terms(qs: QuerySet) -> QuerySet:
    return qs.annotate(done100=F("done") * 100, total70=F("total") * 70, total50=F("total") * 50)


@dataclass
class Figure:
    code: str
    label: str
    count: int
    base: int | None
    names: list[str] = field(default_factory=list)

    @property
    def share(self) -> Decimal | None:
        return percent(self.count, self.base) if self.base is not None else None


@dataclass
class LowImplementer:
    name: str
    organisation: str
    done: int
    total: int

    @property
    def share(self) -> Decimal | None:
        return percent(self.done, self.total) if self.total else Decimal("0.0")


@dataclass
class AuditFigures:
    cohort: str
    developed: int
    dismissed: int
    groups: list[Figure]
    buckets: list[Figure]
    organisations_implementing: int
    organisations_total: int
    low: list[LowImplementer]

    @property
    def base(self) -> int:
        return self.developed - self.dismissed

    @property
    def orgs_share(self) -> Decimal | None:
        return percent(self.organisations_implementing, self.organisations_total)

    def figure(self, code: str) -> Figure:
        return {f.code: f for f in self.groups + self.buckets}[code]

    @property
    def data_rows(self) -> list[Figure]:
        """The `Данные` sheet: developed, dismissed, base, then every share over the base."""
        head = [
            Figure("developed", "разработали ИОМ", self.developed, None),
            Figure("dismissed", "уволены", self.dismissed, None),
            Figure("base", "продолжают работу (база для долей)", self.base, None),
            Figure("orgs_implementing", "организации, реализующие ИОМ", self.organisations_implementing,
                   self.organisations_total),
        ]
        return head + self.groups + self.buckets

    @property
    def low_organisations(self) -> list[str]:
        return sorted({p.organisation for p in self.low})


def cohort_routes(organisations: QuerySet[Organisation], cohort: str) -> QuerySet[Route]:
    start, end = academic_year_bounds(cohort)
    return Route.objects.filter(organisation__in=organisations, approved_on__range=(start, end))


def audit_people(organisations: QuerySet[Organisation], cohort: str) -> QuerySet:
    """One row per person with a cohort route: `person`, `person_status` and the counts of their
    cohort activities (done, total, g_<group>), grouped once over routes ⟕ activities.

    Counting from the cohort routes (not from every route of the person) keeps the join as small
    as the figure; the bucket and group conditions then read these columns (the caller aggregates
    over the rows, which Django wraps as a subquery) instead of recounting per condition.
    """
    done = Q(activities__is_done=True)
    annotations = {
        "done": Count("activities", filter=done),
        "total": Count("activities"),
    }
    for code, _label, kinds in AUDIT_GROUPS:
        annotations[f"g_{code}"] = Count("activities", filter=done & Q(activities__kind__code__in=kinds))
    rows = (cohort_routes(organisations, cohort).order_by()
            .values("person", person_status=F("person__status")).annotate(**annotations))
    return _with_bucket_terms(rows)


def audit_figures(organisations: QuerySet[Organisation], cohort: str) -> AuditFigures:
    people = audit_people(organisations, cohort)
    dismissed = Q(person_status=StaffMember.Status.DISMISSED)
    working = ~dismissed
    aggregates = {
        "developed": Count("person"),
        "dismissed": Count("person", filter=dismissed),
    }
    for code, _label, _kinds in AUDIT_GROUPS:
        aggregates[code] = Count("person", filter=working & Q(**{f"g_{code}__gt": 0}))
    for code, _label in IMPLEMENTATION_BUCKETS:
        aggregates[code] = Count("person", filter=working & bucket_q(code))
    figures = people.aggregate(**aggregates)
    base = figures["developed"] - figures["dismissed"]

    counts = {row["person"]: (row["done"], row["total"])
              for row in people.filter(working & bucket_q("impl_lt50")).values("person", "done", "total")}
    low = [
        LowImplementer(p.short_name, p.organisation.short_name, *counts[p.pk])
        for p in StaffMember.objects.filter(pk__in=list(counts)).select_related("organisation")
        .order_by("organisation__order", "organisation__short_name", "last_name", "first_name")
    ]
    implementing = organisations.filter(Exists(
        cohort_routes(Organisation.objects.all(), cohort).filter(
            organisation=OuterRef("pk"), status__in=Route.IMPLEMENTING_STATUSES
        )
    )).count()
    low_orgs = sorted({p.organisation for p in low})
    return AuditFigures(
        cohort=cohort,
        developed=figures["developed"],
        dismissed=figures["dismissed"],
        groups=[Figure(code, label, figures[code], base) for code, label, _ in AUDIT_GROUPS],
        buckets=[
            Figure(code, label, figures[code], base, names=low_orgs if code == "impl_lt50" else [])
            for code, label in IMPLEMENTATION_BUCKETS
        ],
        organisations_implementing=implementing,
        organisations_total=organisations.count(),
        low=low,
    )


# --------------------------------------------------------------------------- project (seed 002)

@dataclass
class ReviewCriterion:
    """One criterion of the express review (0–2 points) over the project's routes."""

    code: str
    label: str
    points: int  # sum of the scores
    reviews: int  # routes reviewed

    @property
    def average(self) -> Decimal | None:
        if not self.reviews:
            return None
        return (Decimal(self.points) / Decimal(self.reviews)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def share(self) -> Decimal | None:
        """The average as a share of the maximum (2 points), %."""
        return percent(self.points, 2 * self.reviews)


def project_review_summary(routes: QuerySet[Route]) -> list[ReviewCriterion]:
    """Seed 002's express review of the routes: the latest review of each route, summed per criterion.

    One aggregate query; a route reviewed twice (sent back, resubmitted) counts by its latest review.
    `routes` is methodics.projects.selectors.project_routes(project).
    """
    latest = ExpressReview.objects.filter(route=OuterRef("route")).order_by("-created_at", "-pk").values("pk")[:1]
    reviews = ExpressReview.objects.filter(route__in=routes, pk=Subquery(latest))
    sums = {code: Coalesce(Sum(code), Value(0)) for code, _label in ExpressReview.CRITERIA}
    figures = reviews.aggregate(n=Count("pk"), **sums)
    return [ReviewCriterion(code, label, figures[code], figures["n"]) for code, label in ExpressReview.CRITERIA]


# --------------------------------------------------------------------------- indicators (seed 003)

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


def iom_share(organisations: QuerySet[Organisation], years: list[str]) -> Fact:
    """Staff base with a route approved (or beyond) in the period ÷ staff base."""
    start, end = period_bounds(years)
    approved = Route.objects.filter(
        person=OuterRef("pk"), status__in=Route.APPROVED_STATUSES, approved_on__range=(start, end)
    )
    return _base_fact(staff_base(organisations), Q(Exists(approved)))


def registry_courses_share(organisations: QuerySet[Organisation], years: list[str]) -> Fact:
    """Staff base with a done course activity linked to a deficit (in the period) ÷ staff base."""
    start, end = period_bounds(years)
    courses = RoadmapActivity.objects.filter(
        route__person=OuterRef("pk"), kind__code="course", is_done=True, task__deficit__isnull=False,
    ).filter(Q(done_on__range=(start, end)) | Q(done_on__isnull=True, route__academic_year__in=years))
    return _base_fact(staff_base(organisations), Q(Exists(courses)))


def young_staff(organisations: QuerySet[Organisation], today: dt.date | None = None) -> QuerySet[StaffMember]:
    """Staff base under 35 AND in their first three years of work (docs/spec/reports.md, young_supported_share).

    Narrower than methodics.mentoring.selectors.young_specialist_q (under 35 OR under three years), which
    flags people for mentoring; the indicator's denominator is the federal one of the spec.
    """
    today = today or timezone.localdate()
    try:
        born_after = today.replace(year=today.year - 35)
    except ValueError:  # 29 February
        born_after = today.replace(year=today.year - 35, day=28)
    return staff_base(organisations).filter(birth_date__gt=born_after, experience_years__lt=3)


def has_mentor_q(today: dt.date) -> Q:
    """A StaffMember has a mentor on `today`: a methodics.MentoringPair active that day, or StaffMember.mentor.

    Both mean a mentor: schools enter mentoring either as pairs (methodics) or as the mentor
    field of the staff card (schools, staff import), and the indicators stay faithful to data
    entered either way.
    """
    return Q(Exists(pairs_active_on(today).filter(mentee=OuterRef("pk")))) | Q(mentor__isnull=False)


def young_supported_share(organisations: QuerySet[Organisation], today: dt.date | None = None) -> Fact:
    """Young staff (see young_staff) with a mentor on the day (has_mentor_q) or a mentoring activity in a
    roadmap ÷ young staff."""
    today = today or timezone.localdate()
    mentoring = RoadmapActivity.objects.filter(route__person=OuterRef("pk"), kind__code="mentoring")
    return _base_fact(young_staff(organisations, today), has_mentor_q(today) | Q(Exists(mentoring)))


def mentoring_schools_share(organisations: QuerySet[Organisation], today: dt.date | None = None) -> Fact:
    """Schools (СОШ, ООШ, Лицей, Гимназия) with at least one mentoring pair active on the day ÷ schools.

    A pair is a methodics.MentoringPair active that day, or a working staff member whose card
    names a mentor (the same two sources as has_mentor_q).
    """
    today = today or timezone.localdate()
    pairs = pairs_active_on(today).filter(organisation=OuterRef("pk"))
    cards = StaffMember.objects.filter(
        organisation=OuterRef("pk"), status=StaffMember.Status.WORKING, mentor__isnull=False
    )
    schools = organisations.filter(kind__in=SCHOOL_KINDS)
    figures = schools.aggregate(whole=Count("pk"), part=Count("pk", filter=Q(Exists(pairs)) | Q(Exists(cards))))
    return Fact(figures["part"], figures["whole"])


def indicator_fact(computation: str, organisations: QuerySet[Organisation], years: list[str],
                   today: dt.date | None = None) -> Fact:
    """The fact of a built-in indicator; the mentoring ones are read on `today` (default: today)."""
    if computation == "iom_share":
        return iom_share(organisations, years)
    if computation == "registry_courses_share":
        return registry_courses_share(organisations, years)
    if computation == "young_supported_share":
        return young_supported_share(organisations, today)
    if computation == "mentoring_schools_share":
        return mentoring_schools_share(organisations, today)
    raise ValueError(f"Неизвестный расчет показателя: {computation}")


@dataclass
class IndicatorRow:
    code: str
    name: str
    level: str
    target: Decimal
    unit: str
    period: str
    fact: Fact

    @property
    def behind(self) -> bool:
        return self.fact.value is None or self.fact.value < self.target


def indicator_rows(organisations: QuerySet[Organisation], years: list[str]) -> list[IndicatorRow]:
    from reports.models import Indicator

    return [
        IndicatorRow(i.code, i.name, i.get_level_display(), i.target, i.unit, i.period,
                     indicator_fact(i.computation, organisations, years))
        for i in Indicator.objects.filter(is_active=True)
    ]


def indicator_target(code: str) -> Decimal | None:
    from reports.models import Indicator

    return Indicator.objects.filter(computation=code).values_list("target", flat=True).first()


# --------------------------------------------------------------------------- dashboards

def route_status_counts(organisations: QuerySet[Organisation], year: str) -> list[tuple[str, str, int]]:
    counts = dict(
        Route.objects.filter(organisation__in=organisations, academic_year=year)
        .values_list("status").annotate(n=Count("pk")).order_by()
    )
    return [(code, label, counts.get(code, 0)) for code, label in Route.Status.choices]


def routes_with_progress(routes: QuerySet[Route]) -> QuerySet[Route]:
    """Routes annotated with done / total activities (one subquery each) and progress %."""
    activities = RoadmapActivity.objects.filter(route=OuterRef("pk"))
    return routes.annotate(
        total=_count(activities, "route"),
        done=_count(activities.filter(is_done=True), "route"),
    )


def implementation_buckets(organisations: QuerySet[Organisation], year: str) -> list[Figure]:
    """Routes of the year that are being implemented, by done ÷ all activities."""
    # done / total once per route (one grouped join), the buckets aggregated over those rows.
    routes = _with_bucket_terms(
        Route.objects.filter(organisation__in=organisations, academic_year=year,
                             status__in=Route.IMPLEMENTING_STATUSES)
        .order_by().values("pk")
        .annotate(total=Count("activities"), done=Count("activities", filter=Q(activities__is_done=True)))
    )
    aggregates = {"n": Count("pk")}
    aggregates.update({code: Count("pk", filter=bucket_q(code)) for code, _ in IMPLEMENTATION_BUCKETS})
    figures = routes.aggregate(**aggregates)
    return [Figure(code, label, figures[code], figures["n"]) for code, label in IMPLEMENTATION_BUCKETS]


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
    today = today or timezone.localdate()
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
        n_staff=_count(base_in, "organisation__municipality"),
        n_with_route=_count(with_route, "organisation__municipality"),
        n_routes=_count(routes.filter(academic_year=year), "organisation__municipality"),
        n_credited=_count(routes.filter(credited_on__range=(y_start, y_end)), "organisation__municipality"),
    )
    return [MunicipalityRow(m, m.n_staff, m.n_with_route, m.n_routes, m.n_credited) for m in rows]


# --------------------------------------------------------------------------- registry

REGISTRY_SORTS = {
    "municipality": ("organisation__municipality__name", "organisation__short_name", "person__last_name"),
    "organisation": ("organisation__short_name", "person__last_name"),
    "person": ("person__last_name", "person__first_name", "person__middle_name"),
    "position": ("person__position", "person__last_name"),
    "year": ("academic_year", "person__last_name"),
    "status": ("status", "person__last_name"),
    "approved": ("approved_on", "person__last_name"),
    "credited": ("credited_on", "person__last_name"),
    "progress": ("progress", "person__last_name"),
    "deficits": ("deficit_names", "person__last_name"),
    "outcome": ("outcome", "person__last_name"),
}


def registry_queryset(routes: QuerySet[Route]) -> QuerySet[Route]:
    """One row per route with everything the registry shows, in one query (no per-row lookups)."""
    # SQLite cannot order inside an aggregate; PostgreSQL lists the names alphabetically.
    ordering = {"order_by": "competency__name"} if connection.features.supports_aggregate_order_by_clause else {}
    names = (
        Deficit.objects.filter(routes=OuterRef("pk")).order_by().values("routes")
        .annotate(names=StringAgg("competency__name", delimiter=Value("; "), **ordering))
        .values("names")
    )
    return routes_with_progress(routes).select_related("organisation__municipality", "person").annotate(
        deficit_names=Coalesce(Subquery(names, output_field=TextField()), Value(""), output_field=TextField()),
        progress=Case(
            When(total=0, then=Value(0.0)),
            default=Cast(F("done"), FloatField()) * 100 / F("total"),
            output_field=FloatField(),
        ),
    )


def registry_filter(routes: QuerySet[Route], *, municipality=None, organisation=None, year: str = "",
                    status: str = "", category: str = "", progress_min=None, progress_max=None,
                    outcome: str = "") -> QuerySet[Route]:
    """Apply the registry's filters; the progress range compares done × 100 with total × bound exactly."""
    if municipality is not None:
        routes = routes.filter(organisation__municipality=municipality)
    if organisation is not None:
        routes = routes.filter(organisation=organisation)
    if year:
        routes = routes.filter(academic_year=year)
    if status:
        routes = routes.filter(status=status)
    if category:
        routes = routes.filter(person__position_category=category)
    if outcome == "none":
        routes = routes.filter(outcome="")
    elif outcome:
        routes = routes.filter(outcome=outcome)
    if progress_min is not None or progress_max is not None:
        routes = routes.annotate(done100=F("done") * 100)
        if progress_min is not None:
            routes = routes.filter(done100__gte=F("total") * int(progress_min))
        if progress_max is not None:
            routes = routes.filter(done100__lte=F("total") * int(progress_max))
    return routes


def registry_sorted(routes: QuerySet[Route], sort: str) -> QuerySet[Route]:
    key = sort.lstrip("-")
    fields = REGISTRY_SORTS.get(key, REGISTRY_SORTS["municipality"])
    if sort.startswith("-"):
        return routes.order_by(*(f"-{fields[0]}",), *fields[1:], "pk")
    return routes.order_by(*fields, "pk")


def registry_page(rows: QuerySet[Route], number, per_page: int = 50):
    """A Paginator page of registry rows: the filter and the order run over narrow id rows (the
    progress and deficit columns are computed for the whole scope only when the order or the
    filter needs them), then the page's routes get every registry column, in that order."""
    from django.core.paginator import Paginator

    page = Paginator(rows.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    found = registry_queryset(Route.objects.filter(pk__in=ids)).in_bulk()
    page.object_list = [found[pk] for pk in ids]
    return page


def progress_percent(done: int, total: int) -> Decimal:
    return percent(done, total) if total else Decimal("0.0")


def organisations_without_routes(organisations: QuerySet[Organisation], years: list[str]) -> list[str]:
    """Organisations with no route of the period at all (seed 000: ДОО and УДО not yet involved)."""
    routes = Route.objects.filter(organisation=OuterRef("pk"), academic_year__in=years)
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
