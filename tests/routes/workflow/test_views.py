"""The pages of the ИОМ lifecycle: the action pages, the review page, the history, the queues (the
monitor: tests/routes/monitor/); bounded queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from routes.models import ExpressReview, RoadmapActivity, Route
from routes.roadmap import services as roadmap
from routes.workflow import services as workflow
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db
S = Route.Status


@pytest.fixture
def w():
    return World()


def login(client, w, role):
    client.force_login(w.user(role))
    return client


def _queries(client, url) -> int:
    client.get(url)  # warm-up: the first request after force_login also saves the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_a_forbidden_action_page_is_403_and_a_wrong_state_says_why(client, w):
    route = RouteFactory(person=w.teacher_staff, status=S.DRAFT)
    ActivityFactory(route=route)
    login(client, w, "teacher")
    assert client.get(reverse("routes:route_action", args=[route.pk, "approve"])).status_code == 403
    response = client.get(reverse("routes:route_action", args=[route.pk, "recall"]), follow=True)
    assert "Сейчас это действие недоступно" in response.content.decode()


def test_return_through_the_review_page_needs_a_comment(client, w):
    route = RouteFactory(person=w.teacher_staff, status=S.SUBMITTED)
    ActivityFactory(route=route)
    login(client, w, "deputy")
    page = client.get(reverse("routes:route_review", args=[route.pk]))
    assert "Экспресс-экспертиза и согласование" in page.content.decode()
    response = client.post(reverse("routes:route_action", args=[route.pk, "return"]), {"comment": ""})
    assert "Комментарий обязателен" in response.content.decode()
    route.refresh_from_db()
    assert route.status == S.SUBMITTED
    client.post(reverse("routes:route_action", args=[route.pk, "return"]), {"comment": "Добавьте КПК"})
    route.refresh_from_db()
    assert route.status == S.RETURNED


def test_history_page_shows_who_changed_what_since_approval(client, w):
    route = RouteFactory(person=w.teacher_staff, status=S.SUBMITTED)
    row = ActivityFactory(route=route)
    workflow.route_approve(actor=w.user("deputy"), route=route, scores={c: 1 for c, _ in ExpressReview.CRITERIA},
                           comment="Слабые оценки: согласую с условием доработать задачи")
    workflow.route_credit(actor=w.user("regional_methodist"), route=route)
    roadmap.activity_update(actor=w.user("teacher"), activity=RoadmapActivity.objects.get(pk=row.pk),
                            data={"deadline": row.deadline + dt.timedelta(days=7)}, expected_version=route.version)
    login(client, w, "director")
    html = client.get(reverse("routes:route_history", args=[route.pk])).content.decode()
    assert "Изменения после согласования" in html
    assert "Перенесен срок" in html and "срок:" in html
    assert "Согласован" in html and "Зачтен" in html


def test_the_review_queue_costs_the_same_for_10_and_100_activities(client, w):
    """Queries: session, user, memberships, the queue (one grouped query with the activity
    count), the notifications count and the menu's checks — none per route or activity."""
    login(client, w, "deputy")
    route = RouteFactory(person=w.teacher_staff, status=S.SUBMITTED, submitted_at=timezone.now())
    for _ in range(10):
        ActivityFactory(route=route)
    small = _queries(client, reverse("routes:review_queue"))
    for _ in range(90):
        ActivityFactory(route=route)
    other = RouteFactory(person=w.colleague, status=S.SUBMITTED, submitted_at=timezone.now())
    ActivityFactory(route=other)
    assert _queries(client, reverse("routes:review_queue")) == small
    assert small <= 10
    page = client.get(reverse("routes:review_queue")).content.decode()
    assert w.teacher_staff.full_name in page and w.colleague.full_name in page
