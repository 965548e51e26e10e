"""Municipality-level checks on top of schools.access.

schools.access answers for objects that belong to an organisation. An event of the municipal
methodical centre and a municipal project belong to a municipality; these two helpers answer
the same questions for them from the same memberships and the same CAPABILITIES table.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from schools.access import CAPABILITIES, Role, memberships_of
from schools.models import Municipality


def _memberships_with(user, capability: str):
    roles = CAPABILITIES[capability]
    return [m for m in memberships_of(user) if m.role in roles]


def municipal_scope_q(user, capability: str, prefix: str = "municipality") -> Q:
    """Q limiting objects reached through `prefix` (a Municipality path) to the user's municipalities.

    A school role reaches the municipality of its school (a teacher sees the municipal events of
    the municipality they work in); a regional role, every municipality of its region.
    """
    municipality_ids, region_ids = set(), set()
    for m in _memberships_with(user, capability):
        if m.role == Role.ADMIN:
            return Q(pk__isnull=False)
        if m.organisation_id:
            municipality_ids.add(m.organisation.municipality_id)
        elif m.municipality_id:
            municipality_ids.add(m.municipality_id)
        elif m.region_id:
            region_ids.add(m.region_id)
    q = Q(pk__in=[])
    if municipality_ids:
        q |= Q(**{f"{prefix}_id__in": sorted(municipality_ids)})
    if region_ids:
        q |= Q(**{f"{prefix}__region_id__in": sorted(region_ids)})
    return q


def can_in_municipality(user, capability: str, municipality: Municipality) -> bool:
    """May the user use `capability` on an object of the municipality as a whole?

    Only memberships scoped to the municipality, its region or everything count: a deputy of one
    school does not manage the municipal centre's events.
    """
    for m in _memberships_with(user, capability):
        if m.role == Role.ADMIN:
            return True
        if m.municipality_id and m.municipality_id == municipality.pk:
            return True
        if m.region_id and m.region_id == municipality.region_id:
            return True
    return False


def require_in_municipality(user, capability: str, municipality: Municipality) -> None:
    if not can_in_municipality(user, capability, municipality):
        raise PermissionDenied("Недостаточно прав для этого действия.")


def manageable_municipalities(user, capability: str):
    """Municipalities in which the user may use a municipality-level capability."""
    q = Q(pk__in=[])
    for m in _memberships_with(user, capability):
        if m.role == Role.ADMIN:
            return Municipality.objects.select_related("region")
        if m.municipality_id:
            q |= Q(pk=m.municipality_id)
        elif m.region_id:
            q |= Q(region_id=m.region_id)
    return Municipality.objects.filter(q).select_related("region")
