"""«Составить ИОМ по результатам диагностики»: a draft route from the person's open deficits.

One task per open deficit; for each, one to three activities from the catalog that develop
that competency — a course first (federal-registry courses before others), then other kinds
of activity, no resource proposed twice in one route — or, where the catalog has nothing for
the competency, a self-education activity. Deadlines are spread evenly over the route's
period. The teacher then edits the draft freely in the roadmap editor.

The same `plan_for` builds the preview the teacher sees and the route that is written, so the
draft is exactly what was shown.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction

from diagnostics.models import CompetencyGroup, Deficit
from diagnostics.selectors import open_deficits_of
from diagnostics.services import DiagnosticsError, deficits_take_into_work
from routes.models import ActivityKind, CatalogResource, Level, RoadmapActivity, Route, RouteTask
from routes.roadmap.services import route_create
from routes.services import RouteError, validate_period
from schools.models import StaffMember

MAX_ACTIVITIES_PER_DEFICIT = 3

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

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @property
    def expected_result(self) -> str:
        return EXPECTED_RESULT.get(self.kind.code, "Приемы и материалы применены в работе")

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


def _rank(resource: CatalogResource) -> tuple:
    """Registry courses first, then other courses, then the rest; higher levels before lower ones."""
    is_course = resource.kind == CatalogResource.Kind.COURSE
    level_rank = {Level.FEDERAL: 0, Level.REGIONAL: 1, Level.MUNICIPAL: 2, Level.SCHOOL: 3}.get(resource.level, 4)
    return (not (is_course and resource.in_federal_registry), not is_course, level_rank, resource.title)


def choose_resources(candidates: list[CatalogResource], used: set[int]) -> list[CatalogResource]:
    """Up to three: the best course, then activities of other kinds, one per kind.

    A resource already proposed for another task of the route is not proposed again: one
    seminar is one row of the roadmap.
    """
    chosen: list[CatalogResource] = []
    kinds_taken: set[int] = set()
    for resource in sorted(candidates, key=_rank):
        if len(chosen) == MAX_ACTIVITIES_PER_DEFICIT:
            break
        if resource.pk in used:
            continue
        if resource.activity_kind_id in kinds_taken:
            continue
        chosen.append(resource)
        kinds_taken.add(resource.activity_kind_id)
    return chosen


def spread_deadlines(count: int, starts_on: dt.date, ends_on: dt.date) -> list[dt.date]:
    """`count` dates evenly inside the period: the i-th at (i+1)/(count+1) of it, never outside it."""
    span = (ends_on - starts_on).days
    return [starts_on + dt.timedelta(days=span * (i + 1) // (count + 1)) for i in range(count)]


def _resource_note(resource: CatalogResource) -> str:
    parts = [resource.provider]
    if resource.hours:
        parts.append(f"{resource.hours} ч")
    if resource.in_federal_registry:
        parts.append("федеральный реестр ДПП")
    return ", ".join(p for p in parts if p)[:500]


def plan_for(deficits: list[Deficit], starts_on: dt.date, ends_on: dt.date) -> list[PlannedTask]:
    """The draft's tasks and activities for these deficits. Two queries (catalog, activity kinds)."""
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
    used: set[int] = set()
    tasks = []
    for deficit in deficits:
        task = PlannedTask(deficit=deficit, section=deficit.competency.group.section)
        chosen = choose_resources(by_competency.get(deficit.competency_id, []), used)
        for resource in chosen:
            used.add(resource.pk)
            task.activities.append(PlannedActivity(
                title=resource.title, kind=resource.activity_kind, level=resource.level, deadline=starts_on,
                resource=resource, note=_resource_note(resource),
            ))
        if not chosen:
            task.activities.append(PlannedActivity(
                title=f"Самообразование: изучение литературы и опыта коллег по теме «{deficit.competency.name}»",
                kind=self_education, level=Level.SCHOOL, deadline=starts_on, resource=None,
                note="В каталоге нет других ресурсов по этой компетенции: подберите мероприятие сами.",
            ))
        tasks.append(task)
    activities = [a for t in tasks for a in t.activities]
    for activity, deadline in zip(activities, spread_deadlines(len(activities), starts_on, ends_on), strict=True):
        activity.deadline = deadline
    return tasks


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


@transaction.atomic
def draft_route_from_deficits(*, actor, person: StaffMember, starts_on: dt.date | None = None,
                              ends_on: dt.date | None = None) -> Route:
    """Create the person's draft route for the current academic year from their open deficits.

    The route is created by the lifecycle's own `route_create` (rights: the person themselves;
    one route per academic year; the creation is logged), then filled with the plan. The
    deficits are linked to the route and taken into work.
    """
    if person.user_id != actor.pk:
        raise PermissionDenied("Составить ИОМ по результатам диагностики можно только себе.")
    deficits = drafting_deficits(person)
    if not deficits:
        raise DraftingError("Открытых дефицитов нет: сначала пройдите диагностику.")
    route = route_create(actor=actor, person=person)
    if starts_on or ends_on:
        validate_period(starts_on, ends_on)
        route.starts_on, route.ends_on = starts_on, ends_on
    tasks = plan_for(deficits, route.starts_on, route.ends_on)
    # The explanatory note is drafted too, so the route can go to review as soon as the teacher agrees
    # with it; every field stays editable.
    route.diagnostics_summary = _summary(tasks)
    route.topic = route.topic or tasks[0].deficit.competency.name
    route.goal = "Преодоление выявленных профессиональных дефицитов"
    route.tasks_text = "\n".join(f"{i}. {t.educational_task}." for i, t in enumerate(tasks, start=1))
    route.self_education_form = route.self_education_form or "Индивидуальная: курсы, участие в мероприятиях, самообразование"
    route.expected_result = "Дефициты преодолены: по повторной диагностике балл по каждой компетенции не ниже порога."
    route.reporting_form = route.reporting_form or "Подтверждающие документы в портале, выступление на заседании ШМО"
    route.save(update_fields=["starts_on", "ends_on", "diagnostics_summary", "topic", "goal", "tasks_text",
                              "self_education_form", "expected_result", "reporting_form", "updated_at"])
    order = 0
    for task_order, task in enumerate(tasks):
        route_task = RouteTask.objects.create(
            route=route, deficit=task.deficit, problem=task.problem, educational_task=task.educational_task,
            order=task_order,
        )
        for activity in task.activities:
            RoadmapActivity.objects.create(
                route=route, task=route_task, group=task.section, kind=activity.kind, level=activity.level,
                title=activity.title[:500], deadline=activity.deadline, expected_result=activity.expected_result,
                confirming_document=activity.confirming_document, note=activity.note, resource=activity.resource,
                order=order,
            )
            order += 1
    route.deficits.set(deficits)
    try:
        deficits_take_into_work(actor=actor, deficits=deficits)
    except DiagnosticsError as exc:
        raise DraftingError(str(exc)) from exc
    return route
