"""Steering a school and a region in a real browser (issue 18, «Done when»): a deputy filters the implementation
monitor to overdue and reminds three teachers; reviews a resubmission seeing what changed since the return and the
earlier comments, and approves it; a regional methodist credits three routes at once; a methodist drills down from
the region to a school's teachers keeping the period.

Small worlds (tests/world.py) and the real services, no demo. Every step is screenshotted at 1366 px and at 390 px
(screenshots/<test name>/) and checked with axe; the phone layout must not scroll sideways.

    .venv/bin/python -m pytest tests/journeys/test_steering_browser.py -m browser
"""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.dates import current_academic_year
from core.models import Notification
from routes.models import Reminder, Route, Transition
from tests.factories import StaffFactory, UserFactory
from tests.journeys.test_role_journeys import _reference_data  # noqa: F401 (autouse: the framework after a flush)
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.routes.workflow.test_credit_queue import approved
from tests.routes.workflow.test_review_rounds import resubmitted
from tests.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

S = Route.Status
CRITERIA = ("resources_adequate", "short_horizon", "realistic_goal", "task_understood", "concrete_competency")
DESKTOP, PHONE = (1366, 900), (390, 844)


def look(portal, page, name):
    """The page at 1366 px and at 390 px (no sideways scroll on the phone), axe-checked; back at 1366 px."""
    portal.shot(page, f"{name}-1366")
    portal.check_accessibility(page)
    page.evaluate("document.querySelectorAll('[style=\"\"]').forEach(e => e.removeAttribute('style'))")
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    portal.shot(page, f"{name}-390")
    portal.assert_no_horizontal_scroll(page)
    page.set_viewport_size({"width": DESKTOP[0], "height": DESKTOP[1]})


def teacher_with_account(w, username: str, last_name: str):
    user = UserFactory(username=username, email=f"{username}@example.org")
    return StaffFactory(organisation=w.school, user=user, email=user.email, last_name=last_name)


def running_route(person, *, overdue: int):
    route = RouteFactory(person=person, status=S.IN_PROGRESS)
    today = timezone.localdate()
    ActivityFactory(route=route, is_done=True, done_on=today - dt.timedelta(days=20),
                    deadline=today - dt.timedelta(days=20))
    for n in range(overdue):
        ActivityFactory(route=route, deadline=today - dt.timedelta(days=5 + n))
    ActivityFactory(route=route, deadline=today + dt.timedelta(days=40))
    return route


def test_the_deputy_filters_the_monitor_to_overdue_and_reminds_three_teachers(portal, browser_page):
    w = World()
    late = [teacher_with_account(w, "late1", "Алексеева"), teacher_with_account(w, "late2", "Борисова"),
            w.teacher_staff]
    type(w.user("teacher")).objects.filter(username="teacher").update(email="teacher@example.org")
    for n, person in enumerate(late):
        running_route(person, overdue=n + 1)
    on_time = teacher_with_account(w, "ontime", "Власова")
    running_route(on_time, overdue=0)

    page = browser_page("deputy")
    page.goto(portal.url + "/routes/monitor/")
    assert page.locator("table.table-monitor tbody tr").count() == 7  # every staff member of the school
    look(portal, page, "monitor")

    with page.expect_navigation():
        page.select_option("#id_overdue", "yes")  # the filter bar submits itself
    assert "overdue=yes" in page.url
    rows = page.locator("table.table-monitor tbody tr")
    assert rows.count() == 3 and on_time.last_name not in page.locator("table.table-monitor").inner_text()
    look(portal, page, "monitor-overdue")

    # the overdue count opens the overdue rows, and the way back keeps the filter
    page.locator(f"tr:has-text('{late[2].last_name}') a.badge").click()
    assert page.locator("main").inner_text().count("Семинар по функциональной грамотности") == 3
    look(portal, page, "overdue-rows")
    page.go_back()

    for person in late:
        page.check(f"input[name=staff][value='{person.pk}']")
    page.click("text=Напомнить отмеченным")
    page.locator("text=Напоминание отправлено 3 педагогам.").wait_for()
    assert "overdue=yes" in page.url
    look(portal, page, "reminded")

    assert Reminder.objects.filter(staff__in=late, sender=w.user("deputy")).count() == 3
    notes = Notification.objects.filter(recipient__in=[p.user for p in late], text__startswith="Напоминание:")
    assert notes.count() == 3
    reminded = sorted(m.to[0] for m in mail.outbox if m.subject == "ИОМ-портал: напоминание")
    assert reminded == ['late1@example.org', 'late2@example.org', 'teacher@example.org']


def test_the_deputy_reviews_a_resubmission_seeing_what_changed_and_the_earlier_comments(portal, browser_page):
    w = World()
    route, _rows = resubmitted(w)

    page = browser_page("deputy")
    page.goto(portal.url + "/routes/review/")
    assert "повторно, 2-й круг" in page.content()
    look(portal, page, "review-queue")

    page.goto(f"{portal.url}/routes/{route.pk}/review/")
    section = page.locator("#round")
    text = section.inner_text()
    assert "Повторное согласование: 2-й круг" in text and "Доработайте цель и сроки." in text
    # the diff since the return: the goal, a changed deadline, a removed and an added row
    assert "Научиться проектировать урок" in section.locator("table.round-diff").inner_text()
    changes = section.locator("ul.round-rows").inner_text()
    for expected in ("изменено", "удалено", "добавлено", "Мастер-класс по смысловому чтению", "Срок"):
        assert expected in changes
    # the earlier round's comments with the teacher's reply
    threads = section.locator(".round-thread").all_inner_texts()
    assert any("Цель слишком общая." in t for t in threads)
    assert any("Срок нереалистичный." in t and "ответ педагога" in t and "Перенесла срок на месяц." in t
               for t in threads)
    look(portal, page, "review-round")

    for code in CRITERIA:
        page.check(f"#id_{code}_2")
    page.fill("#id_comment", "Замечания учтены")
    page.click("form:has(#id_comment) button:has-text('Согласовать')")
    page.locator("text=ИОМ согласован.").wait_for()
    route.refresh_from_db()
    assert route.status in (S.AWAITING_CREDIT, S.IN_PROGRESS) and route.approved_on == timezone.localdate()
    assert route.transitions.filter(action="approve").count() == 1
    look(portal, page, "approved")


def test_the_regional_methodist_credits_three_routes_at_once(portal, browser_page):
    w = World()
    routes = [approved(w, w.teacher_staff), approved(w, w.colleague, days_ago=10), approved(w, w.sibling_staff)]
    left = approved(w, w.other_staff)  # waits, not chosen

    page = browser_page("regional")
    page.goto(portal.url + "/routes/credit/")
    assert page.locator("table.credit-table tbody tr").count() == 4
    assert "10 из 10" in page.locator("table.credit-table").inner_text()  # the express review's score per row
    look(portal, page, "credit-queue")

    for route in routes:
        page.check(f"#credit-{route.pk}")
    page.click("button:has-text('Зачесть отмеченные')")
    page.locator("h1:has-text('Зачесть ИОМ: 3')").wait_for()
    assert all(r.person.full_name in page.locator("main").inner_text() for r in routes)
    assert Route.objects.filter(pk__in=[r.pk for r in routes], status=S.AWAITING_CREDIT).count() == 3
    look(portal, page, "credit-confirm")

    page.click("button:has-text('Зачесть: 3')")
    page.locator("text=Зачтено: 3 ИОМ.").wait_for()
    assert Route.objects.filter(pk__in=[r.pk for r in routes], status=S.IN_PROGRESS,
                                credited_on__isnull=False).count() == 3
    assert Transition.objects.filter(route__in=routes, action="credit").count() == 3  # each its own transition
    left.refresh_from_db()
    assert left.status == S.AWAITING_CREDIT
    assert page.locator("table.credit-table tbody tr").count() == 1
    look(portal, page, "credited")


def test_a_methodist_drills_from_the_region_to_a_schools_teachers_keeping_the_period(portal, browser_page):
    w = World()
    year = current_academic_year()
    start = int(year[:4])
    last = f"{start - 1}-{start}"
    RouteFactory(person=w.teacher_staff, status=S.IN_PROGRESS)
    RouteFactory(person=w.colleague, academic_year=last, status=S.COMPLETED,
                 starts_on=dt.date(start - 1, 9, 1), ends_on=dt.date(start, 8, 31), approved_on=dt.date(start - 1, 9, 20))

    page = browser_page("regional")
    page.goto(f"{portal.url}/reports/region/{w.region.pk}/")
    look(portal, page, "region-default-period")
    # the period: the last completed year and the current one
    for box in page.locator("input[name=years]").all():
        box.set_checked(box.get_attribute("value") in (last, year))
    page.click("form[aria-label='Период'] >> text=Показать")
    page.wait_for_url(lambda url: f"years={year}" in url)
    look(portal, page, "region-period")

    page.click(f"a:has-text('{w.municipality.name}')")
    page.wait_for_url(lambda url: "/reports/municipality/" in url)
    assert set(page.locator("input[name=years]:checked").evaluate_all("els => els.map(e => e.value)")) == {last, year}
    page.select_option("#period-year", last)
    page.click("form[aria-label='Период'] >> text=Показать")
    page.wait_for_url(lambda url: f"year={last}" in url)
    look(portal, page, "municipality")

    page.click(f"a:has-text('{w.school.short_name}')")
    page.wait_for_url(lambda url: "/reports/school/" in url)
    assert page.locator("#period-year").input_value() == last
    assert f"ИОМ {last}" in page.locator("h1").inner_text()
    look(portal, page, "school")

    page.click("text=Все педагоги школы в мониторинге реализации")
    page.wait_for_url(lambda url: "/routes/monitor/" in url)
    assert page.locator("#id_year").input_value() == last
    table = page.locator("table.table-monitor").inner_text()
    assert w.colleague.last_name in table and w.sibling_staff.last_name not in table
    look(portal, page, "school-teachers")
