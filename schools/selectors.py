import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, FilteredRelation, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from schools.access import (
    get_for,
    has_capability,
    is_invited,
    memberships_of,
    municipalities_for,
    organisations_for,
    scope_q,
)
from schools.models import AccountLinkInvitation, Organisation, PositionCategory, StaffMember


def director_of(organisation: Organisation) -> StaffMember | None:
    """The director of the organisation: its working staff member in a director's position (by
    position category, the main position first); None when the staff list names none."""
    return (StaffMember.objects.filter(organisation=organisation, status=StaffMember.Status.WORKING,
                                       position_category=PositionCategory.DIRECTOR)
            .order_by("-is_main_position", "last_name", "first_name", "pk").first())


def deputies_of(organisation: Organisation) -> QuerySet[StaffMember]:
    """The organisation's working deputy directors (по УВР, ВР, …) in name order."""
    return StaffMember.objects.filter(organisation=organisation, status=StaffMember.Status.WORKING,
                                      position_category=PositionCategory.DEPUTY).order_by("last_name", "first_name")


def letterhead_municipality_get_for(user, pk: int):
    """A municipality whose letterhead the user may edit (404 outside the scope)."""
    return get_for(user, municipalities_for(user, "municipality.letterhead"), pk)


def organisation_list_for(user) -> QuerySet[Organisation]:
    """The organisations the user may see, in list order; counts come per page (with_staff_counts)."""
    return organisations_for(user, "org.view").select_related("municipality__region")


def with_staff_counts(organisations) -> list[Organisation]:
    """The page's organisations with `staff_count` and `account_count` set: one grouped query for the page only."""
    organisations = list(organisations)
    working = Q(status=StaffMember.Status.WORKING)
    counts = {
        row["organisation"]: row for row in
        StaffMember.objects.filter(working, organisation__in=[o.pk for o in organisations])
        .order_by().values("organisation")
        .annotate(staff=Count("pk"), accounts=Count("pk", filter=Q(user__is_active=True)))
    }
    for organisation in organisations:
        row = counts.get(organisation.pk, {})
        organisation.staff_count = row.get("staff", 0)
        organisation.account_count = row.get("accounts", 0)
    return organisations


def organisation_visible_for(user) -> QuerySet[Organisation]:
    return organisations_for(user, "org.view")


def organisation_get_for(user, pk: int) -> Organisation:
    return get_for(user, organisation_visible_for(user), pk)


def staff_list_for(user, organisation: Organisation | None = None) -> QuerySet[StaffMember]:
    qs = StaffMember.objects.filter(scope_q(user, "staff.view")).select_related(
        "organisation", "user"
    )
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs


def with_current_mentor(staff: QuerySet[StaffMember], on: dt.date | None = None) -> QuerySet[StaffMember]:
    """Each record with `current_mentor_id`: the mentor of its open mentoring pair begun by `on` (today), or None.

    Read through the reverse relation of methodics.MentoringPair (the one record of mentoring): at most one open
    pair per mentee (a database constraint), so the join adds no rows."""
    on = on or timezone.localdate()
    return staff.annotate(
        open_pair=FilteredRelation("mentoring_as_mentee", condition=Q(
            mentoring_as_mentee__ends_on__isnull=True, mentoring_as_mentee__starts_on__lte=on)),
        current_mentor_id=F("open_pair__mentor_id"),
    )


def attach_current_mentors(staff: list[StaffMember]) -> list[StaffMember]:
    """Set `current_mentor` on records annotated by with_current_mentor: one query for the page."""
    mentors = StaffMember.objects.in_bulk({s.current_mentor_id for s in staff if s.current_mentor_id})
    for person in staff:
        person.current_mentor = mentors.get(person.current_mentor_id)
    return staff


def staff_visible_for(user) -> QuerySet[StaffMember]:
    """The staff records the user may open: in the scope of staff.view, or the user's own record."""
    visible = Q(user=user)
    if has_capability(user, "staff.view"):
        visible |= scope_q(user, "staff.view")
    return StaffMember.objects.filter(visible).select_related("organisation__municipality", "user")


def staff_get_for(user, pk: int) -> StaffMember:
    return get_for(user, staff_visible_for(user), pk)


def own_staff_records(user) -> QuerySet[StaffMember]:
    return StaffMember.objects.filter(user=user).select_related("organisation__municipality")


# --- the young-specialist rule -------------------------------------------------------------------------------------
#
# One definition for every page, figure and refusal (docs/spec/reports.md, young_supported_share: "staff under 35
# in their first three years"): younger than YOUNG_AGE on the day AND less than YOUNG_EXPERIENCE whole years of
# pedagogical experience. A record without a birth date or without experience is not counted young: neither
# condition can be shown, and the SQL form and the Python form must agree on it.

YOUNG_AGE = 35
YOUNG_EXPERIENCE = 3


def young_born_after(on: dt.date) -> dt.date:
    """Born after this day: not yet YOUNG_AGE on `on` (in a common year someone born on 29 February turns 35 on
    1 March; on 29 February the day 35 years before is 28 February)."""
    try:
        return on.replace(year=on.year - YOUNG_AGE)
    except ValueError:  # 29 February
        return on.replace(year=on.year - YOUNG_AGE, day=28)


def young_specialist_q(on: dt.date | None = None, prefix: str = "") -> Q:
    """A StaffMember (through `prefix`, e.g. "staff" from an Organisation) is a young specialist on `on` (today)."""
    on = on or timezone.localdate()
    p = f"{prefix}__" if prefix else ""
    return Q(**{f"{p}birth_date__gt": young_born_after(on), f"{p}experience_years__lt": YOUNG_EXPERIENCE})


def is_young_specialist(staff: StaffMember, on: dt.date | None = None) -> bool:
    """The Python form of young_specialist_q, for one record already loaded."""
    on = on or timezone.localdate()
    return (staff.birth_date is not None and staff.birth_date > young_born_after(on)
            and staff.experience_years is not None and staff.experience_years < YOUNG_EXPERIENCE)


def cached_scope_figure(user, name: str, organisations: QuerySet[Organisation], compute, params: tuple = ()):
    """A figure over the user's scope `organisations` (a home-page summary count) from core.cache.

    The key holds the user's memberships (what the scope is) and the versions of the scope's
    municipalities, so a committed write in any of them computes it afresh (core.cache).
    """
    from core.cache import cached_figure

    scope = tuple(sorted((m.role, m.organisation_id or 0, m.municipality_id or 0, m.region_id or 0)
                         for m in memberships_of(user)))
    municipality_ids = organisations.order_by().values_list("municipality_id", flat=True).distinct()
    return cached_figure(name, [m for m in municipality_ids if m is not None], (scope, *params), compute)


LINK_FOR_ANOTHER_ACCOUNT = ("Это приглашение адресовано другой учетной записи. Выйдите и войдите под той, "
                            "на адрес которой пришло письмо.")


def link_invitation_get_for(user, token) -> AccountLinkInvitation:
    """A request to link an existing account, for that account only: unknown → 404, somebody else's → 403."""
    try:
        invitation = AccountLinkInvitation.objects.select_related(
            "staff__organisation__municipality", "user", "created_by").get(token=token)
    except AccountLinkInvitation.DoesNotExist:
        raise Http404("Приглашение не найдено.") from None
    if not is_invited(user, invitation):
        raise PermissionDenied(LINK_FOR_ANOTHER_ACCOUNT)
    return invitation


def open_link_invitation(staff: StaffMember) -> AccountLinkInvitation | None:
    """The request to an existing account's owner that still waits for an answer, if any."""
    return staff.link_invitations.filter(accepted_at__isnull=True, closed_at__isnull=True,
                                         expires_at__gt=timezone.now()).select_related("user").first()
