"""«Календарь сроков»: the owner sees their address with a copy button and the instructions, makes a link,
makes a new one (the old stops working), revokes it; the page is linked from the account menu and the route."""

import datetime as dt

import pytest
from django.urls import reverse

from routes.calendar.tokens import token_for
from routes.models import CalendarFeed, Route
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(settings):
    settings.PORTAL_BASE_URL = "https://iom.example.ru"
    return World()


@pytest.fixture
def teacher(w, client):
    client.force_login(w.user("teacher"))
    return client


def page(client) -> str:
    response = client.get(reverse("calendar:page"))
    assert response.status_code == 200
    return response.content.decode()


def test_without_a_link_the_page_offers_to_make_one_and_explains_every_calendar(teacher):
    text = page(teacher)
    assert "У вас нет действующей ссылки" in text and "Создать ссылку" in text
    for calendar in ("Яндекс Календарь", "Google Календарь", "Outlook", "iPhone и iPad"):
        assert calendar in text
    assert "Отозвать ссылку" not in text


def test_making_a_link_shows_its_address_with_a_copy_button(w, teacher):
    response = teacher.post(reverse("calendar:create"), follow=True)
    feed = CalendarFeed.objects.get(user=w.user("teacher"))
    text = response.content.decode()
    address = f"https://iom.example.ru/calendar/{token_for(feed.key)}.ics"
    assert "Ссылка создана" in text
    assert f'value="{address}"' in text and 'data-copy="#calendar-url"' in text
    assert f'href="webcal://iom.example.ru/calendar/{token_for(feed.key)}.ics"' in text
    assert "еще ни разу" in text  # no calendar has read it yet
    assert "Отозвать ссылку" in text and "Создать новую ссылку" in text


def test_a_new_link_replaces_the_old_one(w, teacher):
    teacher.post(reverse("calendar:create"))
    old = CalendarFeed.objects.get(user=w.user("teacher"))
    text = teacher.post(reverse("calendar:create"), follow=True).content.decode()
    new = CalendarFeed.objects.get(user=w.user("teacher"), revoked_at__isnull=True)
    assert new.pk != old.pk and "Старая больше не работает" in text
    assert token_for(new.key) in text and token_for(old.key) not in text
    old.refresh_from_db()
    assert old.revoked_at is not None


def test_revoking_says_so_and_leaves_no_address_on_the_page(w, teacher):
    teacher.post(reverse("calendar:create"))
    feed = CalendarFeed.objects.get(user=w.user("teacher"))
    text = teacher.post(reverse("calendar:revoke"), follow=True).content.decode()
    assert "Ссылка отозвана" in text and "Предыдущая отозвана" in text
    assert token_for(feed.key) not in text
    assert teacher.get(reverse("calendar:feed", args=[token_for(feed.key)])).status_code == 404


def test_revoking_without_a_link_is_refused_with_a_message(teacher):
    text = teacher.post(reverse("calendar:revoke"), follow=True).content.decode()
    assert "Действующей ссылки нет: отзывать нечего." in text


def test_the_page_counts_the_events_and_lists_the_next_deadlines(w, teacher):
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS,
                         starts_on=dt.date.today() - dt.timedelta(days=100),
                         ends_on=dt.date.today() + dt.timedelta(days=200))
    ActivityFactory(route=route, title="Прошедший семинар", deadline=dt.date.today() - dt.timedelta(days=10))
    ActivityFactory(route=route, title="Будущий семинар", deadline=dt.date.today() + dt.timedelta(days=10))
    text = page(teacher)
    assert "Сейчас событий: <strong>3</strong>, из них просроченных: <strong class=\"text-danger\">1</strong>" in text
    assert "Срок: Будущий семинар" in text
    overdue = text.split("Просроченные", 1)[1]
    assert "Прошедший семинар" in overdue and "Будущий семинар" not in overdue


def test_the_account_menu_and_the_own_route_link_to_the_calendar(w, teacher, client):
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    calendar = reverse("calendar:page")
    assert f'<a class="dropdown-item" href="{calendar}">Календарь сроков</a>' in page(teacher).replace(
        ' active" href', '" href').replace(' aria-current="page"', "")
    route_page = teacher.get(reverse("routes:route_detail", args=[route.pk])).content.decode()
    assert f'href="{calendar}">Сроки в мой календарь</a>' in route_page
    client.force_login(w.user("deputy"))  # the reviewer of the route: not their calendar
    route_page = client.get(reverse("routes:route_detail", args=[route.pk])).content.decode()
    assert "Сроки в мой календарь" not in route_page


def test_a_methodist_without_an_own_route_has_no_calendar_in_the_menu(w, client):
    client.force_login(w.user("municipal_methodist"))
    assert "Календарь сроков" not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("calendar:page")).status_code == 403
