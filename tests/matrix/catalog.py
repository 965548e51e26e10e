"""Permission matrix of the catalog of resources: everyone reads it; an item is kept by whoever keeps
its level (routes.catalog.services.may_keep): federal, regional and ownerless items by regional methodists and
administrators, a municipality's own items also by its methodists."""

from django.urls import reverse

from tests.matrix import Case, everyone

KEEPERS = dict(municipal_methodist=200, regional_methodist=200, admin=200)
REGION_KEEPERS = dict(municipal_methodist=403, regional_methodist=200, admin=200)


def _resource(key, *, municipality: str = "", **fields):
    """`municipality`: the World attribute of the municipality that keeps the item (none: the region)."""
    def get(w):
        from routes.models import ActivityKind, CatalogResource

        def make(w):
            scope = {"municipality": getattr(w, municipality)} if municipality else {}
            return CatalogResource.objects.create(
                kind=CatalogResource.Kind.EVENT, title="Семинар для матрицы", provider="ММЦ",
                activity_kind=ActivityKind.objects.get(code="seminar"), **fields, **scope,
            )

        return w.obj(key, make)

    return get


# the starter catalog's kind of item: municipal level, kept by no municipality (the region's)
STARTER = _resource("catalog_resource")
FEDERAL = _resource("catalog_federal", level="federal")
OWN_MUNICIPALITY = _resource("catalog_own", municipality="municipality")
OTHER_MUNICIPALITY = _resource("catalog_other", municipality="other_municipality")
WITH_LINK = _resource("catalog_link", url="https://example.org/seminar")
INACTIVE_WITH_LINK = _resource("catalog_inactive_link", url="https://example.org/old", is_active=False)


def edit(getter):
    return lambda w: reverse("catalog:edit", args=[getter(w).pk])


def link(getter):
    return lambda w: reverse("catalog:link", args=[getter(w).pk])


def add_to_route(w):
    """The teacher has a draft to add to; the deputy and the director have staff records but no route."""
    from tests.routes.factories import RouteFactory

    w.obj("catalog_teacher_draft", lambda w: RouteFactory(person=w.teacher_staff))
    return reverse("catalog:add_to_route", args=[STARTER(w).pk])


CASES = [
    Case("catalog:list", lambda w: reverse("catalog:list"), everyone(200)),
    Case("catalog:list", lambda w: reverse("catalog:list") + "?kind=course&registry_only=on&page=1",
         everyone(200), label="filtered"),
    Case("catalog:create", lambda w: reverse("catalog:create"), everyone(403, **KEEPERS)),
    Case("catalog:edit", edit(STARTER), everyone(403, **REGION_KEEPERS)),
    Case("catalog:edit", edit(FEDERAL), everyone(403, **REGION_KEEPERS), label="federal"),
    Case("catalog:edit", edit(OWN_MUNICIPALITY), everyone(403, **KEEPERS), label="own_municipality"),
    Case("catalog:edit", edit(OTHER_MUNICIPALITY), everyone(403, **REGION_KEEPERS), label="other_municipality"),
    Case("catalog:edit", lambda w: reverse("catalog:edit", args=[987654]),
         everyone(403, municipal_methodist=404, regional_methodist=404, admin=404), label="missing"),
    # a resource's site opens through the page that names it; an inactive item is listed to its keepers only
    Case("catalog:link", link(WITH_LINK), everyone(200)),
    Case("catalog:link", link(INACTIVE_WITH_LINK), everyone(404, **KEEPERS), label="inactive"),
    Case("catalog:link", link(STARTER), everyone(404), label="no_link"),
    Case("catalog:link", lambda w: reverse("catalog:link", args=[987654]), everyone(404), label="missing"),
    # «Добавить в ИОМ»: whoever keeps an own ИОМ (route.own with a staff record); a row of their own route
    Case("catalog:add_to_route", add_to_route, everyone(403, teacher=302, deputy=302, director=302), method="post",
         touches=("routes.RoadmapActivity",),
         noop={"deputy": "no route of their own to add to: the page says so",
               "director": "no route of their own to add to: the page says so"}),
]
