"""The home page's route items: the teacher's running route with its progress and next deadline, and the routes
of closed academic years still unfinished for those who watch them."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from routes import attention
from routes.models import Route
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def w():
    return World()


@time_machine.travel(TODAY, tick=False)
def test_the_teacher_sees_their_running_route_with_progress_and_the_next_deadline(w, client):
    route = RouteFactory(person=w.teacher_staff, academic_year="2026-2027", status=Route.Status.IN_PROGRESS)
    ActivityFactory(route=route, is_done=True, deadline=dt.date(2026, 10, 1), title="Семинар по ФГОС")
    ActivityFactory(route=route, deadline=dt.date(2027, 3, 15), title="Открытый урок")
    ActivityFactory(route=route, deadline=dt.date(2027, 1, 20), title="Курсы «Оценивание на уроке»")
    ActivityFactory(route=route, deadline=dt.date(2027, 4, 1), title="Публикация")
    [item] = [i for i in attention.own_routes(w.user("teacher")) if "реализуется" in i.title]
    assert item.title == "Мой ИОМ 2026-2027: реализуется" and item.progress == 25
    assert item.detail == ("Выполнено 1 из 4 мероприятий (25,0 %). "
                           "Ближайший срок — 20.01.2027: Курсы «Оценивание на уроке».")
    client.force_login(w.user("teacher"))
    page = client.get(reverse("home")).content.decode()
    assert 'value="25" max="100"' in page and "Ближайший срок — 20.01.2027" in page


@time_machine.travel(TODAY, tick=False)
def test_routes_of_a_closed_year_still_running_are_shown_per_year_to_those_who_watch_them(w):
    for person in (w.teacher_staff, w.colleague):
        RouteFactory(person=person, academic_year="2025-2026", status=Route.Status.IN_PROGRESS)
    RouteFactory(person=w.sibling_staff, academic_year="2025-2026", status=Route.Status.RESULTS_SUBMITTED)
    RouteFactory(person=w.other_staff, academic_year="2025-2026", status=Route.Status.IN_PROGRESS)  # municipality B
    RouteFactory(person=w.deputy_staff, academic_year="2025-2026", status=Route.Status.COMPLETED)
    RouteFactory(person=w.director_staff, academic_year="2026-2027", status=Route.Status.IN_PROGRESS)  # this year

    def items(role):
        return [(i.title, i.count, i.url) for i in attention.unfinished_of_closed_years(w.user(role))]

    monitor = reverse("routes:monitor") + "?year=2025-2026"
    assert items("deputy") == [("ИОМ 2025-2026 уч. г. не завершены", 2, monitor)]  # their school
    assert items("municipal_methodist") == [("ИОМ 2025-2026 уч. г. не завершены", 3, monitor)]
    assert items("regional_methodist") == [("ИОМ 2025-2026 уч. г. не завершены", 4, monitor)]
    assert items("teacher") == []  # watches no one's routes


@time_machine.travel(TODAY, tick=False)
def test_a_route_the_period_end_task_marked_expired_stays_on_the_list_of_unfinished(w):
    RouteFactory(person=w.teacher_staff, academic_year="2025-2026", status=Route.Status.EXPIRED)
    assert [(i.title, i.count) for i in attention.unfinished_of_closed_years(w.user("deputy"))] == [
        ("ИОМ 2025-2026 уч. г. не завершены", 1)]


@time_machine.travel(TODAY, tick=False)
def test_a_route_of_several_years_is_not_unfinished_while_its_period_runs(w):
    RouteFactory(person=w.teacher_staff, academic_year="2024-2025", status=Route.Status.IN_PROGRESS,
                 starts_on=dt.date(2024, 9, 1), ends_on=dt.date(2027, 8, 31))  # a three-year route (seed 004)
    RouteFactory(person=w.colleague, academic_year="2024-2025", status=Route.Status.IN_PROGRESS,
                 starts_on=dt.date(2024, 9, 1), ends_on=dt.date(2025, 8, 31))
    assert [(i.title, i.count) for i in attention.unfinished_of_closed_years(w.user("deputy"))] == [
        ("ИОМ 2024-2025 уч. г. не завершены", 1)]
