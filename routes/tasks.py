"""Periodic jobs of the routes app: daily reminders to teachers and deputies."""

import datetime as dt
from itertools import groupby

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from core.services import notify
from routes.selectors import WAITING_DAYS, activities_due, routes_waiting
from schools.models import Membership

User = get_user_model()
DUE_WITHIN_DAYS = 7


def _not_yet_told_today(user, text: str) -> bool:
    """Running the job twice a day must not repeat a reminder."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return not Notification.objects.filter(recipient=user, text=text, created_at__gte=start).exists()


def remind_teachers(today: dt.date) -> int:
    sent = 0
    rows = activities_due(today=today, within_days=DUE_WITHIN_DAYS)
    for _, activities in groupby(rows, key=lambda a: a.route.person.user_id):
        activities = list(activities)
        user = activities[0].route.person.user
        overdue = sum(1 for a in activities if a.deadline < today)
        soon = len(activities) - overdue
        parts = []
        if overdue:
            parts.append(f"просрочено мероприятий: {overdue}")
        if soon:
            parts.append(f"срок в ближайшие {DUE_WITHIN_DAYS} дней: {soon}")
        nearest = min((a for a in activities if a.deadline >= today), key=lambda a: a.deadline, default=None)
        text = "ИОМ: " + ", ".join(parts)
        if nearest is not None:
            text += f" (ближайшее — «{nearest.title[:80]}», {nearest.deadline:%d.%m.%Y})"
        if _not_yet_told_today(user, text):
            notify(users=[user], text=text, url=reverse("routes:route_detail", args=[activities[0].route_id]),
                   subject="ИОМ-портал: сроки мероприятий")
            sent += 1
    return sent


def remind_deputies(now: dt.datetime) -> int:
    sent = 0
    waiting = routes_waiting(older_than=now - dt.timedelta(days=WAITING_DAYS))
    for organisation_id, routes in groupby(waiting, key=lambda r: r.organisation_id):
        count = len(list(routes))
        text = f"ИОМ ждут вашего решения больше {WAITING_DAYS} дней: {count}"
        deputies = User.objects.filter(memberships__role=Membership.Role.DEPUTY,
                                       memberships__organisation_id=organisation_id, is_active=True).distinct()
        recipients = [u for u in deputies if _not_yet_told_today(u, text)]
        if recipients:
            notify(users=recipients, text=text, url=reverse("routes:review_queue"),
                   subject="ИОМ-портал: ИОМ ждут согласования")
            sent += len(recipients)
    return sent


@shared_task
def send_reminders() -> dict:
    """Daily: teachers hear of activities due within 7 days or overdue; deputies of routes waiting > 5 days."""
    with transaction.atomic():
        teachers = remind_teachers(timezone.localdate())
        deputies = remind_deputies(timezone.now())
    return {"teachers": teachers, "deputies": deputies}
