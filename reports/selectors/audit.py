"""audit — внутренний аудит реализации ИОМ (seed 001), docs/spec/reports.md "audit": the cohort's
people, their done activities by group, and how far their routes are implemented."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from core.dates import academic_year_bounds
from core.numbers import percent
from reports.selectors.common import SCHOOL_KINDS, Figure, aggregate_rows
from reports.selectors.implementation import BUCKET_SQL, IMPLEMENTATION_BUCKETS, bucket_q, with_bucket_terms
from routes.models import Route
from schools.models import Organisation, StaffMember

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
            Figure("orgs_implementing", "общеобразовательные организации, реализующие ИОМ", self.organisations_implementing,
                   self.organisations_total),
        ]
        return head + self.groups + self.buckets

    @property
    def low_organisations(self) -> list[str]:
        return sorted({p.organisation for p in self.low})


# The routes an audit of implementation reads: in progress or beyond, or withdrawn since (the
# dismissed). A route still awaiting credit, or refused it, is not being implemented: the audit
# neither counts nor names its teacher (docs/spec/reports.md, audit).
AUDITED_STATUSES = (*Route.IMPLEMENTING_STATUSES, Route.Status.WITHDRAWN)


def cohort_routes(organisations: QuerySet[Organisation], cohort: str) -> QuerySet[Route]:
    start, end = academic_year_bounds(cohort)
    return Route.objects.filter(organisation__in=organisations, approved_on__range=(start, end),
                                status__in=AUDITED_STATUSES)


def audit_people(organisations: QuerySet[Organisation], cohort: str) -> QuerySet:
    """One row per person with a cohort route: `person`, `person_status` and the counts of their
    cohort activities (done, total, g_<group>), grouped once over routes ⟕ activities.

    Counting from the cohort routes (not from every route of the person) keeps the join as small
    as the figure; the bucket and group conditions then read these columns (audit_figures counts
    over the rows in the same query) instead of recounting per condition.
    """
    done = Q(activities__is_done=True)
    annotations = {
        "done": Count("activities", filter=done),
        "total": Count("activities"),
    }
    for code, _label, kinds in AUDIT_GROUPS:
        annotations[f"g_{code}"] = Count("activities", filter=done & Q(activities__kind__code__in=kinds))
    return (cohort_routes(organisations, cohort).order_by()
            .values("person", person_status=F("person__status")).annotate(**annotations))


def audit_figures(organisations: QuerySet[Organisation], cohort: str) -> AuditFigures:
    # One query over the people's rows for every count; a second lists those below 50 % when there are any.
    working = "person_status <> %s"
    aggregates = {"developed": "count(*)", "dismissed": "count(*) FILTER (WHERE person_status = %s)"}
    params = [StaffMember.Status.DISMISSED.value]
    for code, _label, _kinds in AUDIT_GROUPS:
        aggregates[code] = f"count(*) FILTER (WHERE {working} AND g_{code} > 0)"
        params.append(StaffMember.Status.DISMISSED.value)
    for code, _label in IMPLEMENTATION_BUCKETS:
        aggregates[code] = f"count(*) FILTER (WHERE {working} AND {BUCKET_SQL[code]})"
        params.append(StaffMember.Status.DISMISSED.value)
    people = audit_people(organisations, cohort)
    figures = aggregate_rows(people, aggregates, params)
    base = figures["developed"] - figures["dismissed"]

    counts = {}
    if figures["impl_lt50"]:
        below = with_bucket_terms(people).filter(~Q(person_status=StaffMember.Status.DISMISSED) & bucket_q("impl_lt50"))
        counts = {row["person"]: (row["done"], row["total"]) for row in below.values("person", "done", "total")}
    low = [
        LowImplementer(p.short_name, p.organisation.short_name, *counts[p.pk])
        for p in StaffMember.objects.filter(pk__in=list(counts)).select_related("organisation")
        .order_by("organisation__order", "organisation__short_name", "last_name", "first_name")
    ] if counts else []
    # The share of organisations is over the general-education ones only, as the seed counts it:
    # ДОО and УДО are neither in its numerator nor in its base.
    implementing = Exists(cohort_routes(Organisation.objects.all(), cohort).filter(
        organisation=OuterRef("pk"), status__in=Route.IMPLEMENTING_STATUSES))
    orgs = organisations.filter(kind__in=SCHOOL_KINDS).aggregate(
        total=Count("pk"), implementing=Count("pk", filter=Q(implementing)))
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
        organisations_implementing=orgs["implementing"],
        organisations_total=orgs["total"],
        low=low,
    )
