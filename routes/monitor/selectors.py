"""Reads of the implementation monitor: staff members of the user's scope, each with their current route.

A row is a staff member (working, of an organisation in the user's "route.view" scope), not a route: a person
without a route of the year is a row too («Нет ИОМ»). The person's current route is their newest route of the
chosen academic year (every year: their newest), a withdrawn one not counted.

Progress and overdue are the registry's figures read per route (routes/figures.py): progress is done ÷ all
activities of the roadmap (roadmap_activities_done), overdue the activities not done past their deadline in a
route «Реализуется» (overdue_activities), the deadline compared with the school's own date (schools.timezones).
Every column is an annotation of one query, so the list filters and sorts in the database, and a page costs a
fixed number of queries whatever its size (monitor_page).
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Greatest, NullIf
from django.utils import timezone

from core.numbers import percent
from routes.models import Evidence, RoadmapActivity, Route, Transition
from schools.access import scope_q
from schools.models import StaffMember
from schools.timezones import before_local_today

Status = Route.Status
NONE = "none"

# The states in the order of the life of a route; the totals on top and the state filter list them so.
STATES: list[tuple[str, str]] = [
    (NONE, "Нет ИОМ"),
    (Status.DRAFT, Status.DRAFT.label),
    (Status.SUBMITTED, Status.SUBMITTED.label),
    (Status.RETURNED, Status.RETURNED.label),
    (Status.AWAITING_CREDIT, "Ожидает зачета"),
    (Status.NOT_CREDITED, Status.NOT_CREDITED.label),
    (Status.IN_PROGRESS, Status.IN_PROGRESS.label),
    (Status.EXPIRED, Status.EXPIRED.label),
    (Status.RESULTS_SUBMITTED, Status.RESULTS_SUBMITTED.label),
    (Status.COMPLETED, Status.COMPLETED.label),
    (Status.ARCHIVED, Status.ARCHIVED.label),
]
STATE_LABELS = dict(STATES)

# sort key → the annotations it orders by (a leading "-" in the query reverses it)
SORTS = {
    "name": ("person_name",),
    "organisation": ("organisation__short_name", "person_name"),
    "state": ("state", "person_name"),
    "progress": ("progress", "person_name"),
    "overdue": ("overdue", "person_name"),
    "activity": ("last_activity", "person_name"),
}
SORT_LABELS = {"name": "ФИО", "organisation": "Организация", "state": "Состояние", "progress": "Выполнение",
               "overdue": "Просрочено", "activity": "Последняя активность"}


def current_route(year: str | None) -> QuerySet[Route]:
    """The outer staff member's current route (a subquery): their newest of `year`, none withdrawn."""
    routes = Route.objects.filter(person=OuterRef("pk")).exclude(status=Status.WITHDRAWN)
    if year:
        return routes.filter(academic_year=year).order_by("-pk")
    return routes.order_by("-academic_year", "-pk")


def _count(activities: QuerySet[RoadmapActivity]) -> Coalesce:
    counted = activities.filter(route_id=OuterRef("route_id")).order_by().values("route_id").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)


def _latest(model, field: str):
    rows = model.objects.filter(**{("route_id" if model is Transition else "activity__route_id"): OuterRef("route_id")})
    return Subquery(rows.order_by(f"-{field}").values(field)[:1], output_field=DateTimeField())


def overdue_q(prefix: str = "") -> Q:
    """The registry's overdue activity (overdue_activities) seen from RoadmapActivity (`prefix` ""), on the
    school's own date."""
    return Q(is_done=False, route__status=Status.IN_PROGRESS) & before_local_today(
        "deadline", region="route__organisation__municipality__region")


def monitor_rows(user, year: str | None) -> QuerySet[StaffMember]:
    """Working staff of the user's scope, annotated: route_id, state, total, done, overdue, progress (percent,
    a float: None without activities), last_activity, has_mentor, person_name (for the sort)."""
    route = current_route(year)
    today = timezone.localdate()
    mentoring = StaffMember.objects.filter(
        Q(mentoring_as_mentor__ends_on__isnull=True) | Q(mentoring_as_mentor__ends_on__gte=today),
        mentoring_as_mentor__mentee=OuterRef("pk"), mentoring_as_mentor__starts_on__lte=today)
    transition_at, evidence_at = _latest(Transition, "at"), _latest(Evidence, "uploaded_at")
    return (
        StaffMember.objects.filter(scope_q(user, "route.view"), status=StaffMember.Status.WORKING)
        .annotate(route_id=Subquery(route.values("pk")[:1]))
        .annotate(
            state=Coalesce(Subquery(route.values("status")[:1]), Value(NONE)),
            total=_count(RoadmapActivity.objects.all()),
            done=_count(RoadmapActivity.objects.filter(is_done=True)),
            overdue=_count(RoadmapActivity.objects.filter(overdue_q())),
            last_activity=Greatest(Coalesce(transition_at, evidence_at), Coalesce(evidence_at, transition_at)),
            mentor_id=Subquery(mentoring.values("pk")[:1]),
            has_mentor=Exists(mentoring),
            person_name=F("last_name"),
        )
        .annotate(progress=Cast(F("done"), FloatField()) * 100.0 / NullIf(F("total"), 0))
    )


def sorted_rows(rows: QuerySet[StaffMember], sort: str) -> QuerySet[StaffMember]:
    descending = sort.startswith("-")
    keys = SORTS.get(sort.lstrip("-"), SORTS["organisation"])
    order = []
    for i, key in enumerate(keys):
        expression = F(key)
        order.append(expression.desc(nulls_last=True) if descending and i == 0 else expression.asc(nulls_last=True))
    return rows.order_by(*order, "first_name", "middle_name", "pk")


def state_totals(rows: QuerySet[StaffMember]) -> list[tuple[str, str, int]]:
    """(state, label, count) of every state present in `rows`, in the life order: one grouped query."""
    counts = dict(rows.order_by().values_list("state").annotate(n=Count("pk", distinct=True)))
    return [(code, label, counts[code]) for code, label in STATES if counts.get(code)]


@dataclass
class MonitorRow:
    person: StaffMember
    route: Route | None
    state: str
    state_label: str
    total: int
    done: int
    overdue: int
    progress: object  # Decimal | None: core.numbers.percent, as every figure of the portal
    progress_value: int
    last_activity: object
    mentor: StaffMember | None
    refusal: str  # «Не зачтен»: the reason the credit was refused with


def rows_of(people) -> list[MonitorRow]:
    """The page's rows with their route, mentor and refusal reason: three queries whatever the page's size."""
    people = list(people)
    route_ids = [p.route_id for p in people if p.route_id]
    routes = Route.objects.filter(pk__in=route_ids).select_related("organisation__municipality").in_bulk()
    mentors = StaffMember.objects.filter(pk__in=[p.mentor_id for p in people if p.mentor_id]).in_bulk()
    refusals = {}
    refused = [pk for pk in route_ids if routes[pk].status == Status.NOT_CREDITED]
    for route_id, comment in (Transition.objects.filter(route_id__in=refused, action="refuse_credit")
                              .order_by("route_id", "at", "pk").values_list("route_id", "comment")):
        refusals[route_id] = comment  # the last refusal wins
    rows = []
    for person in people:
        value = percent(person.done, person.total)
        rows.append(MonitorRow(
            person=person, route=routes.get(person.route_id), state=person.state,
            state_label=STATE_LABELS.get(person.state, person.state), total=person.total, done=person.done,
            overdue=person.overdue, progress=value, progress_value=int(value or 0),
            last_activity=timezone.localtime(person.last_activity).date() if person.last_activity else None, mentor=mentors.get(person.mentor_id),
            refusal=refusals.get(person.route_id, ""),
        ))
    return rows


def monitor_page(rows: QuerySet[StaffMember], number, per_page: int = 50):
    """A page of the monitor: the ids in the list's order, then the page's people with every column."""
    page = Paginator(rows.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    found = rows.filter(pk__in=ids).select_related("organisation").in_bulk()
    page.object_list = rows_of(found[pk] for pk in ids)
    return page


def monitor_years(user) -> list[str]:
    """The academic years of the scope's routes, newest first."""
    return list(Route.objects.filter(scope_q(user, "route.view")).exclude(status=Status.WITHDRAWN)
                .order_by("-academic_year").values_list("academic_year", flat=True).distinct())


def overdue_activities_of(route: Route) -> list[RoadmapActivity]:
    """The route's overdue activities (the registry's definition) for the monitor's overdue badge."""
    return list(RoadmapActivity.objects.filter(overdue_q(), route=route).select_related("kind", "group")
                .order_by("deadline", "pk"))
