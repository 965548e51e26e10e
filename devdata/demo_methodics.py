"""Demo records of methodical support, made through the services (called at the end of load_demo).

- the municipal centre's events of seed 002 in the first of the two Table 1 years, with the seed's attendance
  (consultation 19, КПК 41, seminar-practicum 15, round table of the deputies), gathered in the
  project «ИОМ в действии» with participants and their four steps;
- this year's consultation and seminar-practicum, where the demo teacher and the colleagues whose
  routes are under implementation are marked (so they can link them in "Мои мероприятия");
- a ШМО meeting of the demo school, two mentoring pairs there, and its programme of help for the year.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.dates import academic_year_bounds, current_academic_year
from diagnostics.models import Competency
from methodics.events import services as events
from methodics.mentoring import services as mentoring
from methodics.models import Event, MentoringPair, Step
from methodics.plans import services as plans
from methodics.projects import services as projects
from routes.models import Route
from schools.models import Municipality, Organisation, PositionCategory, StaffMember
from schools.selectors import young_specialist_q

User = get_user_model()


def _working(municipality: Municipality):
    return StaffMember.objects.filter(
        organisation__municipality=municipality, status=StaffMember.Status.WORKING,
        position_category__in=[PositionCategory.TEACHER, PositionCategory.DEPUTY],
    ).select_related("organisation").order_by("organisation__order", "pk")


def _event(methodist, municipality, kind, title, held_on, codes=(), organisation=None, actor=None, **extra) -> Event:
    return events.event_create(
        actor=actor or methodist, municipality=municipality, organisation=organisation,
        data={"kind": kind, "level": "school" if organisation else "municipal", "title": title, "held_on": held_on,
              **extra},
        competencies=Competency.objects.filter(code__in=codes),
    )


def _project(methodist, municipality: Municipality, schools: list[Organisation], year: str) -> None:
    start, _ = academic_year_bounds(year)
    on = lambda month, day: dt.date(start.year if month >= 9 else start.year + 1, month, day)  # noqa: E731
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
        organisations=schools, events=project_events,
    )
    # Participants: people whose route of that year was approved; the defence and the presentation of
    # results happened at school meetings before the portal, so they are recorded explicitly.
    routes = Route.objects.filter(organisation__in=schools, academic_year=year, approved_on__isnull=False).select_related(
        "person__organisation").order_by("organisation__order", "pk")
    for i, route in enumerate(routes[:20]):
        participant = projects.participant_add(actor=methodist, project=project, person=route.person)
        if i % 4 != 3:
            projects.participant_step_record(actor=methodist, participant=participant, step=Step.DEFENDED,
                                             done_on=on(11, 25), place="ШМО")
        if i % 2 == 0:
            projects.participant_step_record(actor=methodist, participant=participant, step=Step.PRESENTED,
                                             done_on=on(5, 19), place="Круглый стол ГМФ заместителей по МР")


def _current_year(methodist, deputy, municipality: Municipality, school: Organisation, today: dt.date) -> None:
    start, _ = academic_year_bounds(current_academic_year(today))
    teacher = StaffMember.objects.get(user__username="teacher")
    implementing = list(StaffMember.objects.filter(
        organisation=school, routes__status=Route.Status.IN_PROGRESS).distinct())
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


def load_demo_methodics(municipality: Municipality, school: Organisation, project_year: str) -> None:
    today = timezone.localdate()
    methodist = User.objects.get(username="methodist")
    deputy = User.objects.get(username="deputy")
    schools = list(Organisation.objects.filter(municipality=municipality, kind__in=Organisation.SCHOOL_KINDS))
    _project(methodist, municipality, schools, project_year)
    _current_year(methodist, deputy, municipality, school, today)
    _mentoring(deputy, school, today)
    _programme(deputy, school, today)
