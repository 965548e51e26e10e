"""Reads of municipal projects: scoped querysets, the participants' four steps and the figures of
the project report (docs/spec/reports.md, seed 002).

Projects belong to a municipality as a whole: lists are limited by schools.access.municipal_scope_q;
an object outside the user's scope answers 404.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from core.dates import academic_year_of
from methodics.models import Attendance, Event, ParticipantStep, Project, ProjectParticipant, Step
from methodics.selectors import PERSON_FIELDS, name_q
from routes.models import Route
from schools.access import get_for, municipal_scope_q
from schools.models import StaffMember


def project_list_for(user) -> QuerySet[Project]:
    return (
        Project.objects.filter(municipal_scope_q(user, "methodics.view"))
        .select_related("municipality")
        .annotate(participant_count=Count("participants", distinct=True))
        .order_by("-starts_on", "title")
    )


def project_visible_for(user) -> QuerySet[Project]:
    return Project.objects.filter(municipal_scope_q(user, "methodics.view")).select_related("municipality__region")


def project_get_for(user, pk: int) -> Project:
    return get_for(user, project_visible_for(user), pk)


def participant_visible_for(user) -> QuerySet[ProjectParticipant]:
    return ProjectParticipant.objects.filter(
        municipal_scope_q(user, "methodics.view", prefix="project__municipality")
    ).select_related("project__municipality__region", "person__organisation", "route")


def participant_get_for(user, pk: int) -> ProjectParticipant:
    return get_for(user, participant_visible_for(user), pk)


def project_years(project: Project) -> list[str]:
    first, last = academic_year_of(project.starts_on), academic_year_of(project.ends_on)
    return [f"{y}-{y + 1}" for y in range(int(first[:4]), int(last[:4]) + 1)]


def project_route_for(project: Project, person: StaffMember) -> Route | None:
    """The participant's route of the project: the latest approved one of the project's years, else the latest."""
    routes = Route.objects.filter(person=person, academic_year__in=project_years(project)).exclude(
        status=Route.Status.WITHDRAWN
    )
    return routes.filter(approved_on__isnull=False).order_by("-academic_year").first() or routes.order_by(
        "-academic_year"
    ).first()


def participant_candidates(project: Project) -> QuerySet[StaffMember]:
    qs = StaffMember.objects.filter(status=StaffMember.Status.WORKING).select_related("organisation")
    organisations = list(project.organisations.values_list("pk", flat=True))
    if organisations:
        return qs.filter(organisation_id__in=organisations)
    return qs.filter(organisation__municipality_id=project.municipality_id)


def search_participant_candidates(project: Project, query: str, limit: int = 20) -> list[StaffMember]:
    words = query.split()[:3]
    if not words or len(query.strip()) < 2:
        return []
    qs = participant_candidates(project).exclude(project_participations__project=project)
    for word in words:
        qs = qs.filter(name_q(word, PERSON_FIELDS))
    return list(qs.order_by("last_name", "first_name", "middle_name")[:limit])


@dataclass(frozen=True)
class StepState:
    step: str
    label: str
    done: bool
    on: dt.date | None = None
    place: str = ""
    source: str = ""  # "route": read from the ИОМ; "record": an explicit ParticipantStep


@dataclass
class ParticipantSteps:
    participant: ProjectParticipant
    steps: list[StepState]

    @property
    def all_done(self) -> bool:
        return all(s.done for s in self.steps)

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.steps if s.done)


def route_step(route: Route | None, step: str) -> tuple[bool, dt.date | None, str]:
    if route is None:
        return False, None, ""
    if step == Step.APPROVED:
        return route.approved_on is not None, route.approved_on, ""
    if step == Step.DEFENDED:
        return route.defended_on is not None, route.defended_on, route.defended_place
    if step == Step.COMPLETED:
        finished = route.status in (Route.Status.COMPLETED, Route.Status.ARCHIVED)
        return finished, route.completed_on, ""
    return route.results_presented_on is not None, route.results_presented_on, route.results_presented_place


def steps_of(participant: ProjectParticipant, records: list[ParticipantStep]) -> ParticipantSteps:
    """The four steps of seed 002: read from the route where it holds the data, else from explicit records."""
    recorded = {r.step: r for r in records}
    states = []
    for step, label in Step.choices:
        done, on, place = route_step(participant.route, step)
        if done:
            states.append(StepState(step, label, True, on, place, "route"))
        elif step in recorded:
            r = recorded[step]
            states.append(StepState(step, label, True, r.done_on, r.place, "record"))
        else:
            states.append(StepState(step, label, False))
    return ParticipantSteps(participant=participant, steps=states)


def project_participants(project: Project) -> list[ParticipantSteps]:
    """Every participant with their four steps (2 queries)."""
    participants = project.participants.select_related("person__organisation", "route").prefetch_related("steps")
    return [steps_of(p, list(p.steps.all())) for p in participants]


@dataclass(frozen=True)
class EventFigure:
    event: Event
    attendance: int


@dataclass(frozen=True)
class ProjectFigures:
    """The figures of the "project" report (docs/spec/reports.md, seed 002), counted from the participants' rows
    that the project page and the report list: the same rows, the same numbers (docs/figures-decisions.md)."""

    organisations_total: int  # distinct organisations of the participants
    organisations_with_route: int  # of them, where a participant's route was developed (approved)
    routes_developed: int  # the participants' routes that were approved
    routes_completed_full: int  # of them completed (or archived) with outcome "achieved fully"
    routes_completed_partial: int  # … with outcome "achieved partly"
    routes_finished: int  # of them completed (or archived) whatever the outcome: the step «Реализовал ИОМ»
    participants: int
    participants_all_steps: int  # participants with all four steps
    events: list[EventFigure]  # the project's events with their attendance (distinct people)
    attendance_total: int  # sum of the events' attendance
    people_attended: int  # distinct people who attended at least one of the events
    organisation_names: tuple[str, ...] = ()  # the participants' organisations, in list order

    @property
    def routes_completed(self) -> int:
        """Successfully implemented (spec: completed with outcome achieved fully or partly)."""
        return self.routes_completed_full + self.routes_completed_partial


def project_routes(project: Project) -> QuerySet[Route]:
    """Routes developed in the project: the participants' routes, approved."""
    return Route.objects.filter(project_participations__project=project, approved_on__isnull=False)


def project_figures(project: Project, participants: list[ParticipantSteps] | None = None) -> ProjectFigures:
    if participants is None:
        participants = project_participants(project)
    finished = (Route.Status.COMPLETED, Route.Status.ARCHIVED)
    organisations: dict[int, tuple] = {}
    with_route: set[int] = set()
    routes = []
    for p in participants:
        org, route = p.participant.person.organisation, p.participant.route
        organisations[org.pk] = (org.order, org.short_name)
        if route is not None and route.approved_on is not None:
            routes.append(route)
            with_route.add(org.pk)
    done = [r for r in routes if r.status in finished]
    events = list(
        project.events.select_related("municipality", "organisation")
        .annotate(attendance=Count("attendances"))
        .order_by("held_on", "pk")
    )
    people = Attendance.objects.filter(event__in=project.events.all()).values("person").distinct().count()
    return ProjectFigures(
        organisations_total=len(organisations),
        organisations_with_route=len(with_route),
        routes_developed=len(routes),
        routes_completed_full=sum(1 for r in done if r.outcome == Route.Outcome.FULL),
        routes_completed_partial=sum(1 for r in done if r.outcome == Route.Outcome.PARTIAL),
        routes_finished=len(done),
        participants=len(participants),
        participants_all_steps=sum(1 for p in participants if p.all_done),
        events=[EventFigure(e, e.attendance) for e in events],
        attendance_total=sum(e.attendance for e in events),
        people_attended=people,
        organisation_names=tuple(name for _order, name in sorted(organisations.values())),
    )


def project_event_candidates(project: Project) -> QuerySet[Event]:
    """Events of the project's municipality held within its period."""
    return Event.objects.filter(
        municipality_id=project.municipality_id, held_on__range=(project.starts_on, project.ends_on)
    ).select_related("organisation", "municipality")
