"""Demo records of methodical support, made through the services (called at the end of load_demo).

- the municipal centre's events of seed 002 in the first of the two Table 1 years, with the seed's attendance
  (consultation 19, КПК 41, seminar-practicum 15, round table of the deputies), gathered in the
  project «ИОМ в действии» with 60 participants from all 11 organisations and their four steps read from
  their routes (60 developed, 40 successful, 53 with all four steps: docs/figures-decisions.md #12);
- this year's consultation and seminar-practicum, where the demo teacher and the colleagues whose
  routes are under implementation are marked (so they can link them in "Мои мероприятия");
- a ШМО meeting of the demo school, two mentoring pairs there, and its programme of help for the year.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.dates import academic_year_bounds, current_academic_year
from devdata.demo_audit import school_day
from devdata.demo_chains import evidence, finish, link
from devdata.demo_diagnostics import EXTRA_THEME, PRESCHOOL_THEME, Diagnostics
from diagnostics.models import Competency, CompetencyGroup
from methodics.events import services as events
from methodics.mentoring import services as mentoring
from methodics.models import Event, MentoringPair
from methodics.plans import services as plans
from methodics.projects import services as projects
from routes.drafting.services import CONFIRMING_DOCUMENT
from routes.models import ActivityKind, Evidence, RoadmapActivity, Route, Transition
from schools.models import Municipality, Organisation, PositionCategory, StaffMember
from schools.selectors import young_specialist_q

User = get_user_model()


def _working(municipality: Municipality):
    return StaffMember.objects.filter(
        organisation__municipality=municipality, status=StaffMember.Status.WORKING,
        position_category__in=[PositionCategory.TEACHER, PositionCategory.DEPUTY],
    ).select_related("organisation", "user").order_by("organisation__order", "pk")


def _event(methodist, municipality, kind, title, held_on, codes=(), organisation=None, actor=None, **extra) -> Event:
    return events.event_create(
        actor=actor or methodist, municipality=municipality, organisation=organisation,
        data={"kind": kind, "level": "school" if organisation else "municipal", "title": title, "held_on": held_on,
              **extra},
        competencies=Competency.objects.filter(code__in=codes),
    )


# Seed 002's figures, counted by methodics.projects.selectors.project_figures from the participants' rows:
# 60 participants, each with the approved route of the project's year (60 developed); 53 of them finished
# it and presented the results — the seed's "53 участника проекта муниципального уровня", the spec's
# "people who have all four steps"; 40 of the 53 with the outcome achieved fully or partly (successfully
# implemented), 13 not achieved; 7 routes (three-year ones, in the ДОО and the ДДТ) are still implemented.
PROJECT_NOT_ACHIEVED_AT_SCHOOLS = 11  # of the 49 completed school routes; 2 more in the ДОО/ДДТ
PRESCHOOL_ROUTES = [  # (organisation kind, how many, of them completed in the project's year)
    ("ДОО", 6, 2),
    ("УДО", 5, 2),
]
PRESCHOOL_TOPICS = {
    "ДОО": ("Развитие речи дошкольников в игровой деятельности",
            "Освоить игровые приемы развития связной речи детей 5–7 лет"),
    "УДО": ("Проектная деятельность в объединениях дополнительного образования",
            "Организовать проектную работу обучающихся объединения"),
}
PRESCHOOL_PLAN = [  # (kind, group, title, month of the project's year, done in it)
    ("course", "subject", "КПК «Реализация федеральной образовательной программы дошкольного и дополнительного "
                          "образования»", 11, True),
    ("self_education", "subject", "Изучение методических рекомендаций по теме ИОМ", 12, True),
    ("seminar", "methodical", "Семинар-практикум «Проектирование ИОМ педагога»", 2, True),
    ("open_lesson", "methodical", "Открытое занятие для коллег по теме ИОМ", 4, False),
    ("experience", "methodical", "Выступление на ГМФ с представлением опыта", 3, False),
    ("publication", "professional_personal", "Публикация методической разработки занятия на сайте ЦНМО", 5, False),
]


def _on(start: dt.date, month: int, day: int) -> dt.date:
    return dt.date(start.year if month >= 9 else start.year + 1, month, day)


def _preschool_routes(municipality: Municipality, year: str, today: dt.date) -> list[Route]:
    """Routes of the project's year in the kindergarten and the ДДТ (outside Table 1, which counts schools).

    The unfinished ones are three-year routes (seed 004: up to five years), their remaining activities due
    in the current year — the seed's "the time given by the project turned out too short".
    """
    start, _end = academic_year_bounds(year)
    current_end = academic_year_bounds(current_academic_year(today))[0].replace(month=5, day=31)
    current_end = current_end.replace(year=current_end.year + 1)
    groups = {g.code: g for g in CompetencyGroup.objects.all()}
    kinds = {k.code: k for k in ActivityKind.objects.all()}
    diagnostics = Diagnostics()
    routes = []
    for kind, count, completed in PRESCHOOL_ROUTES:
        people = list(StaffMember.objects.filter(
            organisation__municipality=municipality, organisation__kind=kind, status=StaffMember.Status.WORKING,
            position__in=["воспитатель", "педагог дополнительного образования"]).order_by("pk")[:count])
        topic, goal = PRESCHOOL_TOPICS[kind]
        for i, person in enumerate(people):
            finished = i < completed
            approved = school_day(_on(start, 10, 7 + i))
            route = Route.objects.create(
                person=person, organisation=person.organisation, academic_year=year, topic=topic, goal=goal,
                status=Route.Status.COMPLETED if finished else Route.Status.IN_PROGRESS,
                starts_on=_on(start, 10, 1), ends_on=_on(start, 5, 31) if finished else current_end,
                approved_on=approved, credited_on=school_day(approved + dt.timedelta(days=10)),
                completed_on=school_day(_on(start, 5, 12 + i)) if finished else None,
                outcome=(Route.Outcome.FULL if i == 0 else Route.Outcome.NOT_ACHIEVED) if finished else "",
                card={"position": person.position, "subject": person.subject, "education": person.education},
            )
            deficits = diagnostics.diagnose(person, PRESCHOOL_THEME if kind == "ДОО" else EXTRA_THEME,
                                            school_day(dt.date(start.year, 4, 10 + i)))
            rows = []
            for k, (activity_kind, group, title, month, done_in_year) in enumerate(PRESCHOOL_PLAN):
                deadline = school_day(_on(start, month, 14))
                done = finished or done_in_year
                if not done:  # due in the current year of the three-year route, not overdue
                    deadline = school_day(max(today + dt.timedelta(days=30 + 20 * k), _on(start, 1, 20)))
                    deadline = min(deadline, current_end)
                rows.append(RoadmapActivity(
                    route=route, group=groups[group], kind=kinds[activity_kind], title=title, order=k,
                    deadline=deadline, is_done=done, done_on=deadline if done else None,
                    confirming_document=CONFIRMING_DOCUMENT.get(activity_kind, ""),
                ))
            link(route, deficits, rows)
            Evidence.objects.bulk_create(evidence(RoadmapActivity.objects.bulk_create(rows)))
            finish([(route, deficits)], diagnostics)
            Transition.objects.create(route=route, action="import", from_status=Route.Status.DRAFT,
                                      to_status=route.status, comment="Загружено из реестра ИОМ")
            routes.append(route)
    return routes


def _project(methodist, municipality: Municipality, organisations: list[Organisation], year: str,
             today: dt.date) -> None:
    start, _ = academic_year_bounds(year)
    on = lambda month, day: _on(start, month, day)  # noqa: E731
    staff = list(_working(municipality))
    deputies = [s for s in staff if s.position_category == PositionCategory.DEPUTY]
    project_events = []
    for kind, title, held_on, people, codes, extra in [
        (Event.Kind.CONSULTATION, "Методическая консультация по ИОМ", on(11, 18), staff[:19], ["ПЛ2"], {}),
        (Event.Kind.COURSE, "КПК «Профессиональная самооценка педагога»", on(12, 5), staff[19:60], ["ПЛ2", "ПЛ3"],
         {"hours": 36}),
        (Event.Kind.PRACTICUM, "Семинар-практикум «Проектирование ИОМ педагога»", on(2, 16), staff[:15],
         ["ПЛ2", "М1"], {}),
        (Event.Kind.ROUND_TABLE, "Круглый стол ГМФ заместителей директора по МР: итоги проекта «ИОМ в действии»",
         on(5, 19), deputies, ["ПЛ3", "ПЛ4"], {}),
    ]:
        event = _event(methodist, municipality, kind, title, held_on, codes, place="МКУ «Новосёловский ММЦ»", **extra)
        events.attendance_add(actor=methodist, event=event, people=people)
        project_events.append(event)
    project = projects.project_create(
        actor=methodist, municipality=municipality,
        data={"title": "ИОМ в действии", "starts_on": on(10, 1), "ends_on": on(5, 31),
              "goal": "Разработать и апробировать содержание и механизмы работы с педагогом по реализации ИОМ "
                      "на уровне ОО"},
        organisations=organisations, events=project_events,
    )
    school_routes = list(Route.objects.filter(
        organisation__in=organisations, academic_year=year, status=Route.Status.COMPLETED,
    ).exclude(organisation__kind__in=Organisation.EDUCATOR_KINDS).order_by("organisation__order", "pk"))
    _not_achieved(school_routes[2::4][:PROJECT_NOT_ACHIEVED_AT_SCHOOLS])
    routes = school_routes + _preschool_routes(municipality, year, today)
    # The defence (a ШМО or a pedagogical council after the credit) and the presentation of the results (the
    # final council, after the results were accepted) are the route's own records: steps 2 and 4 of seed 002.
    for i, route in enumerate(routes):
        route.defended_on = school_day(max(route.credited_on or route.approved_on, route.approved_on)
                                        + dt.timedelta(days=8 + i % 10))
        route.defended_place = "ШМО" if i % 3 else "педагогический совет"
        if route.status == Route.Status.COMPLETED:
            route.results_presented_on = school_day(max(route.completed_on, on(5, 20)) + dt.timedelta(days=i % 5))
            route.results_presented_place = "итоговый педагогический совет"
    Route.objects.bulk_update(routes, ["defended_on", "defended_place", "results_presented_on",
                                       "results_presented_place"])
    for route in routes:
        projects.participant_add(actor=methodist, project=project, person=route.person)


def _not_achieved(routes: list[Route]) -> None:
    """Routes whose results were accepted as "не достигнут": two of their activities were left undone."""
    for route in routes:
        route.outcome = Route.Outcome.NOT_ACHIEVED
        route.results_comment = "Цель ИОМ не достигнута: не проведено открытое занятие, не подготовлена публикация."
        for activity in list(route.activities.order_by("-order"))[:2]:
            activity.is_done, activity.done_on = False, None
            activity.save(update_fields=["is_done", "done_on"])
    Route.objects.bulk_update(routes, ["outcome", "results_comment"])


def _current_year(methodist, deputy, municipality: Municipality, school: Organisation, today: dt.date) -> None:
    start, _ = academic_year_bounds(current_academic_year(today))
    teacher = StaffMember.objects.select_related("user").get(user__username="teacher")
    implementing = list(StaffMember.objects.filter(
        organisation=school, routes__status=Route.Status.IN_PROGRESS).distinct().select_related("user"))
    consultation = _event(methodist, municipality, Event.Kind.CONSULTATION, "Методическая консультация по ИОМ",
                          min(start + dt.timedelta(days=24), today), ["ПЛ2"], place="МКУ «Новосёловский ММЦ»")
    practicum = _event(methodist, municipality, Event.Kind.PRACTICUM,
                       "Семинар-практикум «Проектирование ИОМ педагога»", min(start + dt.timedelta(days=50), today),
                       ["ПЛ2", "М1", "М3"], place="МБОУ Новоселовская СОШ №5", hours=4)
    others = [s for s in _working(municipality).exclude(organisation=school)[:10]]
    events.attendance_add(actor=methodist, event=consultation, people=[teacher, *implementing, *others])
    events.attendance_add(actor=methodist, event=practicum, people=[teacher, *implementing[:2], *others[:6]])
    _event(methodist, municipality, Event.Kind.ROUND_TABLE, "Круглый стол «ИОМ как инструмент профессионального роста»",
           today + dt.timedelta(days=21), ["ПЛ3"], place="МКУ «Новосёловский ММЦ»")
    shmo = _event(methodist, municipality, Event.Kind.SHMO, "Заседание ШМО: защита ИОМ педагогов",
                  min(start + dt.timedelta(days=40), today), ["ПЛ3"], organisation=school, actor=deputy,
                  place="кабинет 12")
    events.attendance_add(actor=deputy, event=shmo, people=[teacher, *implementing])


def _mentoring(deputy, school: Organisation, today: dt.date) -> None:
    staff = StaffMember.objects.filter(organisation=school, status=StaffMember.Status.WORKING,
                                       position_category=PositionCategory.TEACHER)
    young = list(staff.filter(young_specialist_q(today)).order_by("experience_years", "pk")[:2])
    mentors = list(staff.filter(experience_years__gte=15, qualification_category="highest").order_by("pk")[:2])
    mentors += list(staff.filter(experience_years__gte=10).exclude(pk__in=[m.pk for m in mentors]).order_by("pk"))
    for mentee, mentor in zip(young, mentors, strict=False):
        mentoring.pair_start(actor=deputy, mentee=mentee, mentor=mentor, reason=MentoringPair.Reason.YOUNG_SPECIALIST,
                            starts_on=academic_year_bounds(current_academic_year(today))[0])


def _programme(deputy, school: Organisation, today: dt.date) -> None:
    plan = plans.plan_create(actor=deputy, organisation=school, academic_year=current_academic_year(today))
    for activity in plan.activities.filter(due_on__lt=today).order_by("due_on"):
        plans.plan_activity_set_done(actor=deputy, activity=activity, done=True, done_on=activity.due_on)


def load_demo_project(municipality: Municipality, project_year: str) -> None:
    """Seed 002: the project of the first Table 1 year with its events, routes and participants."""
    methodist = User.objects.get(username="methodist")
    # all the municipality's organisations take part (seed 002: "Количество ОО – участников проекта – 100%")
    organisations = list(Organisation.objects.filter(municipality=municipality).order_by("order", "pk"))
    _project(methodist, municipality, organisations, project_year, timezone.localdate())


def load_demo_methodics(municipality: Municipality, school: Organisation) -> None:
    """This year's events, mentoring pairs and programme of help (after this year's routes)."""
    today = timezone.localdate()
    methodist = User.objects.get(username="methodist")
    deputy = User.objects.get(username="deputy")
    _current_year(methodist, deputy, municipality, school, today)
    _mentoring(deputy, school, today)
    _programme(deputy, school, today)
