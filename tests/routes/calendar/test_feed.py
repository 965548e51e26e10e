"""The deadline feed, read back with icalendar as a calendar application reads it: the owner's approved
routes only, their activities not done yet on their deadlines, the period end; a revoked or forged link 404."""

import datetime as dt
import json
import logging

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from routes.calendar import services
from routes.calendar.tokens import token_for
from routes.models import CalendarFeed, Route
from schools.models import Region, TimeZone
from tests.factories import UserFactory
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db
S = Route.Status


@pytest.fixture
def w(settings):
    settings.PORTAL_BASE_URL = "https://iom.example.ru"
    return World()


def feed_of(user) -> CalendarFeed:
    return services.calendar_feed_create(actor=user)


def address(feed: CalendarFeed) -> str:
    return reverse("calendar:feed", args=[token_for(feed.key)])


def read(client, feed: CalendarFeed) -> Calendar:
    response = client.get(address(feed))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, dict]:
    return {str(e["uid"]): {"day": e.decoded("dtstart"), "end": e.decoded("dtend"), "summary": str(e["summary"]),
                            "description": str(e["description"])} for e in calendar.walk("VEVENT")}


def test_the_feed_holds_the_not_done_activities_of_an_approved_route_and_its_period_end(w, client):
    route = RouteFactory(person=w.teacher_staff, status=S.IN_PROGRESS, topic="Функциональная грамотность")
    due = ActivityFactory(route=route, title="Открытый урок", deadline=dt.date(2027, 3, 15),
                          expected_result="конспект урока")
    ActivityFactory(route=route, title="Уже сделано", is_done=True, done_on=dt.date(2026, 10, 1))
    calendar = read(client, feed_of(w.user("teacher")))

    found = events(calendar)
    assert set(found) == {f"activity-{due.pk}@iom.example.ru", f"route-{route.pk}-end@iom.example.ru"}
    lesson = found[f"activity-{due.pk}@iom.example.ru"]
    # an all-day event: a date, the next day as its end
    assert (lesson["day"], lesson["end"]) == (dt.date(2027, 3, 15), dt.date(2027, 3, 16))
    assert lesson["summary"] == "Срок: Открытый урок"
    assert f"ИОМ на {route.academic_year} учебный год: «Функциональная грамотность»" in lesson["description"]
    assert "Ожидаемый результат: конспект урока" in lesson["description"]
    assert f"https://iom.example.ru/routes/{route.pk}/" in lesson["description"]
    end = found[f"route-{route.pk}-end@iom.example.ru"]
    assert end["day"] == route.ends_on and end["summary"] == f"Окончание ИОМ: {route.academic_year} учебный год"
    assert str(calendar["x-wr-calname"]) == f"ИОМ: сроки — {w.teacher_staff.full_name}"
    assert calendar["refresh-interval"].to_ical() == b"PT6H" and str(calendar["version"]) == "2.0"
    assert all(e.get("dtstamp") for e in calendar.walk("VEVENT"))


def test_uids_stay_the_same_when_a_deadline_moves(w, client):
    route = RouteFactory(person=w.teacher_staff, status=S.IN_PROGRESS)
    activity = ActivityFactory(route=route, deadline=dt.date(2027, 2, 1))
    feed = feed_of(w.user("teacher"))
    before = events(read(client, feed))
    activity.deadline = dt.date(2027, 2, 20)
    activity.save(update_fields=["deadline"])
    after = events(read(client, feed))
    uid = f"activity-{activity.pk}@iom.example.ru"
    assert set(before) == set(after) and after[uid]["day"] == dt.date(2027, 2, 20)


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.RETURNED, S.NOT_CREDITED, S.RESULTS_SUBMITTED,
                                    S.COMPLETED, S.ARCHIVED, S.WITHDRAWN])
def test_a_route_not_approved_or_already_finished_is_absent(w, client, status):
    ActivityFactory(route=RouteFactory(person=w.teacher_staff, status=status))
    assert events(read(client, feed_of(w.user("teacher")))) == {}


def test_a_route_waiting_for_credit_shows_its_deadlines_but_no_period_end_yet(w, client):
    route = RouteFactory(person=w.teacher_staff, status=S.AWAITING_CREDIT)
    activity = ActivityFactory(route=route)
    assert set(events(read(client, feed_of(w.user("teacher"))))) == {f"activity-{activity.pk}@iom.example.ru"}


def test_the_routes_of_other_people_are_never_in_the_feed(w, client):
    own = ActivityFactory(route=RouteFactory(person=w.teacher_staff, status=S.IN_PROGRESS), title="Мое")
    for person in (w.colleague, w.deputy_staff, w.sibling_staff, w.far_staff):
        ActivityFactory(route=RouteFactory(person=person, status=S.IN_PROGRESS), title=f"Чужое {person.pk}")
    feed_of(w.user("deputy"))  # another person's link changes nothing either
    found = events(read(client, feed_of(w.user("teacher"))))
    assert [uid for uid in found if uid.startswith("activity-")] == [f"activity-{own.pk}@iom.example.ru"]
    assert all("Чужое" not in e["summary"] for e in found.values())


def test_a_deputy_gets_the_deadlines_of_their_own_route(w, client):
    activity = ActivityFactory(route=RouteFactory(person=w.deputy_staff, status=S.IN_PROGRESS))
    ActivityFactory(route=RouteFactory(person=w.teacher_staff, status=S.IN_PROGRESS))  # reviewed by the deputy
    found = events(read(client, feed_of(w.user("deputy"))))
    assert [uid for uid in found if uid.startswith("activity-")] == [f"activity-{activity.pk}@iom.example.ru"]


def test_a_revoked_link_answers_404_and_a_new_one_works(w, client):
    ActivityFactory(route=RouteFactory(person=w.teacher_staff, status=S.IN_PROGRESS))
    old = feed_of(w.user("teacher"))
    new = feed_of(w.user("teacher"))  # «Создать новую ссылку» replaces the old one
    assert client.get(address(old)).status_code == 404
    assert client.get(address(new)).status_code == 200 and address(old) != address(new)
    services.calendar_feed_revoke(actor=w.user("teacher"))
    assert client.get(address(new)).status_code == 404


def test_a_forged_signature_a_switched_off_account_and_a_short_token_answer_404(w, client):
    feed = feed_of(w.user("teacher"))
    token = token_for(feed.key)
    assert client.get(reverse("calendar:feed", args=[token[:-1] + ("A" if token[-1] != "A" else "B")])).status_code == 404
    assert client.get(reverse("calendar:feed", args=[feed.key])).status_code == 404  # the key alone opens nothing
    teacher = w.user("teacher")
    teacher.is_active = False
    teacher.save(update_fields=["is_active"])
    assert client.get(address(feed)).status_code == 404


def test_a_link_made_before_the_secret_key_was_rotated_still_works_while_the_old_key_is_a_fallback(w, client, settings):
    feed = feed_of(w.user("teacher"))
    old_address = address(feed)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-that-is-long-enough-0123456789abcdef"
    assert client.get(old_address).status_code == 200
    settings.SECRET_KEY_FALLBACKS = []
    assert client.get(old_address).status_code == 404


def test_refusals_and_reads_are_in_the_security_log_without_the_token(w, client, caplog):
    feed = feed_of(w.user("teacher"))
    services.calendar_feed_revoke(actor=w.user("teacher"))
    with caplog.at_level(logging.INFO, logger="iom.security"):
        client.get(address(feed))
        fresh = feed_of(w.user("teacher"))
        client.get(address(fresh), HTTP_USER_AGENT="Google-Calendar-Importer")
        client.get(address(fresh))  # within the hour: not noted again
    records = {r.getMessage(): r for r in caplog.records}
    assert records["not_found"].reason == "calendar feed: revoked"
    assert records["calendar_feed_read"].feed_id == fresh.pk and records["calendar_feed_read"].owner_id == fresh.user_id
    assert [r.getMessage() for r in caplog.records].count("calendar_feed_read") == 1
    from core.logging import JsonFormatter

    # (Django's own "Not Found" warning names the path too: of a token that opens nothing)
    lines = [JsonFormatter().format(r) for r in caplog.records if r.name == "iom.security"]
    assert all(token_for(feed.key) not in line and token_for(fresh.key) not in line for line in lines)
    paths = {json.loads(line)["event"]: json.loads(line).get("path") for line in lines}
    assert paths["not_found"] == paths["calendar_feed_read"] == "/calendar/***.ics"
    fresh.refresh_from_db()
    assert fresh.last_used_at is not None


BOUNDARY = dt.datetime(2026, 9, 30, 20, 30, tzinfo=dt.UTC)  # 1 October 03:30 in Krasnoyarsk, 30 September 23:30 in Moscow


@time_machine.travel(BOUNDARY, tick=False)
def test_overdue_is_decided_on_the_local_date_of_the_school(w, client):
    """Region R keeps Krasnoyarsk time, region S Moscow time: an activity due 30.09 is overdue in the first only,
    and in both the event stays on 30.09 (an all-day date has no zone)."""
    Region.objects.filter(pk=w.region.pk).update(time_zone=TimeZone.KRASNOYARSK)
    Region.objects.filter(pk=w.other_region.pk).update(time_zone=TimeZone.MOSCOW)
    far_user = UserFactory(username="far")
    w.far_staff.user = far_user
    w.far_staff.save(update_fields=["user"])
    due = dt.date(2026, 9, 30)
    for staff in (w.teacher_staff, w.far_staff):
        ActivityFactory(route=RouteFactory(person=staff, academic_year="2026-2027", status=S.IN_PROGRESS),
                        deadline=due, title="Семинар 30 сентября")

    def the_seminar(user):
        calendar = Calendar.from_ical(client.get(address(CalendarFeed.objects.create(
            user=user, key=f"boundary-{user.pk}".ljust(22, "x")))).content)
        return next(e for e in events(calendar).values() if "Семинар" in e["summary"])

    krasnoyarsk, moscow = the_seminar(w.user("teacher")), the_seminar(far_user)
    assert krasnoyarsk["summary"] == "Просрочено: Семинар 30 сентября"
    assert "Срок прошел 30.09.2026" in krasnoyarsk["description"]
    assert moscow["summary"] == "Срок: Семинар 30 сентября"
    assert krasnoyarsk["day"] == moscow["day"] == due
