"""One teacher's ИОМ over two academic years in a real browser (issue 16, «Done when»): diagnostics → drafted
route → approved → the period ends with work left → «Срок истек» (the period-end task) → extended → results with
the final diagnostics → completed with two deficits overcome and one carried into the next year's drafted route.

The clock is moved with time_machine (the live server runs in this process, so it moves too); every step is
screenshotted (screenshots/<test name>/) and checked with axe.

    .venv/bin/python -m pytest tests/journeys/test_route_life_browser.py -m browser
"""

import datetime as dt

import pytest
import time_machine

from diagnostics.models import Deficit, Instrument
from routes.models import DeficitReassessment, Route
from routes.roadmap import services as roadmap
from routes.tasks import expire_routes
from routes.workflow import services as workflow
from tests.journeys.test_role_journeys import _reference_data  # noqa: F401 (autouse: the framework after a flush)
from tests.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

S = Route.Status
WEAK = {"М4": 2, "ПП2": 1, "П3": 2}  # where the teacher struggles in September 2026; 4 elsewhere
FINAL = {"М4": 5, "ПП2": 4, "П3": 2}  # a year later: two reach the threshold, П3 does not
CRITERIA = ("resources_adequate", "short_horizon", "realistic_goal", "task_understood", "concrete_competency")
SEPTEMBER = dt.datetime(2026, 9, 14, 7, 0, tzinfo=dt.UTC)
MARCH = dt.datetime(2027, 3, 10, 7, 0, tzinfo=dt.UTC)
AFTER_END = dt.datetime(2027, 9, 2, 7, 0, tzinfo=dt.UTC)
NEW_END = dt.date(2027, 12, 20)
DECEMBER = dt.datetime(2027, 12, 10, 7, 0, tzinfo=dt.UTC)


def look(portal, page, name):
    portal.shot(page, name)
    portal.check_accessibility(page)
    page.evaluate("document.querySelectorAll('[style=\"\"]').forEach(e => e.removeAttribute('style'))")


def test_one_route_over_two_years_ends_with_final_diagnostics_and_a_deficit_carried_over(portal, browser_page):
    with time_machine.travel(SEPTEMBER, tick=True):
        w = World()
        teacher = w.user("teacher")
        tool = Instrument.objects.get(is_self_assessment=True)

        # 1. diagnostics: the self-assessment reveals three deficits
        page = browser_page("teacher")
        page.goto(portal.url + "/diagnostics/")
        page.click("text=Пройти самооценку")
        for statement in tool.statements.select_related("competency"):
            page.click(f"label[for=id_s{statement.pk}_{WEAK.get(statement.competency.code, 4) - 1}]")
        page.click("text=Сохранить самооценку")
        page.wait_for_url(portal.url + "/diagnostics/")
        assert "Выявлено дефицитов: 3" in page.content()
        look(portal, page, "y1-diagnostics")

        # 2. the drafted route, with its default period: the academic year
        page.click("text=Составить ИОМ по результатам диагностики")
        look(portal, page, "y1-draft-preview")
        page.click("text=Создать черновик ИОМ")
        page.wait_for_url(lambda url: "/routes/" in url and "/draft/" not in url)
        route = Route.objects.get(person=w.teacher_staff)
        assert (route.academic_year, route.ends_on) == ("2026-2027", dt.date(2027, 8, 31))
        assert route.deficits.count() == 3
        look(portal, page, "y1-drafted-route")
        page.click("nav[aria-label='Действия с ИОМ'] >> text=Отправить")
        page.click("form.action-form button[type=submit]")
        page.locator("text=ИОМ отправлен на согласование").wait_for()

        # 3. approved by the deputy
        reviewer = browser_page("deputy")
        reviewer.goto(f"{portal.url}/routes/{route.pk}/review/")
        for code in CRITERIA:
            reviewer.check(f"#id_{code}_2")
        reviewer.fill("#id_comment", "Маршрут реалистичен")
        reviewer.click("text=Согласовать >> nth=-1")
        reviewer.locator("text=ИОМ согласован.").wait_for()
        route.refresh_from_db()
        if route.status == S.AWAITING_CREDIT:
            workflow.route_credit(actor=w.user("regional_methodist"), route=route)
            route.refresh_from_db()
        assert route.status == S.IN_PROGRESS
        look(portal, reviewer, "y1-approved")

    # 4. work done in spring: all but two activities
    activities = list(route.activities.order_by("deadline", "pk"))
    assert len(activities) >= 3
    with time_machine.travel(MARCH, tick=True):
        for activity in activities[:-2]:
            roadmap.activity_mark_done(actor=teacher, activity=activity, done_on=dt.date(2027, 3, 1),
                                       url="https://example.org/certificate", evidence_kind="link")

    # 5. the period ends with work left: the hourly task takes «Срок истек»
    with time_machine.travel(AFTER_END, tick=True):
        assert expire_routes()["expired"] == 1
        route.refresh_from_db()
        assert route.status == S.EXPIRED
        page = browser_page("teacher")
        page.goto(f"{portal.url}/routes/{route.pk}/")
        assert "Срок истек" in page.content()
        look(portal, page, "y1-expired")

        # 6. the deputy extends the period once, with a reason
        reviewer = browser_page("deputy")
        reviewer.goto(f"{portal.url}/routes/{route.pk}/action/extend/")
        reviewer.fill("#id_ends_on", NEW_END.isoformat())
        reviewer.fill("#id_reason", "Курсы перенесены организатором на осень")
        look(portal, reviewer, "y1-extend-form")
        reviewer.click("form.action-form button[type=submit]")
        reviewer.locator("text=Срок реализации продлен").wait_for()
        route.refresh_from_db()
        assert (route.status, route.ends_on, route.extended_from) == (S.IN_PROGRESS, NEW_END, dt.date(2027, 8, 31))
        look(portal, reviewer, "y1-extended")

    with time_machine.travel(DECEMBER, tick=True):
        # 7. the results with the final diagnostics: one activity explained, the statements repeated
        left = activities[-2:]
        roadmap.activity_mark_done(actor=teacher, activity=left[0], done_on=dt.date(2027, 11, 20),
                                   url="https://example.org/course", evidence_kind="link")
        page = browser_page("teacher")
        page.goto(f"{portal.url}/routes/{route.pk}/action/submit_results/")
        page.fill("#id_reflection", "Освоила приемы формирующего оценивания; проектная работа пока не получается.")
        page.check("#id_outcome_proposed_1")
        page.fill(f"#id_reason_{left[1].pk}", "Конкурс не проводился в этом году")
        deficits = {d.competency.code: d for d in route.deficits.select_related("competency")}
        for code, deficit in deficits.items():
            for statement in tool.statements.filter(competency=deficit.competency):
                page.click(f"label[for=id_fd_{deficit.pk}_{statement.pk}_{FINAL[code] - 1}]")
        look(portal, page, "y1-results-form")
        page.click("form.action-form button[type=submit]")
        page.locator("text=Итоги отправлены").wait_for()
        assert DeficitReassessment.objects.filter(route=route).count() == 3
        look(portal, page, "y1-results-submitted")

        # 8. the deputy accepts them: two deficits overcome, one stays in work
        reviewer = browser_page("deputy")
        reviewer.goto(f"{portal.url}/routes/{route.pk}/action/accept_results/")
        reviewer.check("#id_outcome_1")
        look(portal, reviewer, "y1-accept-form")
        reviewer.click("form.action-form button[type=submit]")
        reviewer.locator("text=Итоги приняты").wait_for()
        route.refresh_from_db()
        assert route.status == S.COMPLETED
        states = dict(Deficit.objects.filter(person=w.teacher_staff).values_list("competency__code", "status"))
        assert states == {"М4": "overcome", "ПП2": "overcome", "П3": "in_work"}
        reviewer.goto(f"{portal.url}/routes/{route.pk}/")
        assert "Итоговая диагностика дефицитов" in reviewer.content()
        look(portal, reviewer, "y1-completed-route")
        reviewer.goto(f"{portal.url}/reports/school/{w.school.pk}/?year=2027-2028")
        assert reviewer.locator("#deficits-overcome").inner_text().startswith("Преодолено дефицитов в 2027-2028: 2")
        look(portal, reviewer, "school-dashboard")

        # 9. the next academic year's drafted route takes the deficit still in work
        page = browser_page("teacher")
        page.goto(portal.url + "/diagnostics/")
        page.click("text=Составить ИОМ по результатам диагностики")
        look(portal, page, "y2-draft-preview")
        page.click("text=Создать черновик ИОМ")
        page.wait_for_url(lambda url: "/routes/" in url and "/draft/" not in url)
        second = Route.objects.get(person=w.teacher_staff, academic_year="2027-2028")
        assert [d.competency.code for d in second.deficits.all()] == ["П3"]
        look(portal, page, "y2-drafted-route")
