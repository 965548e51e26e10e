"""The chain of every demo route: diagnostics → deficits → tasks → activities → marks and evidence → outcome.

Routes of past years are written as a registry file of their year would load them (rows, not lifecycle
calls): `roadmap` drafts their roadmap with the drafting service's own planner (routes.drafting.services.
plan_for: catalog resources per deficit), `link` ties existing activities to the deficits' tasks (the city of
seed 001, whose activities are fixed by the audit's counts), `finish` leaves the deficits in the state the
route's stage leaves them (in work while implemented; overcome by the final diagnostics as far as the
outcome says). Deadlines fall on school days outside the holidays.
"""

import datetime as dt

from devdata.demo_audit import school_day
from devdata.demo_diagnostics import Diagnostics, overcome_count
from diagnostics.models import Deficit
from routes.drafting.services import CONFIRMING_DOCUMENT, plan_for
from routes.models import Evidence, RoadmapActivity, Route, RouteTask

# What each kind of activity leaves in the teacher's work, on the deficit's competency.
EXPECTED = {
    "course": "Программа КПК освоена; приемы по теме «{what}» включены в планирование уроков",
    "seminar": "Освоены приемы по теме «{what}», составлен план их применения",
    "webinar": "Изучен опыт коллег по теме «{what}», отобраны приемы для своих уроков",
    "conference": "Подготовлено выступление о результатах работы по теме «{what}»",
    "rmo": "Представлены материалы по теме «{what}» коллегам методического объединения",
    "self_education": "Составлен конспект и подборка заданий по теме «{what}»",
    "open_lesson": "Проведен урок с применением освоенных приемов; самоанализ и отзывы коллег",
    "master_class": "Проведен мастер-класс для коллег, разработка размещена в методической копилке",
    "experience": "Опыт работы по теме «{what}» описан и представлен коллегам",
    "contest": "Подготовлена конкурсная разработка по теме «{what}»",
    "olympiad": "Пройдены задания олимпиады, выявлены темы для углубления",
    "publication": "Опубликована методическая разработка по теме «{what}»",
    "mentoring": "Составлен и выполнен план работы наставнической пары",
    "expert": "Проведена экспертиза работ, подготовлено заключение",
    "attestation": "Подтверждена квалификационная категория",
    "internship": "Изучен опыт школы-стажировочной площадки, составлен план внедрения",
}
EVIDENCE_KIND = {"course": Evidence.Kind.LICENCE, "publication": Evidence.Kind.PUBLICATION,
                 "contest": Evidence.Kind.DIPLOMA, "olympiad": Evidence.Kind.DIPLOMA,
                 "open_lesson": Evidence.Kind.STATEMENT, "rmo": Evidence.Kind.STATEMENT,
                 "self_education": Evidence.Kind.LINK, "expert": Evidence.Kind.STATEMENT}


def safe_day(day: dt.date) -> dt.date:
    """A school day for an activity: not a weekend, not the school holidays of the demo region (devdata.
    demo_calendar: autumn 26 Oct – 3 Nov and 4 November; winter, here from 24 Dec, to 11 Jan; spring 23–31
    March; the summer, June–August: moved back to mid-May)."""
    if day.month in (6, 7, 8):
        day = dt.date(day.year, 5, 15)
    if (day.month == 10 and day.day >= 26) or (day.month == 11 and day.day <= 4):
        day = dt.date(day.year, 11, 5)
    if (day.month == 12 and day.day >= 24) or (day.month == 1 and day.day <= 11):
        day = dt.date(day.year if day.month == 1 else day.year + 1, 1, 12)
    if day.month == 3 and day.day >= 23:
        day = dt.date(day.year, 4, 1)
    day = school_day(day)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def spread(count: int, first: dt.date, last: dt.date, shift: int = 0) -> list[dt.date]:
    """`count` school days from `first` to `last`, evenly, each shifted by up to a few days per route."""
    span = max((last - first).days, 1)
    return sorted(safe_day(first + dt.timedelta(days=span * (k + 1) // (count + 1) - (shift + k) % 5))
                  for k in range(count))


def expected(kind_code: str, what: str) -> str:
    return EXPECTED.get(kind_code, "Приемы по теме «{what}» применены в работе").format(what=what.lower())[:500]


def tasks_of(route: Route, deficits: list[Deficit]) -> list[RouteTask]:
    route.deficits.add(*deficits)
    return RouteTask.objects.bulk_create(
        RouteTask(route=route, deficit=d, problem=f"{d.competency.code} {d.competency.name}"[:500],
                  educational_task=f"Развить компетенцию «{d.competency.name}»"[:500], order=k)
        for k, d in enumerate(deficits)
    )


def roadmap(route: Route, deficits: list[Deficit], first: dt.date, last: dt.date) -> list[RoadmapActivity]:
    """The route's tasks (one per deficit) and activities planned from the catalog, unsaved, deadlines set."""
    tasks = tasks_of(route, deficits)
    planned = plan_for(deficits, first, last)
    rows = []
    for task, plan in zip(tasks, planned, strict=True):
        for activity in plan.activities:
            rows.append(RoadmapActivity(
                route=route, task=task, group=plan.section, kind=activity.kind, level=activity.level,
                title=activity.title[:500], resource=activity.resource, note=activity.note[:500],
                expected_result=expected(activity.kind.code, task.deficit.competency.name),
                confirming_document=CONFIRMING_DOCUMENT.get(activity.kind.code, "Справка, ссылка на материалы"),
                deadline=first,
            ))
    # the courses and reading open the year, open lessons and publications close it
    early = ("self_education", "course", "webinar", "seminar")
    rows.sort(key=lambda a: early.index(a.kind.code) if a.kind.code in early else len(early))
    for k, (activity, deadline) in enumerate(zip(rows, spread(len(rows), first, last, route.pk), strict=True)):
        activity.deadline, activity.order = deadline, k
    return rows


def link(route: Route, deficits: list[Deficit], activities: list[RoadmapActivity]) -> None:
    """Tie a route's existing activities to the tasks of its deficits: the task of the same roadmap section
    when there is one, else in turn (the caller saves the activities)."""
    tasks = tasks_of(route, deficits)
    by_section = {t.deficit.competency.group.section.pk: t for t in tasks}
    for k, activity in enumerate(activities):
        activity.task = by_section.get(activity.group_id, tasks[k % len(tasks)])
        if activity.expected_result == activity.confirming_document:
            activity.expected_result = expected(activity.kind.code, activity.task.deficit.competency.name)


def evidence(activities: list[RoadmapActivity], uploaded_by=None) -> list[Evidence]:
    """A link to the confirming document of every done activity (saved activities)."""
    return [Evidence(activity=a, kind=EVIDENCE_KIND.get(a.kind.code, Evidence.Kind.CERTIFICATE),
                     url=f"https://docs.example.org/iom/{a.route_id}/{a.pk}", uploaded_by=uploaded_by)
            for a in activities if a.is_done]


def finish(pairs: list[tuple[Route, list[Deficit]]], diagnostics: Diagnostics) -> None:
    """Leave the routes' deficits as their stage leaves them: in work from the approval on; after the results
    the final diagnostics (a few days before they were accepted) overcomes as many as the outcome says, the
    rest stay «выявлен» for the next route."""
    finals, in_work = [], []
    for route, deficits in pairs:
        if route.status in (Route.Status.COMPLETED, Route.Status.ARCHIVED):
            finals.append((route.person, deficits, school_day(route.completed_on - dt.timedelta(days=6)),
                           overcome_count(route.outcome, len(deficits))))
        elif route.status in Route.APPROVED_STATUSES and route.status != Route.Status.NOT_CREDITED:
            in_work += [d.pk for d in deficits]
    diagnostics.final_many(finals)
    Deficit.objects.filter(pk__in=in_work, status=Deficit.Status.DETECTED).update(status=Deficit.Status.IN_WORK)
