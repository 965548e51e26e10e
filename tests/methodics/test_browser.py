"""In the browser: a methodist creates a seminar and marks attendance; the teacher links it to the roadmap."""

import datetime as dt

import pytest

from methodics.models import Attendance, Event
from methodics.plans import services as plans
from methodics.projects import services as projects
from routes.models import Evidence, RoadmapActivity, Route
from tests.methodics.factories import PairFactory
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


def test_the_programme_timeline_the_mentoring_page_and_the_project_page(portal, browser_page):
    w = World()
    plan = plans.plan_create(actor=w.user("deputy"), organisation=w.school, academic_year="2025-2026")
    for activity in plan.activities.filter(stage__in=["diagnostics", "drafting"]):
        plans.plan_activity_set_done(actor=w.user("deputy"), activity=activity, done=True, done_on=dt.date(2026, 5, 1))
    PairFactory(mentee=w.colleague, mentor=w.teacher_staff)

    page = browser_page("deputy")
    page.goto(portal.url + f"/methodics/plans/{plan.pk}/")
    portal.shot(page, "plan-timeline")
    portal.check_accessibility(page)
    row = page.locator("tbody tr", has_text="Изучение методологии проведения комплексного анализа")
    row.locator("button:has-text('отметить')").click()
    page.wait_for_selector("tbody tr:has-text('Изучение методологии') >> text=выполнено")
    page.goto(portal.url + "/methodics/mentoring/")
    portal.shot(page, "mentoring")
    portal.check_accessibility(page)

    project = projects.project_create(
        actor=w.user("municipal_methodist"), municipality=w.municipality,
        data={"title": "ИОМ в действии", "starts_on": dt.date(2025, 10, 1), "ends_on": dt.date(2026, 5, 31)},
        organisations=[w.school, w.sibling_school],
    )
    RouteFactory(person=w.teacher_staff, academic_year="2025-2026", status=Route.Status.COMPLETED,
                 approved_on=dt.date(2025, 10, 10), defended_on=dt.date(2025, 11, 5), defended_place="ШМО",
                 completed_on=dt.date(2026, 5, 10), outcome=Route.Outcome.FULL,
                 results_presented_on=dt.date(2026, 5, 20), results_presented_place="Педсовет")
    projects.participant_add(actor=w.user("municipal_methodist"), project=project, person=w.teacher_staff)
    projects.participant_add(actor=w.user("municipal_methodist"), project=project, person=w.colleague)
    page = browser_page("methodist")
    page.goto(portal.url + f"/methodics/projects/{project.pk}/")
    assert "1 из 2" in page.locator(".project-figures").inner_text()
    portal.shot(page, "project")
    portal.check_accessibility(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(portal.url + f"/methodics/plans/{plan.pk}/")
    portal.shot(page, "plan-timeline-phone")
