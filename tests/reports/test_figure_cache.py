"""Dashboard figures come from the cache until a write of their municipality commits."""

import pytest

from core import cache as figures
from tests.dashboard_figures import dashboard, methodist_client, statuses
from tests.routes.factories import RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db


def test_a_second_visit_reads_the_figures_from_the_cache(client, django_assert_max_num_queries):
    w = World()
    RouteFactory(person=w.colleague)
    client = methodist_client(client, w)
    first = dashboard(client, w)
    with django_assert_max_num_queries(12):  # session, user, memberships, municipality, target, indicators' definitions,
        # snapshots, unread notifications, own staff card (menu), the years with routes (the period form), and
        # for a municipal methodist the menu's «Зачет ИОМ» label (does the municipality credit, which region's
        # queue): no figure is computed
        second = dashboard(client, w)
    assert statuses(second) == statuses(first) and statuses(first)["draft"] == 1


def test_a_write_elsewhere_leaves_the_figures_cached_and_a_write_here_refreshes_them(client, django_capture_on_commit_callbacks):
    w = World()
    client = methodist_client(client, w)
    dashboard(client, w)
    RouteFactory(person=w.colleague)  # written behind the services' back: nothing tells the cache
    assert statuses(dashboard(client, w))["draft"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        figures.bump_on_commit(w.other_municipality.pk)
    assert statuses(dashboard(client, w))["draft"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        figures.bump_on_commit(w.municipality.pk)
    assert statuses(dashboard(client, w))["draft"] == 1


def test_a_committed_import_refreshes_every_figure(client, django_capture_on_commit_callbacks):
    w = World()
    client = methodist_client(client, w)
    dashboard(client, w)
    RouteFactory(person=w.colleague)
    with django_capture_on_commit_callbacks(execute=True):
        figures.bump_all_on_commit()
    assert statuses(dashboard(client, w))["draft"] == 1
