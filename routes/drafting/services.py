"""«Составить ИОМ по результатам диагностики»: a draft route from the person's open deficits.

One task per open deficit; for each, at most settings.DRAFT_ACTIVITIES_PER_DEFICIT activities from
the catalog that develop that competency, the most relevant first (resources aimed at that competency
alone before broader ones, then federal-registry courses, other courses, other kinds; one per kind,
no resource twice in one route), courses only while the yearly budget of course hours
(settings.DRAFT_COURSE_HOURS_PER_YEAR per year of the period) lasts — or, where the catalog has
nothing, a self-education activity. Deadlines are spread over the school days of the period from
the planning date (the later of its start and today): never on a public holiday, a Sunday or the
region's school holidays (schools.academic_calendar). Rows are numbered in date order; expected
results name the resource. Drafting into an existing draft adds tasks only for the deficits it does
not address yet and leaves the teacher's text and rows alone. The teacher then edits the draft freely.

The same `plan_for` builds the preview the teacher sees and the route that is written, so the
draft is exactly what was shown.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from core import words
from core.dates import current_academic_year
from diagnostics.models import CompetencyGroup, Deficit
from diagnostics.selectors import open_deficits_of
from diagnostics.services import DiagnosticsError, deficits_take_into_work
from routes.models import ActivityKind, CatalogResource, Level, RoadmapActivity, Route, RouteTask
from routes.roadmap.services import route_create
from routes.services import RouteError, lock_route, validate_period
from schools.academic_calendar import AcademicCalendar
from schools.models import StaffMember
from schools.timezones import local_today

# A course of the catalog without its hours counts as this many against the budget (a usual short КПК).
UNKNOWN_COURSE_HOURS = 36

# What a finished activity of each kind leaves behind (seed 004: «подтверждающий документ»).
CONFIRMING_DOCUMENT = {
    "course": "Удостоверение о повышении квалификации",
    "seminar": "Сертификат участника",
    "webinar": "Сертификат участника",
    "conference": "Программа конференции, текст выступления",
    "rmo": "Протокол заседания",
    "self_education": "Конспект, план применения в работе",
    "open_lesson": "Технологическая карта урока, самоанализ",
    "master_class": "Сертификат, разработка мастер-класса",
    "experience": "Текст выступления, презентация",
    "contest": "Диплом, сертификат участника",
    "olympiad": "Диплом, сертификат участника",
    "publication": "Ссылка на публикацию",
    "mentoring": "План работы наставнической пары, отзыв",
    "expert": "Приказ о составе комиссии, справка",
}
EXPECTED_RESULT = {
    "course": "Освоена программа повышения квалификации, знания применены в работе",
    "self_education": "Изучены материалы, приемы применены на уроках",
}


class DraftingError(RouteError):
    """Drafting refused (no deficits, a route already exists…); the message is shown to the user."""


@dataclass
class PlannedActivity:
    title: str
    kind: ActivityKind
    level: str
    deadline: dt.date
    resource: CatalogResource | None
    note: str = ""
    competency_name: str = ""

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @property
    def course_hours(self) -> int:
        return course_hours(self.resource) if self.resource is not None else 0

    @property
    def expected_result(self) -> str:
        """What this very resource leaves: its title, hours and the competency it develops."""
        topic = f" по компетенции {words.quote(self.competency_name)}" if self.competency_name else ""
        if self.resource is None:
            return EXPECTED_RESULT.get(self.kind.code, "Приемы и материалы применены в работе")[:500]
        title = words.quote(self.resource.title)
        if self.resource.kind == CatalogResource.Kind.COURSE:
            hours = f" ({self.resource.hours} ч)" if self.resource.hours else ""
            text = f"Освоена программа {title}{hours}; приемы{topic} применены на уроках"
        elif self.resource.kind == CatalogResource.Kind.LITERATURE:
            text = f"Изучено издание {title}; отобраны приемы{topic} для своих уроков"
        elif self.resource.kind == CatalogResource.Kind.ONLINE:
            text = f"Изучены материалы {title}; приемы{topic} применены в работе"
        else:
            text = f"Участие в мероприятии {title}; приемы{topic} применены в работе"
        return text[:500]

    @property
    def confirming_document(self) -> str:
        return CONFIRMING_DOCUMENT.get(self.kind.code, "Справка, ссылка на материалы")


@dataclass
class PlannedTask:
    deficit: Deficit
    section: CompetencyGroup
    activities: list[PlannedActivity] = field(default_factory=list)

    @property
    def problem(self) -> str:
        return f"{self.deficit.competency.code} {self.deficit.competency.name}"[:500]

    @property
    def educational_task(self) -> str:
        latest = getattr(self.deficit, "latest_value", None)
        threshold = (self.deficit.source_score.assessment.instrument.threshold
                     if self.deficit.source_score_id else None)
        text = f"Развить компетенцию «{self.deficit.competency.name}»"
        if latest is not None and threshold is not None:
            text += f": поднять балл с {latest} до {threshold} и выше"
        return text[:500]


def course_hours(resource: CatalogResource) -> int:
    """The hours a catalog resource takes from the yearly budget: only courses count."""
    if resource.kind != CatalogResource.Kind.COURSE:
        return 0
    return resource.hours or UNKNOWN_COURSE_HOURS


def _rank(resource: CatalogResource) -> tuple:
    """The most relevant first: aimed at fewer competencies (so at this one), then registry courses,
    other courses, the rest; higher levels before lower ones."""
    is_course = resource.kind == CatalogResource.Kind.COURSE
    level_rank = {Level.FEDERAL: 0, Level.REGIONAL: 1, Level.MUNICIPAL: 2, Level.SCHOOL: 3}.get(resource.level, 4)
    breadth = len(resource.competencies.all())
    return (breadth, not (is_course and resource.in_federal_registry), not is_course, level_rank, resource.title)


def choose_resources(candidates: list[CatalogResource], used: set[int], hours_left: int | None = None,
                     limit: int | None = None) -> list[CatalogResource]:
    """At most `limit` (settings.DRAFT_ACTIVITIES_PER_DEFICIT), the most relevant first, one per kind of
    activity; a course only if its hours fit in `hours_left` (None: no budget).

    A resource already proposed for another task of the route is not proposed again: one
    seminar is one row of the roadmap.
    """
    limit = settings.DRAFT_ACTIVITIES_PER_DEFICIT if limit is None else limit
    chosen: list[CatalogResource] = []
    kinds_taken: set[int] = set()
    for resource in sorted(candidates, key=_rank):
        if len(chosen) == limit:
            break
        if resource.pk in used or resource.activity_kind_id in kinds_taken:
            continue
        hours = course_hours(resource)
        if hours_left is not None and hours > hours_left:
            continue
        chosen.append(resource)
        kinds_taken.add(resource.activity_kind_id)
        if hours_left is not None:
            hours_left -= hours
    return chosen


def spread_deadlines(count: int, starts_on: dt.date, ends_on: dt.date) -> list[dt.date]:
    """`count` dates evenly inside the period: the i-th at (i+1)/(count+1) of it, never outside it."""
    span = (ends_on - starts_on).days
    return [starts_on + dt.timedelta(days=span * (i + 1) // (count + 1)) for i in range(count)]


def spread_over_school_days(count: int, school_days: list[dt.date]) -> list[dt.date]:
    """`count` school days evenly among `school_days` (in order): holidays and vacations are never chosen."""
    if not school_days:
        return []
    n = len(school_days)
    return [school_days[min(n - 1, n * (i + 1) // (count + 1))] for i in range(count)]


def years_of(starts_on: dt.date, ends_on: dt.date) -> int:
    """How many years of the budget a period has: a started year counts whole (half a year: one)."""
    return max(1, -(-((ends_on - starts_on).days + 1) // 366))


def hours_budget(starts_on: dt.date, ends_on: dt.date) -> int:
    return settings.DRAFT_COURSE_HOURS_PER_YEAR * years_of(starts_on, ends_on)


def _resource_note(resource: CatalogResource) -> str:
    parts = [resource.provider]
    if resource.hours:
        parts.append(f"{resource.hours} ч")
    if resource.in_federal_registry:
        parts.append("федеральный реестр ДПП")
    return ", ".join(p for p in parts if p)[:500]


@dataclass
class Plan:
    """The draft: its tasks, and how it was planned (shown on the drafting page)."""

    tasks: list[PlannedTask]
    plan_from: dt.date
    ends_on: dt.date
    budget: int
    calendar: AcademicCalendar

    def __iter__(self):
        return iter(self.tasks)

    def __len__(self):
        return len(self.tasks)

    def __bool__(self):
        return bool(self.tasks)

    def __getitem__(self, index):
        return self.tasks[index]

    @property
    def activities(self) -> list[PlannedActivity]:
        return sorted((a for t in self.tasks for a in t.activities), key=lambda a: a.deadline)

    @property
    def course_hours(self) -> int:
        return sum(a.course_hours for a in self.activities)


def plan_from_date(starts_on: dt.date, ends_on: dt.date, today: dt.date) -> dt.date:
    """Suggestions start at the later of the period's start and today (a past start is the teacher's,
    for activities already done; nothing is suggested in the past)."""
    return min(max(starts_on, today), ends_on)


def plan_for(deficits: list[Deficit], starts_on: dt.date, ends_on: dt.date, *, region=None,
             today: dt.date | None = None, used: set[int] | None = None, hours_spent: int = 0) -> Plan:
    """The draft's tasks and activities for these deficits, planned on the region's academic calendar.

    `used`: catalog resources already in the route (not proposed again); `hours_spent`: course hours
    the route already has (drafting into an existing draft). Three queries (catalog, kinds, holidays)."""
    today = today or dt.date.today()
    competency_ids = {d.competency_id for d in deficits}
    by_competency: dict[int, list[CatalogResource]] = defaultdict(list)
    for resource in (
        CatalogResource.objects.filter(is_active=True, competencies__in=competency_ids)
        .select_related("activity_kind").prefetch_related("competencies").distinct()
    ):
        for competency in resource.competencies.all():
            if competency.pk in competency_ids:
                by_competency[competency.pk].append(resource)
    self_education = ActivityKind.objects.get(code="self_education")
    used = set(used or ())
    budget = hours_budget(starts_on, ends_on)
    hours_left = max(0, budget - hours_spent)
    tasks = []
    for deficit in deficits:
        task = PlannedTask(deficit=deficit, section=deficit.competency.group.section)
        chosen = choose_resources(by_competency.get(deficit.competency_id, []), used, hours_left)
        for resource in chosen:
            used.add(resource.pk)
            hours_left -= course_hours(resource)
            task.activities.append(PlannedActivity(
                title=resource.title, kind=resource.activity_kind, level=resource.level, deadline=starts_on,
                resource=resource, note=_resource_note(resource), competency_name=deficit.competency.name,
            ))
        if not chosen:
            task.activities.append(PlannedActivity(
                title=f"Самообразование: изучение литературы и опыта коллег по теме «{deficit.competency.name}»",
                kind=self_education, level=Level.SCHOOL, deadline=starts_on, resource=None,
                note="В каталоге нет других ресурсов по этой компетенции (или они не вписываются в бюджет часов "
                     "курсов): подберите мероприятие сами.",
                competency_name=deficit.competency.name,
            ))
        tasks.append(task)
    first = plan_from_date(starts_on, ends_on, today)
    calendar = AcademicCalendar(region, first, ends_on)
    activities = [a for t in tasks for a in t.activities]
    deadlines = spread_over_school_days(len(activities), calendar.school_days()) \
        or spread_deadlines(len(activities), first, ends_on)
    for activity, deadline in zip(activities, deadlines, strict=True):
        activity.deadline = deadline
    return Plan(tasks=tasks, plan_from=first, ends_on=ends_on, budget=budget, calendar=calendar)


def drafting_deficits(person: StaffMember) -> list[Deficit]:
    return list(open_deficits_of(person))


def _summary(tasks: list[PlannedTask]) -> str:
    lines = []
    for task in tasks:
        d = task.deficit
        source = d.source_label
        score = f", балл {d.latest_value}" if getattr(d, "latest_value", None) is not None else ""
        lines.append(f"{d.competency.code} {d.competency.name} ({source}{score})")
    return "Выявленные профессиональные дефициты: " + "; ".join(lines) + "."


def _addressed(route: Route) -> set[int]:
    """The deficits the route addresses already: linked to it or to one of its tasks."""
    return set(route.deficits.values_list("pk", flat=True)) | set(
        route.tasks.exclude(deficit=None).values_list("deficit_id", flat=True))


def _hours_spent(route: Route) -> int:
    return sum(course_hours(a.resource) if a.resource is not None else UNKNOWN_COURSE_HOURS
               for a in route.activities.select_related("resource", "kind") if a.kind.code == "course")


def existing_draft(person: StaffMember) -> Route | None:
    """The person's route of the current academic year, if drafting may add to it (its content is editable)."""
    year = current_academic_year(local_today(person.organisation))
    return Route.objects.filter(person=person, academic_year=year, status__in=Route.EDITABLE_STATUSES).first()


def deficits_to_add(person: StaffMember, route: Route | None) -> list[Deficit]:
    """The open deficits a drafting would address: all of them, or those the existing draft does not yet."""
    deficits = drafting_deficits(person)
    if route is None:
        return deficits
    addressed = _addressed(route)
    return [d for d in deficits if d.pk not in addressed]


def plan_for_route(route: Route, deficits: list[Deficit], today: dt.date) -> Plan:
    """The suggestions to add to an existing draft: its period, its resources and course hours counted."""
    used = set(route.activities.exclude(resource=None).values_list("resource_id", flat=True))
    return plan_for(deficits, route.starts_on, route.ends_on, region=route.organisation.municipality.region,
                    today=today, used=used, hours_spent=_hours_spent(route))


@transaction.atomic
def draft_route_from_deficits(*, actor, person: StaffMember, starts_on: dt.date | None = None,
                              ends_on: dt.date | None = None) -> Route:
    """Draft the person's route of the current academic year from their open deficits.

    No route this year: it is created by the lifecycle's own `route_create` (rights: the person
    themselves; the creation is logged), with the period given, and filled with the plan. A route whose
    content is editable (a draft, returned, not credited): the plan for the deficits it does not address
    yet is added as new tasks and rows after the teacher's, in its own period; what the teacher wrote
    (the note's filled fields, the rows) stays as it is. The deficits are linked and taken into work.
    """
    if person.user_id != actor.pk:
        raise PermissionDenied("Составить ИОМ по результатам диагностики можно только себе.")
    today = local_today(person.organisation)
    route = existing_draft(person)
    if route is not None:
        lock_route(route)
        if route.status not in Route.EDITABLE_STATUSES:
            raise DraftingError(f"ИОМ в статусе «{route.get_status_display()}» сейчас не редактируется.")
        deficits = deficits_to_add(person, route)
        if not deficits:
            raise DraftingError("Все открытые дефициты уже есть в вашем ИОМ: добавлять нечего.")
        tasks = plan_for_route(route, deficits, today).tasks
    else:
        deficits = drafting_deficits(person)
        if not deficits:
            raise DraftingError("Открытых дефицитов нет: сначала пройдите диагностику.")
        route = route_create(actor=actor, person=person)
        if starts_on or ends_on:
            validate_period(starts_on, ends_on)
            route.starts_on, route.ends_on = starts_on, ends_on
        tasks = plan_for(deficits, route.starts_on, route.ends_on, region=route.organisation.municipality.region,
                         today=today).tasks
    _fill_note(route, tasks)
    task_order = (route.tasks.aggregate(m=Max("order"))["m"] or -1) + 1
    order = (route.activities.aggregate(m=Max("order"))["m"] or -1) + 1
    created_tasks = {}
    for task in tasks:
        created_tasks[task.deficit.pk] = RouteTask.objects.create(
            route=route, deficit=task.deficit, problem=task.problem, educational_task=task.educational_task,
            order=task_order,
        )
        task_order += 1
    # The rows in date order: the roadmap lists them by section, then by this order.
    for task, activity in sorted(((t, a) for t in tasks for a in t.activities), key=lambda pair: pair[1].deadline):
        RoadmapActivity.objects.create(
            route=route, task=created_tasks[task.deficit.pk], group=task.section, kind=activity.kind,
            level=activity.level, title=activity.title[:500], deadline=activity.deadline,
            expected_result=activity.expected_result, confirming_document=activity.confirming_document,
            note=activity.note, resource=activity.resource, order=order,
        )
        order += 1
    route.deficits.add(*deficits)
    try:
        deficits_take_into_work(actor=actor, deficits=deficits)
    except DiagnosticsError as exc:
        raise DraftingError(str(exc)) from exc
    return route


def _fill_note(route: Route, tasks: list[PlannedTask]) -> None:
    """The explanatory note is drafted too, so the route can go to review as soon as the teacher agrees;
    only its empty fields are filled: what the teacher wrote stays."""
    drafted = {
        "diagnostics_summary": _summary(tasks),
        "topic": tasks[0].deficit.competency.name,
        "goal": "Преодоление выявленных профессиональных дефицитов",
        "tasks_text": "\n".join(f"{i}. {t.educational_task}." for i, t in enumerate(tasks, start=1)),
        "self_education_form": "Индивидуальная: курсы, участие в мероприятиях, самообразование",
        "expected_result": "Дефициты преодолены: по повторной диагностике балл по каждой компетенции не ниже порога.",
        "reporting_form": "Подтверждающие документы в портале, выступление на заседании ШМО",
    }
    filled = [name for name, text in drafted.items() if not (getattr(route, name) or "").strip()]
    for name in filled:
        setattr(route, name, drafted[name])
    route.save(update_fields=["starts_on", "ends_on", *filled, "updated_at"])


# ---------------------------------------------------------------- one catalog resource into the roadmap
#
# «Добавить в ИОМ» on the catalog page and the catalog picker of the row editor: one resource becomes one
# row with what drafting would have written for it (section, kind, level, expected result, document).

ADDABLE_STATUSES = (*Route.EDITABLE_STATUSES, Route.Status.IN_PROGRESS)  # roadmap_services.activity_add's own


def route_for_additions(person: StaffMember | None) -> Route | None:
    """The person's route rows can be added to now: the latest one in a state whose roadmap takes new rows."""
    if person is None:
        return None
    return (Route.objects.filter(person=person, status__in=ADDABLE_STATUSES)
            .select_related("organisation__municipality__region").order_by("-starts_on", "-pk").first())


def resource_row(route: Route, resource: CatalogResource, today: dt.date | None = None) -> dict:
    """The row for `resource` in `route` (not saved): the section and task of the deficit it develops if the
    route addresses one, the next school day a month ahead (within the period) as the deadline."""
    today = today or local_today(route.organisation)
    competencies = list(resource.competencies.select_related("group__roadmap_section"))
    task = (RouteTask.objects.filter(route=route, deficit__competency__in=competencies)
            .select_related("deficit__competency").order_by("order").first())
    competency = task.deficit.competency if task else (competencies[0] if competencies else None)
    section = (competency.group.section if competency else
               CompetencyGroup.objects.filter(in_roadmap=True).order_by("order").first())
    planned = PlannedActivity(title=resource.title, kind=resource.activity_kind, level=resource.level,
                              deadline=today, resource=resource, note=_resource_note(resource),
                              competency_name=competency.name if competency else "")
    start = plan_from_date(route.starts_on, route.ends_on, today)
    calendar = AcademicCalendar(route.organisation.municipality.region, start, route.ends_on)
    wanted = min(start + dt.timedelta(days=30), route.ends_on)
    deadline = calendar.nearest_school_day(wanted) or wanted
    return {
        "task": task, "group": section, "kind": resource.activity_kind, "level": resource.level,
        "title": resource.title[:500], "deadline": deadline, "expected_result": planned.expected_result,
        "confirming_document": planned.confirming_document, "note": planned.note, "resource": resource,
    }


@transaction.atomic
def resource_add_to_route(*, actor, route: Route, resource: CatalogResource) -> RoadmapActivity:
    """«Добавить в ИОМ»: the resource as a new row of the actor's route, through the roadmap's activity_add
    (its rights, states, period check and, in a route under way, its amendment log)."""
    from routes.roadmap.services import activity_add

    lock_route(route)
    if route.activities.filter(resource=resource).exists():
        raise DraftingError(f"Ресурс {words.quote(resource.title)} уже есть в вашем ИОМ.")
    if not resource.is_active:
        raise DraftingError("Этот ресурс больше не действует.")
    return activity_add(actor=actor, route=route, data=resource_row(route, resource), expected_version=route.version)
