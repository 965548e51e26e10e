"""The escalation (routes.tasks.escalate, daily): a review waiting too long goes to its reviewers again, then to
the director and the municipal methodist; an overdue activity goes to the teacher, later to the deputy. Each step
is logged once (routes.models.Escalation) and shown on the route's history."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from iom_portal.celery import app
from routes.models import Escalation, Route, Transition
from routes.tasks import escalate, escalate_overdue, escalate_reviews
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db
S = Route.Status


@pytest.fixture
def w():
    return World()


def _submitted(w, days_ago: int) -> Route:
    route = RouteFactory(person=w.teacher_staff, status=S.SUBMITTED)
    moment = timezone.now() - dt.timedelta(days=days_ago)
    Route.objects.filter(pk=route.pk).update(submitted_at=moment)
    transition = Transition.objects.create(route=route, action="submit", from_status=S.DRAFT, to_status=S.SUBMITTED,
                                           actor=w.user("teacher"))
    Transition.objects.filter(pk=transition.pk).update(at=moment)
    return route


def _told(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("text", flat=True))


def test_the_escalation_is_a_daily_beat_entry():
    assert app.conf.beat_schedule["routes-escalation"]["task"] == "routes.tasks.escalate"


def test_a_review_waiting_too_long_goes_to_the_deputy_again_then_to_the_director_and_the_methodist(
        w, django_capture_on_commit_callbacks):
    route = _submitted(w, days_ago=8)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_reviews(now, 7, 14) == {"reminded": 1, "escalated": 0}
        assert escalate_reviews(now, 7, 14) == {"reminded": 0, "escalated": 0}  # once, however many runs
    (text,) = _told(w.user("deputy"))
    assert text.startswith("ИОМ ждут вашего решения больше 7 дней") and w.teacher_staff.short_name in text
    assert _told(w.user("director")) == [] and _told(w.user("municipal_methodist")) == []

    later = now + dt.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_reviews(later, 7, 14) == {"reminded": 0, "escalated": 1}
        assert escalate_reviews(later, 7, 14) == {"reminded": 0, "escalated": 0}
    for role in ("director", "municipal_methodist"):
        (text,) = _told(w.user(role))
        assert "ждут решения больше 14 дней: согласование затянулось" in text
    assert list(route.escalations.values_list("step", flat=True)) == ["review_reminder", "review_escalated"]


def test_a_route_submitted_again_escalates_again(w, django_capture_on_commit_callbacks):
    route = _submitted(w, days_ago=8)
    with django_capture_on_commit_callbacks(execute=True):
        escalate_reviews(timezone.now(), 7, 14)
    moment = timezone.now() - dt.timedelta(days=9)  # returned and submitted once more, long ago too
    transition = Transition.objects.create(route=route, action="submit", from_status=S.RETURNED, to_status=S.SUBMITTED)
    Transition.objects.filter(pk=transition.pk).update(at=moment + dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_reviews(timezone.now(), 7, 14)["reminded"] == 1
    assert route.escalations.filter(step="review_reminder").count() == 2


def test_an_overdue_activity_goes_to_the_teacher_then_to_the_deputy(w, django_capture_on_commit_callbacks):
    route = RouteFactory(person=w.teacher_staff, status=S.IN_PROGRESS)
    today = timezone.localdate()
    ActivityFactory(route=route, deadline=today - dt.timedelta(days=1), title="Открытый урок")
    ActivityFactory(route=route, deadline=today + dt.timedelta(days=30))  # not yet due: nobody hears
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue(now, 7) == {"teachers": 1, "deputies": 0}
        assert escalate_overdue(now, 7) == {"teachers": 0, "deputies": 0}
    (text,) = _told(w.user("teacher"))
    assert text.startswith("Просрочено мероприятие «Открытый урок» (срок ")
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue(now + dt.timedelta(days=6), 7) == {"teachers": 0, "deputies": 1}
        assert escalate_overdue(now + dt.timedelta(days=8), 7) == {"teachers": 0, "deputies": 0}
    (text,) = _told(w.user("deputy"))
    assert text.startswith("Больше 7 дней просрочено 1 мероприятие дорожной карты")
    assert Escalation.objects.filter(route=route).count() == 2


@override_settings(ROUTE_REVIEW_REMIND_DAYS=2, ROUTE_REVIEW_ESCALATE_DAYS=3, ROUTE_OVERDUE_DEPUTY_DAYS=1)
def test_the_task_reads_the_settings_and_the_history_lists_the_steps(w, client, django_capture_on_commit_callbacks):
    route = _submitted(w, days_ago=4)
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate() == {"reminded": 1, "escalated": 1, "teachers": 0, "deputies": 0}
    client.force_login(w.user("deputy"))
    html = client.get(reverse("routes:route_history", args=[route.pk])).content.decode()
    assert "Напоминания и эскалация" in html
    assert "Повторное напоминание о согласовании" in html
    assert "Согласование затянулось: сообщено директору и методисту" in html
