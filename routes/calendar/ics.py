"""A person's deadlines as an iCalendar feed (RFC 5545, the icalendar package).

Each activity of the roadmap not done yet is an all-day event on its deadline; each route's period end is
one more. An all-day date is the same date in every zone, so the events carry no time zone; what depends on
"today" (an activity already overdue is marked «Просрочено») is decided on the local date of the route's
organisation (schools.timezones.local_today), as everywhere in the portal. UIDs are stable per activity and
route, so a calendar moves an event whose deadline moved instead of adding a second one.
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vDuration

from core.dates import format_date
from core.links import absolute_url, portal_base_url
from routes.calendar.selectors import feed_routes, owner_name
from routes.models import RoadmapActivity, Route
from schools.timezones import local_today, zone_of_user

# How often a calendar application is asked to read the feed again (Google and Yandex decide for
# themselves, about twice a day; Apple and Outlook follow it).
REFRESH = dt.timedelta(hours=6)
PRODID = "-//ИОМ-портал//Календарь сроков//RU"
OVERDUE = "Просрочено"  # the summary's first word for an activity past its deadline


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    day: dt.date
    title: str  # the activity's title, or what ends
    description: str
    url: str
    kind: str = "Срок"  # "Срок", OVERDUE, "Окончание ИОМ"

    @property
    def overdue(self) -> bool:
        return self.kind == OVERDUE

    @property
    def summary(self) -> str:
        return f"{self.kind}: {self.title}"


def _route_line(route: Route) -> str:
    topic = f": «{route.topic}»" if route.topic else ""
    return f"ИОМ на {route.academic_year} учебный год{topic} ({route.organisation.short_name})"


def _activity_event(activity: RoadmapActivity, route: Route, *, today: dt.date, host: str, url: str) -> FeedEvent:
    overdue = activity.deadline < today
    lines = [_route_line(route), f"Направление: {activity.group.name}", f"Вид: {activity.kind.name}"]
    if activity.expected_result:
        lines.append(f"Ожидаемый результат: {activity.expected_result}")
    if activity.confirming_document:
        lines.append(f"Подтверждающий документ: {activity.confirming_document}")
    if overdue:
        lines.append(f"Срок прошел {format_date(activity.deadline)}, мероприятие не отмечено выполненным.")
    lines.append(f"Отметить выполнение: {url}")
    return FeedEvent(uid=f"activity-{activity.pk}@{host}", day=activity.deadline,
                     title=activity.title, kind=OVERDUE if overdue else "Срок", description="\n".join(lines), url=url)


def _period_end_event(route: Route, *, host: str, url: str) -> FeedEvent:
    description = "\n".join([_route_line(route), "Последний день периода ИОМ: к этому сроку напишите рефлексию "
                             "и отправьте итоги на проверку.", f"Открыть ИОМ: {url}"])
    return FeedEvent(uid=f"route-{route.pk}-end@{host}", day=route.ends_on,
                     title=f"{route.academic_year} учебный год", kind="Окончание ИОМ", description=description, url=url)


def feed_events(user, *, now: dt.datetime | None = None) -> list[FeedEvent]:
    """The events of the user's feed, by date."""
    now = now or timezone.now()
    host = urlsplit(portal_base_url()).hostname
    events = []
    for route in feed_routes(user):
        today = local_today(route.organisation, now)
        url = absolute_url(reverse("routes:route_detail", args=[route.pk]))
        events += [_activity_event(a, route, today=today, host=host, url=url) for a in route.pending_activities]
        if route.ends_on and route.status == Route.Status.IN_PROGRESS:
            events.append(_period_end_event(route, host=host, url=url))
    return sorted(events, key=lambda event: (event.day, event.uid))


def render_feed(user, *, now: dt.datetime | None = None) -> bytes:
    """The user's feed as an .ics file."""
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"ИОМ: сроки — {owner_name(user)}")
    calendar.add("x-wr-caldesc", "Сроки мероприятий индивидуального образовательного маршрута из ИОМ-портала")
    calendar.add("x-wr-timezone", zone_of_user(user).key)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    stamp = now.astimezone(dt.UTC)
    for item in feed_events(user, now=now):
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + dt.timedelta(days=1))
        event.add("summary", item.summary)
        event.add("description", item.description)
        event.add("url", item.url)
        event.add("transp", "TRANSPARENT")  # a deadline does not make the day busy
        calendar.add_component(event)
    return calendar.to_ical()
