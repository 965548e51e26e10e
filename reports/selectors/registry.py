"""registry — реестр ИОМ, docs/spec/reports.md "registry": one row per route with every column the
list and the export show, its orders and its page. The filters of the list are reports.filters.RegistryFilter."""

from django.db import connection
from django.db.models import Case, F, FloatField, OuterRef, QuerySet, StringAgg, Subquery, TextField, Value, When
from django.db.models.functions import Cast, Coalesce

from diagnostics.models import Deficit
from reports.selectors.implementation import routes_with_progress
from routes.models import Route

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
