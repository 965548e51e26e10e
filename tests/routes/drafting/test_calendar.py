"""A drafted route a teacher would keep (issue 16, item 6): the academic calendar (public holidays,
the region's school holidays), the yearly budget of course hours, at most N activities per deficit,
the planning date, expected results taken from the resource, rows in date order."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings

from routes.drafting.services import draft_route_from_deficits, plan_for
from routes.models import ActivityKind, CatalogResource, RoadmapActivity
from schools.academic_calendar import AcademicCalendar
from schools.models import SchoolHoliday
from tests.diagnostics.factories import CatalogResourceFactory, DeficitFactory, competency
from tests.world import World

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 9, 1), dt.date(2027, 8, 31)
TODAY = dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC)
CODES = ("М1", "М2", "М3", "М4", "П1", "П2", "П3", "К1")


@pytest.fixture
def w():
    return World()


def course(title, code, hours, *, registry=True):
    return CatalogResourceFactory(kind=CatalogResource.Kind.COURSE, title=title, hours=hours,
                                  in_federal_registry=registry, level="federal",
                                  activity_kind=ActivityKind.objects.get(code="course"), competencies=[competency(code)])


def holidays_of(w):
    region = w.school.municipality.region
    SchoolHoliday.objects.create(region=region, title="Осенние каникулы", starts_on=dt.date(2026, 10, 26),
                                 ends_on=dt.date(2026, 11, 3))
    SchoolHoliday.objects.create(region=region, title="Зимние каникулы", starts_on=dt.date(2026, 12, 29),
                                 ends_on=dt.date(2027, 1, 11))
    SchoolHoliday.objects.create(region=region, title="Летние каникулы", starts_on=dt.date(2027, 6, 1),
                                 ends_on=dt.date(2027, 8, 31))
    return region


def test_the_calendar_knows_public_holidays_vacations_and_sundays(w):
    region = holidays_of(w)
    calendar = AcademicCalendar(region, START, END)
    assert calendar.is_off(dt.date(2026, 11, 4))  # День народного единства
    assert calendar.is_off(dt.date(2027, 2, 23))  # День защитника Отечества
    assert calendar.is_off(dt.date(2026, 10, 28))  # autumn holidays of the region
    assert calendar.is_off(dt.date(2026, 9, 6))  # a Sunday
    assert not calendar.is_off(dt.date(2026, 9, 7))
    assert calendar.nearest_school_day(dt.date(2026, 12, 30)) == dt.date(2027, 1, 12)


def test_no_deadline_falls_on_a_holiday_or_in_the_vacations(w):
    region = holidays_of(w)
    for code in CODES:
        DeficitFactory(person=w.teacher_staff, competency=competency(code))
        CatalogResourceFactory(title=f"Семинар {code}", competencies=[competency(code)])
        CatalogResourceFactory(title=f"Вебинар {code}", competencies=[competency(code)],
                               activity_kind=ActivityKind.objects.get(code="webinar"))
    with time_machine.travel(TODAY, tick=False):
        route = draft_route_from_deficits(actor=w.user("teacher"), person=w.teacher_staff, starts_on=START,
                                          ends_on=END)
    calendar = AcademicCalendar(region, START, END)
    deadlines = list(route.activities.values_list("deadline", flat=True))
    assert len(deadlines) == 16
    assert not [d for d in deadlines if calendar.is_off(d)]
    assert max(deadlines) < dt.date(2027, 6, 1), "nothing planned into the summer holidays"


@override_settings(DRAFT_COURSE_HOURS_PER_YEAR=72)
def test_the_courses_of_a_draft_stay_within_the_yearly_budget_of_hours(w):
    for code in CODES[:5]:
        DeficitFactory(person=w.teacher_staff, competency=competency(code))
        course(f"Курс {code}", code, 36)
    deficits = list(w.teacher_staff.deficits.all())
    plan = plan_for(deficits, START, END, today=START)
    assert plan.budget == 72 and plan.course_hours == 72
    assert sum(1 for a in plan.activities if a.kind.code == "course") == 2
    two_years = plan_for(deficits, START, dt.date(2028, 8, 31), today=START)
    assert two_years.budget == 144 and two_years.course_hours == 144


@override_settings(DRAFT_ACTIVITIES_PER_DEFICIT=2)
def test_at_most_n_activities_per_deficit_the_most_relevant_first(w):
    deficit = DeficitFactory(person=w.teacher_staff, competency=competency("М4"))
    broad = CatalogResourceFactory(title="Семинар обо всем", competencies=[competency("М4"), competency("П1"),
                                                                            competency("К1")])
    course("Курс по оцениванию", "М4", 36)
    focused = CatalogResourceFactory(title="Вебинар по оцениванию", competencies=[competency("М4")],
                                     activity_kind=ActivityKind.objects.get(code="webinar"))
    [task] = plan_for([deficit], START, END, today=START).tasks
    assert [a.title for a in task.activities] == ["Курс по оцениванию", focused.title]
    assert broad.title not in [a.title for a in task.activities]
    assert "«Курс по оцениванию» (36 ч)" in task.activities[0].expected_result
    assert deficit.competency.name in task.activities[1].expected_result


def test_suggestions_start_at_today_and_a_past_start_stays_the_teachers(w):
    for code in CODES[:3]:
        DeficitFactory(person=w.teacher_staff, competency=competency(code))
    with time_machine.travel(dt.datetime(2026, 11, 16, 9, tzinfo=dt.UTC), tick=False):
        route = draft_route_from_deficits(actor=w.user("teacher"), person=w.teacher_staff, starts_on=START,
                                          ends_on=END)
    assert route.starts_on == START  # a course finished in October can still be entered
    assert min(route.activities.values_list("deadline", flat=True)) >= dt.date(2026, 11, 16)


def test_rows_are_numbered_in_date_order(w):
    for code in CODES:
        DeficitFactory(person=w.teacher_staff, competency=competency(code))
    with time_machine.travel(TODAY, tick=False):
        route = draft_route_from_deficits(actor=w.user("teacher"), person=w.teacher_staff, starts_on=START,
                                          ends_on=END)
    deadlines = list(RoadmapActivity.objects.filter(route=route).order_by("order").values_list("deadline", flat=True))
    assert deadlines == sorted(deadlines)
