"""Reads of the catalog of resources: everyone signed in reads it (routes/catalog/services.py says who keeps it)."""

from django.db.models import QuerySet
from django.http import Http404

from routes.models import CatalogResource


def resource_list(*, include_inactive: bool = False) -> QuerySet[CatalogResource]:
    """The catalog, registry courses first (routes.catalog.filters.CatalogFilter narrows it on the list page)."""
    qs = CatalogResource.objects.select_related("activity_kind", "municipality").prefetch_related("competencies")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.order_by("-in_federal_registry", "kind", "title")


def resource_get(pk: int, *, include_inactive: bool = False) -> CatalogResource:
    try:
        return resource_list(include_inactive=include_inactive).get(pk=pk)
    except CatalogResource.DoesNotExist:
        raise Http404("Ресурс каталога не найден.") from None
