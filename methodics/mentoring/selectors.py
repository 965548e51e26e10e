"""Reads of mentoring: scoped pairs, the young specialists of an organisation, and the pairs the
mentoring indicators count (reports.selectors).

Pairs are seen by the holders of staff.view over their organisation (schools.access.scope_q); an
object outside the user's scope answers 404.
"""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from methodics.models import MentoringPair
from schools.access import get_for, organisations_for, scope_q
from schools.models import Organisation, PositionCategory, StaffMember


def young_specialist_q(today: dt.date | None = None, prefix: str = "") -> Q:
    """SQL form of StaffMember.is_young_specialist: under 35 on `today`, or under three years of experience."""
    today = today or timezone.localdate()
    try:
        born_after = today.replace(year=today.year - 35)
    except ValueError:  # 29 February
        born_after = today.replace(year=today.year - 35, day=28)
    p = f"{prefix}__" if prefix else ""
    return Q(**{f"{p}birth_date__gt": born_after}) | Q(**{f"{p}experience_years__lt": 3})


def pair_list_for(user, organisation: Organisation | None = None) -> QuerySet[MentoringPair]:
    qs = MentoringPair.objects.filter(scope_q(user, "staff.view")).select_related(
        "organisation", "mentor", "mentee"
    )
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs


def pair_visible_for(user) -> QuerySet[MentoringPair]:
    return MentoringPair.objects.filter(scope_q(user, "staff.view")).select_related(
        "organisation__municipality", "mentor", "mentee")


def pair_get_for(user, pk: int) -> MentoringPair:
    return get_for(user, pair_visible_for(user), pk)


def pairs_active_on(day: dt.date) -> QuerySet[MentoringPair]:
    """Pairs working on `day` (for the mentoring indicators)."""
    return MentoringPair.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


def pairs_active_between(start: dt.date, end: dt.date) -> QuerySet[MentoringPair]:
    """Pairs working at least one day between `start` and `end` (a year of the programme of help)."""
    return MentoringPair.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start), starts_on__lte=end)


def young_specialists(organisation: Organisation, today: dt.date | None = None) -> QuerySet[StaffMember]:
    """Working teachers and deputies of the organisation who are young specialists, with an open pair flagged."""
    return (
        StaffMember.objects.filter(
            young_specialist_q(today), organisation=organisation, status=StaffMember.Status.WORKING,
            position_category__in=[PositionCategory.TEACHER, PositionCategory.DEPUTY, PositionCategory.EDUCATOR],
        )
        .select_related("mentor")
        .annotate(has_open_pair=Exists(MentoringPair.objects.filter(mentee=OuterRef("pk"), ends_on__isnull=True)))
    )


def mentoring_organisations_for(user) -> QuerySet[Organisation]:
    return organisations_for(user, "staff.view").order_by("municipality__name", "order", "short_name")
