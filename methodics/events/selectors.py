"""Reads of events and attendance: scoped querysets, who may keep an event, the candidates to mark,
a person's attendances and the roadmap activities an attendance may confirm.

A school's event is seen by its staff and the methodists over it (schools.access.scope_q), the
municipal centre's by the whole municipality (municipal_scope_q); an object outside the user's scope
answers 404.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from methodics.models import Attendance, AttendanceLink, Event
from methodics.selectors import PERSON_FIELDS, name_q
from routes.models import RoadmapActivity, Route
from schools.access import (
    can,
    get_for,
    has_capability,
    manageable_municipalities,
    municipal_scope_q,
    organisations_for,
    scope_q,
)
from schools.models import Organisation, StaffMember


def event_visibility_q(user) -> Q:
    """A school's events: its staff and the methodists over it. The centre's events: the whole municipality."""
    school = Q(organisation__isnull=False) & scope_q(user, "methodics.view")
    municipal = Q(organisation__isnull=True) & municipal_scope_q(user, "methodics.view")
    return school | municipal


def event_list_for(user) -> QuerySet[Event]:
    return (
        Event.objects.filter(event_visibility_q(user))
        .select_related("municipality", "organisation")
        .annotate(attendance_count=Count("attendances"))
        .order_by("-held_on", "title", "pk")
    )


def event_visible_for(user) -> QuerySet[Event]:
    return Event.objects.filter(event_visibility_q(user)).select_related("municipality__region",
                                                                          "organisation__municipality")


def event_get_for(user, pk: int) -> Event:
    return get_for(user, event_visible_for(user), pk)


def can_manage_event(user, event: Event) -> bool:
    """A school's events (and their attendance) are kept by the holders of events.manage over the school;
    the municipal centre's by the holders of events.manage_municipal over the municipality as a whole."""
    if event.organisation_id:
        return can(user, "events.manage", event.organisation)
    return can(user, "events.manage_municipal", event.municipality)


def can_create_events(user) -> bool:
    return has_capability(user, "events.manage") or has_capability(user, "events.manage_municipal")


def organiser_choices(user, organisations: QuerySet[Organisation] | None = None) -> list[tuple[str, str]]:
    """The organisers the user may create events for: "m:<id>" a municipal centre, "o:<id>" a school
    (of `organisations` when given: a part of the user's events.manage scope)."""
    choices = [
        (f"m:{m.pk}", m.methodical_centre or f"ММЦ: {m.name}")
        for m in manageable_municipalities(user, "events.manage_municipal")
    ]
    if has_capability(user, "events.manage"):
        scope = organisations if organisations is not None else organisations_for(user, "events.manage")
        choices += [(f"o:{o.pk}", o.short_name) for o in scope]
    return choices


def event_attendances(event: Event) -> QuerySet[Attendance]:
    return event.attendances.select_related("person__organisation").annotate(link_count=Count("links"))


def attendance_candidates(event: Event) -> QuerySet[StaffMember]:
    """Who can be marked at the event: working staff of the school, or of every organisation of the municipality."""
    qs = StaffMember.objects.filter(status=StaffMember.Status.WORKING).select_related("organisation")
    if event.organisation_id:
        return qs.filter(organisation_id=event.organisation_id)
    return qs.filter(organisation__municipality_id=event.municipality_id)


def search_candidates(event: Event, query: str, limit: int = 20) -> list[StaffMember]:
    words = query.split()[:3]
    if not words or len(query.strip()) < 2:
        return []
    qs = attendance_candidates(event).exclude(attendances__event=event)
    for word in words:
        qs = qs.filter(name_q(word, (*PERSON_FIELDS, "organisation__short_name")))
    return list(qs.order_by("last_name", "first_name", "middle_name")[:limit])


def checklist_organisations(event: Event) -> QuerySet[Organisation]:
    if event.organisation_id:
        return Organisation.objects.filter(pk=event.organisation_id)
    return Organisation.objects.filter(municipality_id=event.municipality_id)


def attendances_of(person_ids) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(person_id__in=person_ids)
        .select_related("event__municipality", "event__organisation", "person")
        .prefetch_related(
            Prefetch("links", queryset=AttendanceLink.objects.select_related("activity__route", "activity__kind"))
        )
        .order_by("-event__held_on", "event__title")
    )


def own_staff_ids(user) -> list[int]:
    return list(StaffMember.objects.filter(user=user).values_list("pk", flat=True))


def attendance_visible_for(user) -> QuerySet[Attendance]:
    """The attendances the user may see: their own, or of a person they may see (staff.view scope)."""
    visible = Q(person__user=user)
    if has_capability(user, "staff.view"):
        visible |= scope_q(user, "staff.view", prefix="person__organisation")
    return Attendance.objects.filter(visible).select_related(
        "event__municipality", "event__organisation", "person__organisation", "person__user")


def attendance_get_for(user, pk: int) -> Attendance:
    return get_for(user, attendance_visible_for(user), pk)


def linkable_activities(attendance: Attendance) -> list[RoadmapActivity]:
    """Not-done activities of the person's routes under implementation that no event confirms yet.

    Activities of a kind the event can confirm come first (`suits` = True).
    """
    kinds = Event.ACTIVITY_KINDS.get(attendance.event.kind, set())
    activities = list(
        RoadmapActivity.objects.filter(
            route__person_id=attendance.person_id, route__status=Route.Status.IN_PROGRESS, is_done=False,
        )
        .exclude(Exists(AttendanceLink.objects.filter(activity=OuterRef("pk"))))
        .select_related("route", "kind", "group")
        .order_by("deadline", "pk")
    )
    for activity in activities:
        activity.suits = activity.kind.code in kinds
    activities.sort(key=lambda a: (not a.suits, a.deadline))
    return activities
