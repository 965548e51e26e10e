"""Regressions for what the wapiti scan of the development server found (scripts/wapiti_scan.sh).

Each test names the finding: the URL wapiti reached and what the server answered.
"""

import pytest
from django.urls import reverse

from routes.models import Route, Transition
from tests.routes.factories import RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


def test_route_history_with_a_system_transition_names_the_system_instead_of_a_server_error(client, w):
    # wapiti (deputy, methodist): GET /routes/<pk>/history/ answered 500 for every demo route
    # imported from the registry, whose "import" transition has no actor: the template passed
    # t.actor.username as a filter argument, and Django raises on a missing filter argument.
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    Transition.objects.create(route=route, action="import", from_status=Route.Status.DRAFT,
                              to_status=Route.Status.IN_PROGRESS, actor=None)
    client.force_login(w.user("deputy"))
    response = client.get(reverse("routes:route_history", args=[route.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Загружен из реестра" in html
    assert "<td>система</td>" in html


def test_route_history_names_the_person_who_moved_the_route(client, w):
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.SUBMITTED)
    deputy = w.user("deputy")
    Transition.objects.create(route=route, action="submit", from_status=Route.Status.DRAFT,
                              to_status=Route.Status.SUBMITTED, actor=deputy)
    client.force_login(deputy)
    html = client.get(reverse("routes:route_history", args=[route.pk])).content.decode()
    assert f"<td>{deputy.get_full_name() or deputy.username}</td>" in html
