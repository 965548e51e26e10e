"""The drafting page: the preview of the route drafted from the teacher's deficits, and its creation."""

import datetime as dt

import pytest
from django.urls import reverse

from routes.catalog.services import load_initial_catalog
from routes.models import Route
from tests.diagnostics.factories import DeficitFactory, competency
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


def test_the_teacher_drafts_a_route_from_the_drafting_page(client, w):
    load_initial_catalog()
    DeficitFactory(person=w.teacher_staff, competency=competency("М4"))
    client.force_login(w.user("teacher"))
    preview = client.get(reverse("drafting:new")).content.decode()
    assert "Формирующее оценивание и объективность" in preview
    response = client.post(reverse("drafting:new"), {"starts_on": "2026-01-10", "ends_on": "2026-12-20"})
    route = Route.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("routes:route_detail", args=[route.pk])
    assert route.starts_on == dt.date(2026, 1, 10) and route.activities.exists()


def test_the_drafting_page_refuses_a_short_period_with_the_reason(client, w):
    DeficitFactory(person=w.teacher_staff, competency=competency("М4"))
    client.force_login(w.user("teacher"))
    response = client.post(reverse("drafting:new"), {"starts_on": "2026-01-10", "ends_on": "2026-02-10"})
    assert response.status_code == 200 and "не меньше полугода" in response.content.decode()
    assert not Route.objects.exists()
