"""Reads of mentoring: scoped pairs, the young specialists of an organisation, and the pairs the
mentoring indicators count (reports.selectors).

MentoringPair is the one record of mentoring: who mentors whom, in which organisation, from when to when.
Every figure about mentors (the indicators, the home page's attention items, the programme of help, the
staff list, the API) reads pairs through these selectors; who is a young specialist is
schools.selectors.young_specialist_q.

Pairs are seen by the holders of staff.view over their organisation (schools.access.scope_q); an
object outside the user's scope answers 404.
"""

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from methodics.models import MentoringPair
from schools.access import get_for, organisations_for, scope_q
from schools.models import Organisation, PositionCategory, StaffMember
from schools.selectors import young_specialist_q


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


# Who is looked after as a young specialist on «Наставничество» and on the home page.
MENTEE_CATEGORIES = [PositionCategory.TEACHER, PositionCategory.DEPUTY, PositionCategory.EDUCATOR]


def has_mentor_q(on: dt.date, person: str = "pk") -> Q:
    """The StaffMember at OuterRef(`person`) is a mentee of a pair active on `on`."""
    return Q(Exists(pairs_active_on(on).filter(mentee=OuterRef(person))))


def pairs_of(staff: StaffMember) -> QuerySet[MentoringPair]:
    """Every pair of the person, as mentor or as mentee, open first, then the latest (the staff card).

    Shown to whoever may open the card (schools.selectors.staff_get_for): the card's own facts."""
    return (
        MentoringPair.objects.filter(Q(mentor=staff) | Q(mentee=staff))
        .select_related("organisation", "mentor", "mentee")
        .order_by(F("ends_on").desc(nulls_first=True), "-starts_on", "pk")
    )


def young_specialists(organisation: Organisation, today: dt.date | None = None) -> QuerySet[StaffMember]:
    """Working teachers, deputies and educators of the organisation who are young specialists on the day
    (schools.selectors.young_specialist_q), each with `mentor_pair`: the pair active that day, if any."""
    today = today or timezone.localdate()
    active = pairs_active_on(today).filter(mentee=OuterRef("pk")).order_by("-starts_on")
    return (
        StaffMember.objects.filter(
            young_specialist_q(today), organisation=organisation, status=StaffMember.Status.WORKING,
            position_category__in=MENTEE_CATEGORIES,
        )
        .annotate(current_mentor_id=Subquery(active.values("mentor_id")[:1]))
    )


def mentoring_organisations_for(user) -> QuerySet[Organisation]:
    return organisations_for(user, "staff.view").order_by("municipality__name", "order", "short_name")


def mentor_candidates(staff: QuerySet[StaffMember], on: dt.date | None = None) -> QuerySet[StaffMember]:
    """The staff offered as mentors (the pair form's picker), each with `current_mentees`: the mentees of their
    pairs active on the day. One query with the picker's own."""
    on = on or timezone.localdate()
    mentees = pairs_active_on(on).filter(mentor=OuterRef("pk")).order_by().values("mentor")
    return staff.annotate(current_mentees=Coalesce(
        Subquery(mentees.annotate(n=Count("pk")).values("n")[:1]), 0)).order_by("last_name", "first_name")


def mentees_needing_mentor(organisation: Organisation, today: dt.date | None = None) -> QuerySet[StaffMember]:
    """Working people of the organisation whose last pair ended because the mentor was dismissed
    (services.MENTOR_DISMISSED) and who have no pair running or starting since: the deputy assigns a new
    mentor (highlighted on «Наставничество»). Each has `left_mentor_id` and `left_on`."""
    from methodics.mentoring.services import MENTOR_DISMISSED

    today = today or timezone.localdate()
    last = MentoringPair.objects.filter(mentee=OuterRef("pk")).order_by(
        F("ends_on").desc(nulls_first=True), "-starts_on", "-pk")
    running = MentoringPair.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), mentee=OuterRef("pk"))
    return (
        StaffMember.objects.filter(organisation=organisation, status=StaffMember.Status.WORKING)
        .annotate(last_note=Subquery(last.values("end_note")[:1]), left_mentor_id=Subquery(last.values("mentor_id")[:1]),
                  left_on=Subquery(last.values("ends_on")[:1]))
        .filter(last_note=MENTOR_DISMISSED).exclude(Exists(running.exclude(end_note=MENTOR_DISMISSED)))
        .order_by("last_name", "first_name", "pk")
    )
