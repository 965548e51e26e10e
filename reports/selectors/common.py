"""The common definitions of docs/spec/reports.md, which every report's figures are counted with.

- the staff base is `staff_base_q` (working, main position, teacher or deputy; educators count
  as teachers in ДОО and УДО only), registered people `registered_q`;
- a period of academic years is `period_bounds`;
- counts over different relations are never joined together (they would multiply): each is
  a conditional aggregate over one join, or a correlated subquery (`count_subquery`);
- a percentage's denominator is named next to it (`Figure.base`); percentages are
  core.numbers.percent: one decimal, half up, None when the base is zero.

The figures themselves are one module per report: coverage (Table 1, seed 000), audit (seed 001),
project (seed 002), indicators (seed 003), registry; implementation (done ÷ all activities) and
dashboards are the figures the dashboards show beside them. Every function takes an already
scoped queryset (the caller went through schools.access) and returns plain dataclasses, so the
dashboards, XLSX, PDF and DOCX never disagree.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections
from django.db.models import Count, IntegerField, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from core.dates import academic_year_bounds
from core.numbers import percent
from schools.models import Organisation, PositionCategory, StaffMember

TEACHER = PositionCategory.TEACHER
DEPUTY = PositionCategory.DEPUTY
EDUCATOR = PositionCategory.EDUCATOR
SCHOOL_KINDS = [str(k) for k in Organisation.SCHOOL_KINDS]
EDUCATOR_KINDS = [str(k) for k in Organisation.EDUCATOR_KINDS]


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


def count_subquery(queryset: QuerySet, group_by: str) -> Coalesce:
    """A correlated COUNT(*) subquery of `queryset` per outer row, 0 when there is none."""
    sub = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def aggregate_rows(rows: QuerySet, aggregates: dict[str, str], params: list | None = None) -> dict:
    """Aggregates over the rows of a grouped queryset in one query, the shape written by hand:
    `SELECT count(*) FILTER (WHERE …) AS a, … FROM (<rows>) AS t`.

    `rows` is the ORM's (scoped, grouped) queryset; `aggregates` maps a name to an SQL aggregate over its
    column aliases — constants of this package, never user input; values go in `params`, in the order the
    aggregates name them. Django's own .aggregate() over annotated aggregates builds the same query but
    rewrites its whole expression tree on every call, which cost more than the query itself at a
    municipality's size (benchmarks/selectors_bench.py).
    """
    inner, inner_params = rows.query.sql_with_params()
    columns = ", ".join(f"{sql} AS {name}" for name, sql in aggregates.items())
    with connections[rows.db].cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM ({inner}) AS t", [*(params or []), *inner_params])  # noqa: S608
        row = cursor.fetchone()
    return dict(zip(aggregates, row, strict=True))


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
