"""Implementation of a route: done ÷ all its activities (docs/spec/reports.md, audit: impl_100 …
impl_lt50), per route for the registry and the school's list, in buckets for the dashboards and the audit."""

from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, QuerySet

from core.numbers import percent
from reports.selectors.common import Figure, aggregate_rows, count_subquery
from routes.models import RoadmapActivity, Route
from routes.selectors import spans_year_q
from schools.models import Organisation

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


# bucket_q in SQL over a row's (done, total), for aggregate_rows.
BUCKET_SQL = {
    "impl_100": "(total > 0 AND done = total)",
    "impl_70": "(done < total AND done * 100 >= total * 70)",
    "impl_50": "(done * 100 < total * 70 AND done * 100 >= total * 50)",
    "impl_lt50": "(done * 100 < total * 50 OR total = 0)",
}


def with_bucket_terms(qs: QuerySet) -> QuerySet:
    return qs.annotate(done100=F("done") * 100, total70=F("total") * 70, total50=F("total") * 50)


def routes_with_progress(routes: QuerySet[Route]) -> QuerySet[Route]:
    """Routes annotated with done / total activities (one subquery each) and progress %."""
    activities = RoadmapActivity.objects.filter(route=OuterRef("pk"))
    return routes.annotate(
        total=count_subquery(activities, "route"),
        done=count_subquery(activities.filter(is_done=True), "route"),
    )


def progress_percent(done: int, total: int) -> Decimal:
    return percent(done, total) if total else Decimal("0.0")


def implementation_buckets(organisations: QuerySet[Organisation], year: str) -> list[Figure]:
    """Routes spanning the year (routes.selectors.spans_year_q) that are being implemented, by done ÷ all activities."""
    # One query: done / total once per route (one grouped join), the buckets counted over those rows.
    routes = (
        Route.objects.filter(spans_year_q(year), organisation__in=organisations,
                             status__in=Route.IMPLEMENTING_STATUSES)
        .order_by().values("pk")
        .annotate(total=Count("activities"), done=Count("activities", filter=Q(activities__is_done=True)))
    )
    aggregates = {"n": "count(*)"}
    aggregates.update({code: f"count(*) FILTER (WHERE {BUCKET_SQL[code]})" for code, _ in IMPLEMENTATION_BUCKETS})
    figures = aggregate_rows(routes, aggregates)
    return [Figure(code, label, figures[code], figures["n"]) for code, label in IMPLEMENTATION_BUCKETS]
