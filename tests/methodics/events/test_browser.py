"""In the browser: a methodist creates a seminar and marks attendance; the teacher links it to the roadmap."""

import datetime as dt

import pytest

from methodics.models import Attendance, Event
from routes.models import Evidence, RoadmapActivity, Route
from tests.routes.factories import ActivityFactory, RouteFactory, kind
from tests.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_methodist_creates_a_seminar_marks_attendance_and_the_teacher_links_it(portal, browser_page):
    w = World()
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    activity = ActivityFactory(route=route, kind=kind("seminar"), title="Семинар-практикум по проектированию ИОМ")
    ActivityFactory(route=route, kind=kind("course"), title="КПК «Функциональная грамотность»")
    held_on = dt.date.today() - dt.timedelta(days=3)

    # The methodist creates the seminar of the municipal centre.
    page = browser_page("methodist")
    page.goto(portal.url + "/methodics/")
    portal.shot(page, "methodist-overview")
    page.click("nav[aria-label='Разделы методической работы'] >> text=Мероприятия")
    page.click("text=Новое мероприятие")
    page.select_option("#id_organiser", f"m:{w.municipality.pk}")
    page.select_option("#id_kind", "practicum")
    page.fill("#id_title", "Проектирование ИОМ педагога")
    page.fill("#id_held_on", held_on.isoformat())
    page.fill("#id_place", "МКУ ММЦ, актовый зал")
    portal.shot(page, "event-form")
    portal.check_accessibility(page)
    page.click("button:has-text('Сохранить')")
    page.wait_for_selector("text=Мероприятие создано")
    event = Event.objects.get(title="Проектирование ИОМ педагога")
    assert event.is_municipal and event.held_on == held_on

    # Attendance: the teacher through the searchable picker, a colleague from the school's list.
    page.fill("#attendance-q", w.teacher_staff.last_name[:6].lower())
    page.wait_for_selector(f"#attendance-found >> text={w.teacher_staff.full_name}")
    portal.shot(page, "picker-found")
    page.locator("#attendance-found li", has_text=w.teacher_staff.full_name).locator("button").click()
    page.wait_for_selector("text=Отмечено участников: 1")
    page.select_option("#checklist-org", str(w.school.pk))
    page.wait_for_url(f"**organisation={w.school.pk}**")
    page.check(f"#person-{w.colleague.pk}")
    page.click("button:has-text('Отметить выбранных')")
    page.wait_for_selector("text=Отмечено участников: 1")
    assert set(Attendance.objects.filter(event=event).values_list("person", flat=True)) == {
        w.teacher_staff.pk, w.colleague.pk,
    }
    portal.shot(page, "event-with-attendance")
    portal.check_accessibility(page)

    # The list's filter bar submits itself on change and keeps what was chosen.
    page.click("nav[aria-label='Разделы методической работы'] >> text=Мероприятия")
    page.select_option("#id_organiser", "school")
    page.wait_for_url("**organiser=school**")
    assert page.locator("tbody", has_text="Проектирование ИОМ педагога").count() == 0
    page.select_option("#id_organiser", "municipal")
    page.wait_for_url("**organiser=municipal**")
    assert page.locator("tbody tr", has_text="Проектирование ИОМ педагога").count() == 1
    assert page.input_value("#id_organiser") == "municipal"
    portal.shot(page, "event-list-filtered")
    portal.check_accessibility(page)

    # The teacher finds the seminar in "Мои мероприятия" and confirms the roadmap activity with it.
    page = browser_page("teacher")
    page.goto(portal.url + "/")
    portal.shot(page, "teacher-home")
    page.click("nav >> text=Мои мероприятия")
    assert "Проектирование ИОМ педагога" in page.content()
    portal.shot(page, "my-events")
    page.click("text=Отметить в ИОМ")
    assert page.locator("text=подходит по виду").count() == 1
    portal.shot(page, "link-form")
    portal.check_accessibility(page)
    page.check(f"input[name=activity][value='{activity.pk}']")
    page.click("button:has-text('Отметить выполненным')")
    page.wait_for_selector("text=отмечено выполненным")
    portal.shot(page, "my-events-linked")
    portal.check_accessibility(page)
    activity = RoadmapActivity.objects.get(pk=activity.pk)
    assert activity.is_done and activity.done_on == held_on
    assert Evidence.objects.get(activity=activity).kind == Evidence.Kind.LINK
