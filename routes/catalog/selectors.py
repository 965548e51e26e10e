"""Reads of the catalog of resources: everyone signed in reads it (routes/catalog/services.py says who keeps it)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from diagnostics.models import Competency
from routes.models import CatalogResource


def resource_list(*, kind: str = "", competency: Competency | None = None, group=None, registry_only: bool = False,
                  text: str = "", include_inactive: bool = False) -> QuerySet[CatalogResource]:
    qs = CatalogResource.objects.select_related("activity_kind", "municipality").prefetch_related("competencies")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if competency is not None:
        qs = qs.filter(competencies=competency)
    if group is not None:
        qs = qs.filter(competencies__group=group).distinct()
    if registry_only:
        qs = qs.filter(in_federal_registry=True)
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(provider__icontains=text))
    return qs.order_by("-in_federal_registry", "kind", "title")


def resource_get(pk: int, *, include_inactive: bool = False) -> CatalogResource:
    try:
        return resource_list(include_inactive=include_inactive).get(pk=pk)
    except CatalogResource.DoesNotExist:
        raise Http404("Ресурс каталога не найден.") from None
