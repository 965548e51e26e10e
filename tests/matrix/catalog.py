"""Permission matrix of the catalog of resources: everyone reads it, methodists and administrators keep it."""

from django.urls import reverse

from tests.matrix import Case, everyone

KEEPERS = dict(municipal_methodist=200, regional_methodist=200, admin=200)


def _resource(w):
    from routes.models import ActivityKind, CatalogResource

    def make(w):
        resource = CatalogResource.objects.create(
            kind=CatalogResource.Kind.EVENT, title="Семинар для матрицы", provider="ММЦ",
            activity_kind=ActivityKind.objects.get(code="seminar"),
        )
        return resource

    return w.obj("catalog_resource", make)


CASES = [
    Case("catalog:list", lambda w: reverse("catalog:list"), everyone(200)),
    Case("catalog:list", lambda w: reverse("catalog:list") + "?kind=course&registry_only=on&page=1",
         everyone(200), label="filtered"),
    Case("catalog:create", lambda w: reverse("catalog:create"), everyone(403, **KEEPERS)),
    Case("catalog:edit", lambda w: reverse("catalog:edit", args=[_resource(w).pk]), everyone(403, **KEEPERS)),
    Case("catalog:edit", lambda w: reverse("catalog:edit", args=[987654]),
         everyone(403, municipal_methodist=404, regional_methodist=404, admin=404), label="missing"),
]
