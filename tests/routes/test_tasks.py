"""The daily reminders."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.models import Notification
from iom_portal.celery import app
from routes.models import Route, Transition
from routes.tasks import send_reminders
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db
S = Route.Status


def test_the_reminder_job_is_scheduled_daily():
    entry = app.conf.beat_schedule["routes-daily-reminders"]
    assert entry["task"] == "routes.tasks.send_reminders"


def test_teachers_hear_of_overdue_and_near_deadlines_once_a_day(django_capture_on_commit_callbacks):
    w = World()
    teacher = w.user("teacher")
    teacher.email = "teacher@example.org"
    teacher.save()
    route = RouteFactory(person=w.teacher_staff, status=S.IN_PROGRESS)
    today = timezone.localdate()
    ActivityFactory(route=route, deadline=today - dt.timedelta(days=3))
    ActivityFactory(route=route, deadline=today + dt.timedelta(days=5), title="Открытый урок")
    ActivityFactory(route=route, deadline=today + dt.timedelta(days=30))
    ActivityFactory(route=route, deadline=today - dt.timedelta(days=1), is_done=True, done_on=today)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == {"teachers": 1, "deputies": 0}
    note = Notification.objects.get(recipient=teacher)
    assert "просрочено мероприятий: 1" in note.text and "ближайшие 7 дней: 1" in note.text
    assert "Открытый урок" in note.text
    assert mail.outbox[0].to == ["teacher@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders()["teachers"] == 0  # safe to run twice
    assert Notification.objects.filter(recipient=teacher).count() == 1


def test_routes_not_in_progress_are_not_reminded():
    w = World()
    route = RouteFactory(person=w.teacher_staff, status=S.DRAFT)
    ActivityFactory(route=route, deadline=timezone.localdate())
    assert send_reminders()["teachers"] == 0


def test_deputies_hear_of_routes_waiting_more_than_five_days(django_capture_on_commit_callbacks):
    w = World()
    old = RouteFactory(person=w.teacher_staff, status=S.SUBMITTED, submitted_at=timezone.now())
    Transition.objects.create(route=old, action="submit", from_status=S.DRAFT, to_status=S.SUBMITTED)
    Transition.objects.filter(route=old).update(at=timezone.now() - dt.timedelta(days=6))
    fresh = RouteFactory(person=w.colleague, status=S.SUBMITTED, submitted_at=timezone.now())
    Transition.objects.create(route=fresh, action="submit", from_status=S.DRAFT, to_status=S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders()["deputies"] == 1
    note = Notification.objects.get(recipient=w.user("deputy"))
    assert note.text.endswith(": 1") and note.url == "/routes/review/"
