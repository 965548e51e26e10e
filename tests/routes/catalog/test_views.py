"""The catalog's pages: the list and its filters, adding and changing a resource."""

import pytest
from django.urls import reverse

from routes.models import ActivityKind, CatalogResource
from tests.diagnostics.factories import competency
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


def test_a_methodist_adds_a_course_and_a_course_needs_hours(client, w):
    client.force_login(w.user("municipal_methodist"))
    data = {"kind": "course", "title": "Новый курс", "provider": "ИПК", "level": "municipal",
            "activity_kind": ActivityKind.objects.get(code="course").pk, "competencies": [competency("М4").pk],
            "is_active": "on"}
    refused = client.post(reverse("catalog:create"), data)
    assert "объем в часах" in refused.content.decode()
    assert client.post(reverse("catalog:create"), {**data, "hours": 24}).status_code == 302
    assert CatalogResource.objects.get().competencies.get().code == "М4"
