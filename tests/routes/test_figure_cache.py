"""Route writes move the municipality's cached dashboard figures: the next visit shows the new numbers."""

import datetime as dt

import pytest

from routes.models import Route
from routes.roadmap import services as roadmap
from routes.workflow import services as workflow
from tests.dashboard_figures import buckets, dashboard, methodist_client, statuses
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


def test_a_new_route_is_counted_at_once(client, w, django_capture_on_commit_callbacks):
    client = methodist_client(client, w)
    assert statuses(dashboard(client, w))["draft"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        roadmap.route_create(actor=w.user("teacher"), person=w.teacher_staff)
    assert statuses(dashboard(client, w))["draft"] == 1


def test_marking_activities_done_moves_the_route_between_implementation_buckets(client, w,
                                                                                 django_capture_on_commit_callbacks):
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    first, second = ActivityFactory(route=route), ActivityFactory(route=route)
    client = methodist_client(client, w)
    assert buckets(dashboard(client, w))["impl_lt50"] == 1
    for activity in (first, second):
        with django_capture_on_commit_callbacks(execute=True):
            roadmap.activity_mark_done(actor=w.user("teacher"), activity=activity, done_on=dt.date.today(),
                                       url="https://example.org/certificate")
    assert buckets(dashboard(client, w)) == {"impl_100": 1, "impl_70": 0, "impl_50": 0, "impl_lt50": 0}
    with django_capture_on_commit_callbacks(execute=True):
        roadmap.activity_unmark_done(actor=w.user("teacher"), activity=second)
    assert buckets(dashboard(client, w))["impl_50"] == 1


def test_a_transition_is_counted_at_once(client, w, django_capture_on_commit_callbacks):
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.SUBMITTED)
    client = methodist_client(client, w)
    assert statuses(dashboard(client, w))["submitted"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        workflow.route_return(actor=w.user("deputy"), route=route, comment="Уточните цель")
    counts = statuses(dashboard(client, w))
    assert counts["submitted"] == 0 and counts["returned"] == 1
