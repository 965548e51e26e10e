"""Deficit writes move the municipality's cached dashboard figures: the next visit shows the new numbers."""

import pytest

from diagnostics import services
from tests.dashboard_figures import dashboard, deficits, methodist_client
from tests.diagnostics.factories import competency
from tests.world import World

pytestmark = pytest.mark.django_db


def test_an_added_and_a_dismissed_deficit_show_in_the_frequent_deficits_at_once(client,
                                                                                 django_capture_on_commit_callbacks):
    w = World()
    client = methodist_client(client, w)
    m4 = competency("М4")
    assert deficits(dashboard(client, w)).get(m4.name, 0) == 0
    with django_capture_on_commit_callbacks(execute=True):
        deficit = services.deficit_add(actor=w.user("deputy"), person=w.colleague, competency=m4,
                                       reason="по итогам посещения урока")
    assert deficits(dashboard(client, w))[m4.name] == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.deficit_dismiss(actor=w.user("deputy"), deficit=deficit, reason="внесен по ошибке")
    assert deficits(dashboard(client, w)).get(m4.name, 0) == 0
