"""The access layer: who may see and do what, in one place.

A user's rights come from their memberships (role + scope). Each role grants a set of
capabilities; a capability held through a membership applies to the objects inside that
membership's scope. Two questions are answered here and nowhere else:

- `scope_q(user, capability)`: a Q limiting any queryset of objects that belong to an
  organisation to those the user may reach with that capability (lists, dashboards, exports);
- `can(user, capability, organisation)`: may the user act on an object of that organisation.

Views turn "not visible" into 404 and "visible but not allowed" into 403 (PermissionDenied).
A teacher's rights over their *own* records (their route, their assessments) are not
organisation-wide; selectors add `person__user=user` for those.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from schools.models import Membership, Organisation

Role = Membership.Role

# Capability → roles holding it. Read across a row to see who may do a thing.
CAPABILITIES: dict[str, set[str]] = {
    # organisations and staff
    "org.view": {Role.DEPUTY, Role.DIRECTOR, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.ADMIN},
    "staff.view": {Role.DEPUTY, Role.DIRECTOR, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.ADMIN},
    "staff.manage": {Role.DEPUTY, Role.ADMIN},
    "staff.invite": {Role.DEPUTY, Role.ADMIN},
    "staff.import": {Role.DEPUTY, Role.ADMIN},  # the holders of staff.manage: an import does no more than the browser
    "org.import": {Role.MUNICIPAL_METHODIST, Role.ADMIN},
    # routes
    "route.own": {Role.TEACHER, Role.DEPUTY, Role.DIRECTOR},
    "route.view": {Role.DEPUTY, Role.DIRECTOR, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.ADMIN},
    # The school review (approve, return, accept results). Which routes: routes.selectors.route_reviewers,
    # the deputies of the school, but a deputy's own route goes to the director, else the methodist.
    "route.review": {Role.DEPUTY, Role.DIRECTOR, Role.MUNICIPAL_METHODIST},
    # Which routes: routes.selectors.route_reviewers (by the municipality's credit mode, never one's own).
    "route.credit": {Role.REGIONAL_METHODIST, Role.MUNICIPAL_METHODIST},
    "route.archive": {Role.DEPUTY, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.ADMIN},
    "route.withdraw": {Role.DEPUTY, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.ADMIN},
    # Registries of routes load history (routes/importers.py): those who may bring credit dates and past
    # states, never a deputy, who approves routes in the portal.
    "route.import": {Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.ADMIN},
    # diagnostics and the catalog
    "diagnostics.assess": {Role.DEPUTY, Role.ADMIN},
    "diagnostics.view": {Role.DEPUTY, Role.DIRECTOR, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.ADMIN},
    "diagnostics.import": {Role.DEPUTY, Role.ADMIN},  # the holders of diagnostics.assess, who record results
    "catalog.manage": {Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.ADMIN},
    # reports
    "report.school": {Role.DEPUTY, Role.DIRECTOR, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.ADMIN},
    "report.municipal": {Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.ADMIN},
    "report.regional": {Role.REGIONAL_METHODIST, Role.ADMIN},
    "report.texts": {Role.MUNICIPAL_METHODIST, Role.ADMIN},
    "indicators.manage": {Role.ADMIN},
    "operations.view": {Role.ADMIN},  # the queue and the outbox on the home page (docs/operations.md)
    # methodical support (methodics): events, mentoring, programmes of help, municipal projects
    "methodics.view": {Role.TEACHER, Role.DEPUTY, Role.DIRECTOR, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST,
                       Role.ADMIN},
    "events.manage": {Role.DEPUTY, Role.ADMIN},  # events of a school
    "events.manage_municipal": {Role.MUNICIPAL_METHODIST, Role.ADMIN},  # events of the municipal centre
    "mentoring.manage": {Role.DEPUTY, Role.ADMIN},
    "plans.manage": {Role.DEPUTY, Role.ADMIN},
    "projects.manage": {Role.MUNICIPAL_METHODIST, Role.ADMIN},
}


# What each capability lets its holder do, within the scope of the membership that grants it
# (`python manage.py access_table` prints this beside CAPABILITIES; docs/access.md is its output).
MEANING: dict[str, str] = {
    "org.view": "see the organisations of the scope",
    "staff.view": "see the staff records of the scope; export them",
    "staff.manage": "create, edit and dismiss staff records; assign mentors",
    "staff.invite": "invite a staff member to the portal (an existing account is only asked, never changed)",
    "staff.import": "load staff files (what staff.manage and staff.invite allow, no more)",
    "org.import": "load files of organisations",
    "route.own": "keep an ИОМ of one's own: draft, submit, implement, report results",
    "route.view": "see the routes of the scope: monitor, registry, history",
    "route.review": "open the review queue; which routes are the user's: the reviewer rule below",
    "route.credit": "open the credit queue; which routes are the user's: the reviewer rule below",
    "route.archive": "archive completed routes",
    "route.withdraw": "withdraw a route with a reason (e.g. the teacher left)",
    "route.import": "load registries of past routes and their activities (credit dates only by the one who credits)",
    "diagnostics.assess": "record diagnostics by others, add and dismiss deficits (never one's own)",
    "diagnostics.view": "see the diagnostics and deficits of the scope",
    "diagnostics.import": "load files of diagnostics results (what diagnostics.assess allows)",
    "catalog.manage": "keep the catalog of resources (federal and regional items: regional methodists and administrators)",
    "report.school": "see the school dashboard; order the school's reports",
    "report.municipal": "see the municipal dashboards; order the municipal reports",
    "report.regional": "see the region's dashboards and municipalities side by side",
    "report.texts": "edit the texts of the municipal analytical report",
    "indicators.manage": "set the indicators and their targets",
    "methodics.view": "see events, mentoring, programmes of help and projects of the scope",
    "events.manage": "keep the events of a school and their attendance",
    "events.manage_municipal": "keep the events of the municipal centre and their attendance",
    "mentoring.manage": "pair mentors and mentees",
    "plans.manage": "keep the school's programme of help",
    "projects.manage": "keep the municipal projects and their participants",
}

def memberships_of(user) -> list[Membership]:
    """The user's memberships, loaded once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_iom_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organisation", "municipality", "region"))
        if user.is_superuser and not any(m.role == Role.ADMIN for m in cached):
            cached.append(Membership(user=user, role=Role.ADMIN))
        user._iom_memberships = cached
    return cached


def roles_of(user) -> set[str]:
    return {m.role for m in memberships_of(user)}


def has_capability(user, capability: str) -> bool:
    """Does any of the user's memberships grant the capability (in some scope)?"""
    roles = CAPABILITIES[capability]
    return any(m.role in roles for m in memberships_of(user))


def _memberships_with(user, capability: str, roles: set[str] | None = None) -> list[Membership]:
    allowed = CAPABILITIES[capability] if roles is None else CAPABILITIES[capability] & set(roles)
    return [m for m in memberships_of(user) if m.role in allowed]


def scope_q(user, capability: str, prefix: str = "organisation", roles: set[str] | None = None) -> Q:
    """Q limiting objects (reached through `prefix`, an Organisation path) to the user's scope.

    `prefix=""` filters Organisation itself. `roles` narrows the memberships considered
    (credit, for instance, depends on which methodist role holds it).
    """
    path = f"{prefix}__" if prefix else ""
    org_ids, municipality_ids, region_ids = set(), set(), set()
    for m in _memberships_with(user, capability, roles):
        if m.role == Role.ADMIN:
            # Not Q(): an empty Q vanishes when OR-ed with another condition.
            return Q(pk__isnull=False)
        if m.organisation_id:
            org_ids.add(m.organisation_id)
        elif m.municipality_id:
            municipality_ids.add(m.municipality_id)
        elif m.region_id:
            region_ids.add(m.region_id)
    q = Q(pk__in=[])
    if org_ids:
        q |= Q(**{f"{path}id__in": sorted(org_ids)}) if prefix else Q(pk__in=sorted(org_ids))
    if municipality_ids:
        q |= Q(**{f"{path}municipality_id__in": sorted(municipality_ids)})
    if region_ids:
        q |= Q(**{f"{path}municipality__region_id__in": sorted(region_ids)})
    return q


def organisations_for(user, capability: str):
    return Organisation.objects.filter(scope_q(user, capability, prefix="")).select_related("municipality")


def covers(membership: Membership, organisation: Organisation) -> bool:
    if membership.role == Role.ADMIN:
        return True
    if membership.organisation_id:
        return membership.organisation_id == organisation.pk
    if membership.municipality_id:
        return membership.municipality_id == organisation.municipality_id
    if membership.region_id:
        return membership.region_id == organisation.municipality.region_id
    return False


def can(user, capability: str, organisation: Organisation, roles: set[str] | None = None) -> bool:
    """May the user use `capability` on an object belonging to `organisation`?"""
    return any(covers(m, organisation) for m in _memberships_with(user, capability, roles))


def require(user, capability: str, organisation: Organisation, roles: set[str] | None = None) -> None:
    if not can(user, capability, organisation, roles):
        raise PermissionDenied("Недостаточно прав для этого действия.")


def capability_required(*capabilities: str):
    """View decorator: the user must hold at least one of the capabilities in some scope (else 403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not any(has_capability(request.user, c) for c in capabilities):
                raise PermissionDenied("Эта страница недоступна для вашей роли.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def municipalities_for(user, capability: str):
    from schools.models import Municipality

    return Municipality.objects.filter(
        pk__in=organisations_for(user, capability).values("municipality_id")
    ).select_related("region")
