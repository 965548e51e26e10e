"""The access layer: who may see and do what, in one place.

A user's rights come from their memberships (role + scope). Each role grants a set of
capabilities; a capability held through a membership applies to the objects inside that
membership's scope. Two questions are answered here and nowhere else:

- `scope_q(user, capability)` (records of an organisation) and `municipal_scope_q` (records of a
  municipality as a whole): a Q limiting a queryset to what the user may reach with that
  capability (lists, dashboards, exports);
- `can(user, capability, target)`: may the user act on an object of that organisation, or of that
  municipality as a whole.

Views turn "not visible" into 404 and "visible but not allowed" into 403 (PermissionDenied).
A teacher's rights over their *own* records (their route, their assessments) are not
organisation-wide; selectors add `person__user=user` for those.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from schools.models import Membership, Municipality, Organisation, StaffMember

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
    "municipality.create": {Role.ADMIN},  # new places are in nobody's scope yet
    "municipality.letterhead": {Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.ADMIN},
    "roles.grant": {Role.ADMIN},
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
    "catalog.keep_wide": {Role.REGIONAL_METHODIST, Role.ADMIN},
    # reports
    "report.school": {Role.DEPUTY, Role.DIRECTOR, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.ADMIN},
    "report.municipal": {Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.ADMIN},
    "report.regional": {Role.REGIONAL_METHODIST, Role.ADMIN},
    "report.texts": {Role.MUNICIPAL_METHODIST, Role.ADMIN},
    "indicators.manage": {Role.ADMIN},
    "account.local_password": {Role.ADMIN},  # with SSO_LOCAL_PASSWORDS=admins (docs/sso.md)
    "operations.view": {Role.ADMIN},  # the queue and the outbox on the home page (docs/operations.md)
    # the digests by e-mail (routes/digests): what needs the user this week; the key figures of the month
    "digest.weekly": {Role.DEPUTY, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST},
    "digest.monthly": {Role.DIRECTOR, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST},
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
    "staff.manage": "create, edit and dismiss staff records",
    "staff.invite": "invite a staff member to the portal (an existing account is only asked, never changed)",
    "staff.import": "load staff files (what staff.manage and staff.invite allow, no more)",
    "org.import": "load files of organisations",
    "municipality.create": "add the regions and municipalities a file of organisations names for the first time",
    "municipality.letterhead": "edit the municipality's letterhead: the methodical centre, its head and executor, "
                               "the addressee of its letters",
    "roles.grant": "grant roles to accounts",
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
    "catalog.manage": "open the catalog's pages to keep it; keep the school and municipal items of the scope's "
                      "municipalities (catalog.keep)",
    "catalog.keep_wide": "keep the federal and regional items of the catalog and the courses of the federal registry",
    "report.school": "see the school dashboard; order the school's reports",
    "report.municipal": "see the municipal dashboards; order the municipal reports",
    "report.regional": "see the region's dashboards and municipalities side by side",
    "report.texts": "edit the texts of the municipal analytical report",
    "indicators.manage": "set the indicators and their targets",
    "methodics.view": "see events, mentoring, programmes of help and projects of the scope",
    "events.manage": "keep the events of a school and their attendance",
    "events.manage_municipal": "keep the events of the municipal centre and their attendance",
    "mentoring.manage": "pair mentors and mentees; allow the school's young specialists to mentor",
    "plans.manage": "keep the school's programme of help",
    "projects.manage": "keep the municipal projects and their participants",
    "account.local_password": "sign in with a local password when single sign-on keeps passwords for administrators only (docs/sso.md)",
    "operations.view": "see waiting jobs and undelivered e-mail on the home page; resend e-mail (docs/operations.md)",
    "digest.weekly": "receive the weekly e-mail of what waits in the scope (reviews, expired routes, overdue "
                     "activities, new results); turn it off under «Рассылки»",
    "digest.monthly": "receive the monthly e-mail of the scope's key figures; turn it off under «Рассылки»",
}


def memberships_of(user) -> list[Membership]:
    """The user's memberships, loaded once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_iom_memberships", None)
    if cached is None:
        # The scopes' regions come in the same query: the user's time zone is read from them (schools.timezones).
        cached = list(Membership.objects.filter(user=user).select_related(
            "organisation__municipality__region", "municipality__region", "region"))
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


def memberships_granting(user, capability: str, roles: set[str] | None = None) -> list[Membership]:
    """The user's memberships that grant `capability` (through one of `roles`, if given): their scopes are its."""
    allowed = CAPABILITIES[capability] if roles is None else CAPABILITIES[capability] & set(roles)
    return [m for m in memberships_of(user) if m.role in allowed]


# --- scopes ----------------------------------------------------------------------------------------------------------
#
# Most records belong to an organisation (a staff record, a route, a school's event); a few belong to a
# municipality as a whole (an event of the municipal methodical centre, a municipal project). One Scope,
# read from the memberships that grant a capability, answers for both:
#
# - organisation-owned records: an organisation's membership reaches that organisation, a municipality's
#   its organisations, a region's the organisations of its municipalities, an administrator's everything;
# - municipality-owned records, to see them: the same, and an organisation's membership reaches the
#   municipality the organisation is in (a teacher sees the municipal events of their municipality);
# - municipality-owned records, to act on them: only a membership of the municipality, of its region or
#   an administrator's (a deputy of one school does not keep the municipal centre's events).


@dataclass(frozen=True)
class Scope:
    """Where a capability reaches for one user: the ids of the memberships' organisations, municipalities, regions."""

    everything: bool = False
    organisation_ids: frozenset[int] = frozenset()
    municipality_ids: frozenset[int] = frozenset()
    region_ids: frozenset[int] = frozenset()
    # the municipalities the organisations are in (what a school's people see of their municipality)
    school_municipality_ids: frozenset[int] = frozenset()

    def organisations_q(self, prefix: str = "organisation") -> Q:
        """Records reached through `prefix`, a path to their Organisation (`""`: Organisation itself)."""
        if self.everything:
            # Not Q(): an empty Q vanishes when OR-ed with another condition.
            return Q(pk__isnull=False)
        path = f"{prefix}__" if prefix else ""
        q = Q(pk__in=[])
        if self.organisation_ids:
            q |= Q(**{f"{path}id__in": sorted(self.organisation_ids)}) if prefix else Q(
                pk__in=sorted(self.organisation_ids))
        if self.municipality_ids:
            q |= Q(**{f"{path}municipality_id__in": sorted(self.municipality_ids)})
        if self.region_ids:
            q |= Q(**{f"{path}municipality__region_id__in": sorted(self.region_ids)})
        return q

    def municipalities_q(self, prefix: str = "municipality", *, as_a_whole: bool = False) -> Q:
        """Records reached through `prefix`, a path to their Municipality (`""`: Municipality itself).

        `as_a_whole`: only the memberships that act on a municipality's own records count (not a school's).
        """
        if self.everything:
            return Q(pk__isnull=False)
        path = f"{prefix}__" if prefix else ""
        ids = self.municipality_ids if as_a_whole else self.municipality_ids | self.school_municipality_ids
        q = Q(pk__in=[])
        if ids:
            q |= Q(**{f"{path}id__in": sorted(ids)}) if prefix else Q(pk__in=sorted(ids))
        if self.region_ids:
            q |= Q(**{f"{path}region_id__in": sorted(self.region_ids)})
        return q


def scope_of(user, capability: str, roles: set[str] | None = None) -> Scope:
    """The scope of the user's memberships granting `capability` (through one of `roles`, if given)."""
    organisations, municipalities, regions, school_municipalities = set(), set(), set(), set()
    for m in memberships_granting(user, capability, roles):
        if m.role == Role.ADMIN:
            return Scope(everything=True)
        if m.organisation_id:
            organisations.add(m.organisation_id)
            school_municipalities.add(m.organisation.municipality_id)
        elif m.municipality_id:
            municipalities.add(m.municipality_id)
        elif m.region_id:
            regions.add(m.region_id)
    return Scope(organisation_ids=frozenset(organisations), municipality_ids=frozenset(municipalities),
                 region_ids=frozenset(regions), school_municipality_ids=frozenset(school_municipalities))


def scope_q(user, capability: str, prefix: str = "organisation", roles: set[str] | None = None) -> Q:
    """Q limiting objects (reached through `prefix`, an Organisation path) to the user's scope.

    `prefix=""` filters Organisation itself. `roles` narrows the memberships considered
    (credit, for instance, depends on which methodist role holds it).
    """
    return scope_of(user, capability, roles).organisations_q(prefix)


def municipal_scope_q(user, capability: str, prefix: str = "municipality") -> Q:
    """Q limiting objects reached through `prefix` (a Municipality path) to the municipalities the user sees.

    A school role reaches the municipality of its school (a teacher sees the municipal events of
    the municipality they work in); a regional role, every municipality of its region.
    """
    return scope_of(user, capability).municipalities_q(prefix)


def organisations_for(user, capability: str):
    # With the region: the organisation's time zone (schools.timezones) costs no query.
    return Organisation.objects.filter(scope_q(user, capability, prefix="")).select_related("municipality__region")


def municipalities_for(user, capability: str):
    """The municipalities of the organisations in the user's scope (a school role: its school's municipality)."""
    return Municipality.objects.filter(
        pk__in=organisations_for(user, capability).values("municipality_id")
    ).select_related("region")


def manageable_municipalities(user, capability: str):
    """Municipalities whose own records (not a school's) the user may act on with `capability`."""
    return Municipality.objects.filter(
        scope_of(user, capability).municipalities_q("", as_a_whole=True)).select_related("region")


def covers(membership: Membership, target: Organisation | Municipality) -> bool:
    """Does the membership's scope include `target`: an organisation, or a municipality as a whole?"""
    if membership.role == Role.ADMIN:
        return True
    if isinstance(target, Municipality):
        if membership.organisation_id:
            return False  # a school's membership does not act for its municipality
        if membership.municipality_id:
            return membership.municipality_id == target.pk
        return bool(membership.region_id) and membership.region_id == target.region_id
    if membership.organisation_id:
        return membership.organisation_id == target.pk
    if membership.municipality_id:
        return membership.municipality_id == target.municipality_id
    if membership.region_id:
        return membership.region_id == target.municipality.region_id
    return False


def can(user, capability: str, target: Organisation | Municipality, roles: set[str] | None = None) -> bool:
    """May the user use `capability` on an object of `target`: an organisation's, or a municipality's own?"""
    return any(covers(m, target) for m in memberships_granting(user, capability, roles))


def require(user, capability: str, target: Organisation | Municipality, roles: set[str] | None = None) -> None:
    if not can(user, capability, target, roles):
        raise PermissionDenied("Недостаточно прав для этого действия.")


_PERSON_CONDITIONS: list[Callable[[str], Q]] = []


def register_service_accounts(person: Callable[[str], Q]) -> None:
    """An app whose accounts act for a system, not a person (api's integration tokens), says which
    accounts are people: `person(prefix)` is a condition on users reached through `prefix` ("" on a
    User query, "user__" on a Membership query). Such accounts keep their memberships' rights, but
    they never review, credit or get told: holders_of and the reviewer rules ask only people."""
    _PERSON_CONDITIONS.append(person)


def people_q(prefix: str = "") -> Q:
    """The accounts that are people (not registered service accounts), reached through `prefix`."""
    condition = Q()
    for person in _PERSON_CONDITIONS:
        condition &= person(prefix)
    return condition


def holders_of(capability: str, target: Organisation | Municipality, *, local: bool = False) -> QuerySet:
    """The active accounts whose memberships grant `capability` over `target` (the reverse of `can`):
    who must review, be told or be asked. `local`: only the memberships of `target` itself (a school's
    own deputies, not the methodists and administrators over it)."""
    from django.contrib.auth import get_user_model

    if isinstance(target, Municipality):
        # as `covers`: a school's membership does not act for its municipality as a whole
        over = Q(municipality_id=target.pk) if local else Q(municipality_id=target.pk) | Q(region_id=target.region_id)
    elif local:
        over = Q(organisation_id=target.pk)
    else:
        over = (Q(organisation_id=target.pk) | Q(municipality_id=target.municipality_id)
                | Q(region_id=target.municipality.region_id))
    roles = CAPABILITIES[capability]
    administrators = not local and Role.ADMIN in roles
    if administrators:
        over |= Q(role=Role.ADMIN)
    memberships = Membership.objects.filter(over, role__in=sorted(roles))
    granted = Q(pk__in=memberships.values("user_id"))
    if administrators:
        granted |= Q(is_superuser=True)  # a superuser is an administrator without a membership (memberships_of)
    return get_user_model().objects.filter(granted, people_q(), is_active=True)


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


# --- object rules: what the table of capabilities does not say ----------------------------------------------------
#
# A rule answers "may this user do X to this record" where a capability over the organisation is not
# the whole answer (the owner of a route, the reviewer of a route, the keeper of a catalog item). Each
# app registers its rules from its own access.py (AppConfig.ready); views and services ask them by
# name, `rule("route.owner")(user, route)` or `get_for(..., obj_rule="route.owner")`, and
# `manage.py access_table` prints them with their docstrings beside the table (docs/access.md).

_RULES: dict[str, Callable[..., bool]] = {}


def register_rule(name: str, predicate: Callable[..., bool]) -> None:
    """Name an object rule; its docstring is what docs/access.md says of it."""
    if not (predicate.__doc__ or "").strip():
        raise ImproperlyConfigured(f"the access rule {name!r} needs a docstring: docs/access.md prints it")
    if _RULES.get(name, predicate) is not predicate:
        raise ImproperlyConfigured(f"two access rules are named {name!r}")
    _RULES[name] = predicate


def rule(name: str) -> Callable[..., bool]:
    try:
        return _RULES[name]
    except KeyError:
        raise ImproperlyConfigured(f"no access rule {name!r} is registered") from None


def registered_rules() -> dict[str, Callable[..., bool]]:
    """Every registered rule by name, in name order (the access table)."""
    return dict(sorted(_RULES.items()))


# --- one object: 404 outside the scope, 403 seen but not allowed ------------------------------------------------------
#
# Each app registers its records with `register_records` from its own access.py (AppConfig.ready):
# which queryset a user sees them through (a scoped selector's) and, for records that do not name
# their organisation or municipality themselves, which record they belong with.

_VISIBLE: dict[type, Callable[..., QuerySet]] = {}
_BELONGS_TO: dict[type, str] = {}


def register_records(model: type, *, visible: Callable[..., QuerySet] | None = None,
                     belongs_to: str | None = None) -> None:
    """`visible(user)`: the records of `model` the user sees (get_for(user, model, pk) looks there);
    `belongs_to`: the attribute naming the record whose organisation or municipality they are of
    ("person" for a deficit, "plan" for an activity of a programme of help)."""
    if visible is not None:
        _VISIBLE[model] = visible
    if belongs_to is not None:
        _BELONGS_TO[model] = belongs_to


def owner_of(record) -> Organisation | Municipality:
    """The organisation, or the municipality as a whole, whose memberships' scopes decide over the record."""
    if isinstance(record, (Organisation, Municipality)):
        return record
    parent = _BELONGS_TO.get(type(record))
    if parent is not None:
        return owner_of(getattr(record, parent))
    if getattr(record, "organisation_id", None):
        return record.organisation
    if getattr(record, "municipality_id", None):
        return record.municipality
    raise ImproperlyConfigured(f"{type(record).__name__} names no organisation or municipality: register_records() "
                               "it with belongs_to")


def _visible(user, queryset_or_model) -> QuerySet:
    if isinstance(queryset_or_model, QuerySet):
        return queryset_or_model
    try:
        return _VISIBLE[queryset_or_model](user)
    except KeyError:
        raise ImproperlyConfigured(f"{queryset_or_model.__name__}: no visible records are registered "
                                   "(register_records), pass the scoped queryset") from None


def get_for(user, queryset_or_model, pk, *, need: str | None = None, obj_rule=None,
            denied: str = "Недостаточно прав для этого действия."):
    """The record `pk` as `user` may reach it, or 404 outside what they see and 403 where seen but not allowed.

    `queryset_or_model`: a scoped selector's queryset, or a model standing for its registered one
    (register_records). Then `need`, a capability over the record's organisation or municipality
    (owner_of), and `obj_rule`, an object rule (a registered rule's name, or a predicate
    (user, record)), must both hold; `denied` is the refusal the user reads.
    """
    queryset = _visible(user, queryset_or_model)
    try:
        record = queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404(f"{str(queryset.model._meta.verbose_name).capitalize()}: не найдено или недоступно.") from None
    if need is not None and not can(user, need, owner_of(record)):
        raise PermissionDenied(denied)
    if obj_rule is not None and not (rule(obj_rule) if isinstance(obj_rule, str) else obj_rule)(user, record):
        raise PermissionDenied(denied)
    return record


def is_own(user, record) -> bool:
    """Own records: a person's rights over their own staff record, diagnostics, deficits and attendance
    come from being that person (their account is linked to the staff record), not from a capability
    over the organisation; selectors add `person__user=user` for them."""
    person = record if isinstance(record, StaffMember) else record.person
    return person.user_id is not None and person.user_id == user.pk


def is_privileged_account(user) -> bool:
    """Superusers and Django staff users: nobody but an administrator changes them."""
    return user.is_superuser or user.is_staff


def is_school_account(user, organisation) -> bool:
    """Invitations never change an account the inviter does not own. Staff managers of `organisation`
    change (grant roles here, switch on) only an ordinary account whose every membership is in this
    organisation; any other account (a role elsewhere, a methodist's, an administrator's) is its
    owner's, who is asked and accepts while signed in (`invitation.own`)."""
    if is_privileged_account(user):
        return False
    return all(m.organisation_id == organisation.pk for m in user.memberships.all())


def is_invited(user, invitation) -> bool:
    """A request to link an existing account is answered by that account only, signed in."""
    return invitation.user_id == user.pk


def contribute() -> None:
    """The records and rules of schools (SchoolsConfig.ready; every other app contributes from its own access.py)."""
    from core.imports.engine import ImportContext
    from schools import selectors

    register_records(Organisation, visible=selectors.organisation_visible_for)
    register_records(StaffMember, visible=selectors.staff_visible_for)
    register_rule("own", is_own)
    register_rule("account.school_owned", is_school_account)
    register_rule("invitation.own", is_invited)
    register_rule("import.row", ImportContext.can)
