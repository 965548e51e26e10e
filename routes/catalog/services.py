"""The catalog of resources (courses КПК/ДПП, events, literature, online resources): who keeps it, its writes.

The catalog is reference data of the whole portal, not of one organisation: everyone signed in
reads it (a teacher picks activities from it). Who keeps an item depends on the item (`may_keep`, the
access rule catalog.keep): federal and regional items, courses of the federal registry, and items no
municipality keeps (the starter catalog, imports) are kept by the holders of `catalog.keep_wide`
(administrators, regional methodists); a municipality's own school and municipal items by the holders
of `catalog.manage` over that municipality (its methodists, the regional methodists of its region,
administrators). `catalog.manage` also opens the pages.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.errors import DomainError
from core.links import NOT_A_WEB_URL, is_web_url
from diagnostics.models import Competency
from routes.catalog.data import CATALOG
from routes.models import ActivityKind, CatalogResource, Level
from schools.access import can, has_capability, memberships_granting
from schools.models import Municipality

# Items of these levels belong to the region and the federation, not to one municipality.
WIDE_LEVELS = {Level.REGIONAL, Level.FEDERAL}

RESOURCE_FIELDS = ["kind", "title", "provider", "hours", "in_federal_registry", "url", "level", "activity_kind",
                   "is_active"]


class CatalogError(DomainError):
    """A refused change of the catalog; the message is shown to the user."""


def can_manage(user) -> bool:
    return has_capability(user, "catalog.manage")


def _require_manager(user) -> None:
    if not can_manage(user):
        raise PermissionDenied("Каталог ведут администраторы и методисты.")


def may_keep(user, *, level: str, in_federal_registry: bool, municipality_id: int | None,
             region_id: int | None = None) -> bool:
    """Catalog keepers: federal and regional items, federal-registry courses and items of no municipality
    (the starter catalog) are kept (added, changed) by the holders of catalog.keep_wide (administrators,
    regional methodists); a municipality's school and municipal items by the holders of catalog.manage
    over that municipality as a whole (its municipal methodists, its region's, administrators).

    `region_id` is the region of `municipality_id` (None where the item has no municipality).
    """
    if level in WIDE_LEVELS or in_federal_registry or municipality_id is None:
        return has_capability(user, "catalog.keep_wide")
    return can(user, "catalog.manage", Municipality(pk=municipality_id, region_id=region_id))


def can_edit(user, resource: CatalogResource) -> bool:
    """May the user change this item as it is stored (the list's «Изменить», the edit page)?"""
    return may_keep(user, level=resource.level, in_federal_registry=resource.in_federal_registry,
                    municipality_id=resource.municipality_id,
                    region_id=resource.municipality.region_id if resource.municipality_id else None)


def keeper_municipality(user) -> Municipality | None:
    """The municipality whose item a new resource of a municipal methodist becomes (None: the region's)."""
    if has_capability(user, "catalog.keep_wide"):
        return None
    return next((m.municipality for m in memberships_granting(user, "catalog.manage") if m.municipality_id), None)


NOT_YOURS = "Этот ресурс каталога ведет {keeper}; вам он доступен только для чтения."
TOO_WIDE = ("Федеральные и региональные ресурсы и курсы федерального реестра ДПП ведут администраторы и "
            "региональные методисты. Методист муниципалитета добавляет и изменяет ресурсы школьного и "
            "муниципального уровня своего муниципалитета.")


def _check_new_values(user, resource: CatalogResource) -> None:
    """What the user asks for (a level, the registry mark) is within what they keep."""
    if not can_edit(user, resource):
        raise CatalogError(TOO_WIDE)


def _validate(resource: CatalogResource, competencies) -> None:
    if not resource.title.strip():
        raise CatalogError("Укажите название.")
    if not competencies:
        raise CatalogError("Отметьте хотя бы одну компетенцию, на развитие которой направлен ресурс.")
    if resource.url and not is_web_url(resource.url):  # teachers open it: a web site only, never ftp:
        raise CatalogError(NOT_A_WEB_URL)
    if resource.kind == CatalogResource.Kind.COURSE:
        if not resource.provider.strip():
            raise CatalogError("Для курса укажите организацию, которая его проводит.")
        if not resource.hours:
            raise CatalogError("Для курса укажите объем в часах.")
    elif resource.in_federal_registry:
        raise CatalogError("В федеральный реестр ДПП входят только курсы (программы ДПП).")


@transaction.atomic
def resource_create(*, actor, data: dict, competencies) -> CatalogResource:
    _require_manager(actor)
    resource = CatalogResource(**{k: data[k] for k in RESOURCE_FIELDS if k in data},
                               municipality=keeper_municipality(actor))
    _check_new_values(actor, resource)
    competencies = list(competencies)
    _validate(resource, competencies)
    resource.save()
    resource.competencies.set(competencies)
    return resource


@transaction.atomic
def resource_update(*, actor, resource: CatalogResource, data: dict, competencies) -> CatalogResource:
    _require_manager(actor)
    # The right is checked on the stored row: a ModelForm bound to `resource` has already copied the
    # posted values (a level lowered to «Муниципальный», say) into it.
    resource = CatalogResource.objects.select_for_update(of=("self",)).select_related("municipality").filter(pk=resource.pk).first()
    if resource is None:
        raise CatalogError("Ресурс уже удален из каталога.")
    if not can_edit(actor, resource):
        raise PermissionDenied(NOT_YOURS.format(keeper=keeper_name(resource)))
    for key in RESOURCE_FIELDS:
        if key in data:
            setattr(resource, key, data[key])
    _check_new_values(actor, resource)
    competencies = list(competencies)
    _validate(resource, competencies)
    resource.save()
    resource.competencies.set(competencies)
    return resource


def keeper_name(resource: CatalogResource) -> str:
    if resource.municipality_id and not (resource.level in WIDE_LEVELS or resource.in_federal_registry):
        return f"методист муниципалитета «{resource.municipality.name}»"
    return "регион: региональные методисты и администраторы"


# --------------------------------------------------------------------------- the initial catalog

@transaction.atomic
def load_initial_catalog() -> tuple[int, int]:
    """Add the starter catalog (routes/catalog/data.py). Idempotent: an item is matched by title.

    An item already in the catalog is left as it is, so what administrators and methodists
    changed since (hours, a deactivated course) survives a second run. Returns (created,
    already present). Competency codes missing from the framework are skipped, so an edited
    framework does not break the loader.
    """
    kinds = {k.code: k for k in ActivityKind.objects.all()}
    competencies = {c.code: c for c in Competency.objects.all()}
    present = set(CatalogResource.objects.filter(title__in=[i["title"] for i in CATALOG]).values_list("title", flat=True))
    created = 0
    for item in CATALOG:
        if item["title"] in present:
            continue
        resource = CatalogResource.objects.create(
            title=item["title"],
            kind=item["kind"],
            provider=item.get("provider", ""),
            hours=item.get("hours"),
            in_federal_registry=item.get("registry", False),
            url=item.get("url", ""),
            level=item.get("level", Level.MUNICIPAL),
            activity_kind=kinds[item["activity"]],
        )
        resource.competencies.set([competencies[c] for c in item["competencies"] if c in competencies])
        present.add(item["title"])
        created += 1
    return created, len(CATALOG) - created
