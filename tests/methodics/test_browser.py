"""In the browser, across the features: the programme timeline, the mentoring page and the project page."""

import datetime as dt

import pytest

from methodics.plans import services as plans
from methodics.projects import services as projects
from routes.models import Route
from tests.methodics.factories import PairFactory
from tests.routes.factories import RouteFactory
from tests.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


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
