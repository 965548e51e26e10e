"""Periodic jobs of the routes app: daily reminders to teachers and deputies; the end of a route's period.

No request, so no active time zone: "today" is each route's organisation's local date, and "once a
day" is the recipient's local day (schools.timezones).
"""

import datetime as dt
from collections import Counter
from itertools import groupby

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import words
from core.dates import format_date
from core.models import Notification
from core.services import notify
from routes.digests.tasks import send_monthly_digests, send_weekly_digests  # noqa: F401  (registered for the worker)
from routes.models import Escalation, Route
from routes.selectors import (
    WAITING_DAYS,
    activities_due,
    activities_overdue,
    municipal_methodists,
    route_reviewers,
    routes_expired_unescalated,
    routes_past_end,
    routes_waiting,
    school_directors,
)
from routes.services import RouteError, tell
from routes.workflow.services import route_expire
from schools.timezones import local_now, local_today, zone_of_user

DUE_WITHIN_DAYS = 7


def _not_yet_told_today(user, text: str, now: dt.datetime) -> bool:
    """Running the job twice a day (the recipient's day) must not repeat a reminder."""
    start = local_now(zone_of_user(user), now).replace(hour=0, minute=0, second=0, microsecond=0)
    return not Notification.objects.filter(recipient=user, text=text, created_at__gte=start).exists()


def remind_teachers(now: dt.datetime) -> int:
    sent = 0
    rows = activities_due(now=now, within_days=DUE_WITHIN_DAYS)
    for _, group in groupby(rows, key=lambda a: a.route.person.user_id):
        # Each activity against its own school's date (a teacher's routes may be of two schools).
        activities = [(a, local_today(a.route.organisation, now)) for a in group]
        activities = [(a, today) for a, today in activities if a.deadline <= today + dt.timedelta(days=DUE_WITHIN_DAYS)]
        if not activities:
            continue
        user = activities[0][0].route.person.user
        overdue = sum(1 for a, today in activities if a.deadline < today)
        soon = len(activities) - overdue
        parts = []
        if overdue:
            parts.append(f"просрочено мероприятий: {overdue}")
        if soon:
            parts.append(f"срок в ближайшие {DUE_WITHIN_DAYS} дней: {soon}")
        nearest = min((a for a, today in activities if a.deadline >= today), key=lambda a: a.deadline, default=None)
        text = "ИОМ: " + ", ".join(parts)
        if nearest is not None:
            text += f" (ближайшее — «{nearest.title[:80]}», {nearest.deadline:%d.%m.%Y})"
        if _not_yet_told_today(user, text, now):
            notify(users=[user], text=text, url=reverse("routes:route_detail", args=[activities[0][0].route_id]),
                   subject="ИОМ-портал: сроки мероприятий")
            sent += 1
    return sent


def remind_deputies(now: dt.datetime) -> int:
    """Each reviewer hears how many routes wait for their decision (routes.selectors.route_reviewers:
    the deputy, or for a deputy's own route the director or the methodist; never the owner)."""
    waiting = Counter()
    reviewers = {}
    for route in routes_waiting(older_than=now - dt.timedelta(days=WAITING_DAYS)):
        step = "approve" if route.status == Route.Status.SUBMITTED else "accept_results"
        for user in route_reviewers(route, step):
            waiting[user.pk] += 1
            reviewers[user.pk] = user
    sent = 0
    for pk, count in sorted(waiting.items()):
        text = f"ИОМ ждут вашего решения больше {WAITING_DAYS} дней: {count}"
        if _not_yet_told_today(reviewers[pk], text, now):
            notify(users=[reviewers[pk]], text=text, url=reverse("routes:review_queue"),
                   subject="ИОМ-портал: ИОМ ждут согласования")
            sent += 1
    return sent


@shared_task
def send_reminders() -> dict:
    """Daily: teachers hear of activities due within 7 days or overdue; deputies of routes waiting > 5 days."""
    with transaction.atomic():
        now = timezone.now()
        teachers = remind_teachers(now)
        deputies = remind_deputies(now)
    return {"teachers": teachers, "deputies": deputies}


def expire_due(now: dt.datetime) -> int:
    """Routes in progress whose period ended before their school's today become «Срок истек» (a transition
    of the system, logged; the teacher and the school reviewers told). Each in its own transaction."""
    expired = 0
    for route in routes_past_end(now=now):
        if route.ends_on >= local_today(route.organisation, now):
            continue  # not yet over where the school is
        try:
            route_expire(route=route, now=now)
        except RouteError:  # moved or extended meanwhile
            continue
        expired += 1
    return expired


def escalate_expired(now: dt.datetime, days: int) -> int:
    """After `days` days in «Срок истек» the municipal methodists hear that the route still waits (once)."""
    told = 0
    for route in routes_expired_unescalated(now=now, days=days):
        if route.expired_on > local_today(route.organisation, now) - dt.timedelta(days=days):
            continue
        with transaction.atomic():
            updated = Route.objects.filter(pk=route.pk, status=Route.Status.EXPIRED,
                                           expiry_escalated_at__isnull=True).update(expiry_escalated_at=now)
            if updated:
                methodists = municipal_methodists(route)
                tell(methodists, None, route,
                     f"Срок реализации ИОМ истек {format_date(route.ends_on)}, прошло больше "
                     f"{words.count(days, 'дня', 'дней', 'дней')}: "
                     "итогов нет, срок не продлен")
                _log_step(route, Escalation.Step.EXPIRED_METHODIST, methodists)
                told += 1
    return told


# ---------------------------------------------------------------- escalation (routes.tasks.escalate, daily)
#
# Each step is an Escalation row, unique per route and submission (a review) or per activity (overdue): the step is
# taken once, whatever the number of runs, and the route's history lists it. The steps after «больше N дней»:
#   a review waiting ROUTE_REVIEW_REMIND_DAYS → its reviewers again (this route by name, not a count);
#                     ROUTE_REVIEW_ESCALATE_DAYS → the school's director and the municipal methodists;
#   an activity overdue (the school's date) → the teacher; ROUTE_OVERDUE_DEPUTY_DAYS later → the school reviewers.


def _names(users) -> str:
    return ", ".join(u.get_full_name() or u.username for u in users)[:500]


def _log_step(route: Route, step: str, users, *, submitted_at=None, activity=None) -> bool:
    """Record the step; False when it was taken before (nothing is sent then)."""
    _row, created = Escalation.objects.get_or_create(route=route, step=step, submitted_at=submitted_at,
                                                     activity=activity, defaults={"recipients": _names(users)})
    return created


def _days(since: dt.datetime, now: dt.datetime) -> int:
    return (now - since).days


def escalate_reviews(now: dt.datetime, remind_days: int, escalate_days: int) -> dict:
    reminded = escalated = 0
    for route in routes_waiting(older_than=now - dt.timedelta(days=remind_days)):
        since = route.waiting_since or route.submitted_at
        if since is None:
            continue
        waited = _days(since, now)
        what = "итоги ИОМ" if route.status == Route.Status.RESULTS_SUBMITTED else "ИОМ"
        step = "approve" if route.status == Route.Status.SUBMITTED else "accept_results"
        with transaction.atomic():
            reviewers = route_reviewers(route, step)
            if waited >= remind_days and reviewers and _log_step(
                    route, Escalation.Step.REVIEW_REMINDER, reviewers, submitted_at=since):
                tell(reviewers, None, route, f"{words.upper_first(what)} ждут вашего решения больше "
                     f"{words.count(remind_days, 'дня', 'дней', 'дней')} (отправлены {format_date(since.date())})")
                reminded += 1
            above = [*school_directors(route), *municipal_methodists(route)]
            above = [u for u in above if u.pk not in {r.pk for r in reviewers}]
            if waited >= escalate_days and above and _log_step(
                    route, Escalation.Step.REVIEW_ESCALATED, above, submitted_at=since):
                tell(above, None, route, f"{words.upper_first(what)} ждут решения больше "
                     f"{words.count(escalate_days, 'дня', 'дней', 'дней')}: согласование затянулось")
                escalated += 1
    return {"reminded": reminded, "escalated": escalated}


def escalate_overdue(now: dt.datetime, deputy_days: int) -> dict:
    teachers = deputies = 0
    for _route_id, group in groupby(activities_overdue(now=now), key=lambda a: a.route_id):
        activities = list(group)
        route = activities[0].route
        today = local_today(route.organisation, now)
        late = [a for a in activities if a.deadline < today]
        if not late:
            continue
        with transaction.atomic():
            owner = [route.person.user] if route.person.user_id else []
            new = [a for a in late if owner and _log_step(route, Escalation.Step.OVERDUE_TEACHER, owner, activity=a)]
            if new:
                first = new[0]
                text = (f"Просрочено мероприятие {words.quote(words.shorten(first.title, 80))} "
                        f"(срок {format_date(first.deadline)})")
                if len(new) > 1:
                    text = f"Просрочено {words.count(len(new), 'мероприятие', 'мероприятия', 'мероприятий')}, " \
                           f"первое — {words.quote(words.shorten(first.title, 80))} (срок {format_date(first.deadline)})"
                tell(owner, None, route, text)
                teachers += 1
            long_late = [a for a in late if (today - a.deadline).days >= deputy_days]
            if long_late:
                reviewers = route_reviewers(route, "approve")
                new = [a for a in long_late if reviewers and _log_step(route, Escalation.Step.OVERDUE_DEPUTY,
                                                                       reviewers, activity=a)]
                if new:
                    tell(reviewers, None, route,
                         f"Больше {words.count(deputy_days, 'дня', 'дней', 'дней')} просрочено "
                         f"{words.count(len(new), 'мероприятие', 'мероприятия', 'мероприятий')} дорожной карты")
                    deputies += 1
    return {"teachers": teachers, "deputies": deputies}


@shared_task
def escalate() -> dict:
    """Daily: the escalation steps of reviews waiting too long and of overdue activities (each once, logged)."""
    now = timezone.now()
    reviews = escalate_reviews(now, settings.ROUTE_REVIEW_REMIND_DAYS, settings.ROUTE_REVIEW_ESCALATE_DAYS)
    overdue = escalate_overdue(now, settings.ROUTE_OVERDUE_DEPUTY_DAYS)
    return {**reviews, **overdue}


@shared_task
def expire_routes() -> dict:
    """Hourly: routes whose period ended (their school's date) become «Срок истек»; the methodists hear of
    those still there after ROUTE_EXPIRED_METHODIST_DAYS days."""
    now = timezone.now()
    return {"expired": expire_due(now),
            "escalated": escalate_expired(now, settings.ROUTE_EXPIRED_METHODIST_DAYS)}
