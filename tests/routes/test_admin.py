"""The route admin corrects content; state changes only through the workflow (docs/spec/workflow.md)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from routes.models import Route
from tests.routes.factories import ActivityFactory, RouteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(get_user_model().objects.create_superuser("root-admin", "root@example.org", "x-secret-42"))
    return client


def _change_form(client, route):
    response = client.get(reverse("admin:routes_route_change", args=[route.pk]))
    assert response.status_code == 200
    return response


def test_admin_cannot_change_a_routes_status_or_its_lifecycle_dates(superuser_client):
    route = RouteFactory(status=Route.Status.SUBMITTED)
    form = _change_form(superuser_client, route).context["adminform"].form
    assert "status" not in form.fields
    assert "credited_on" not in form.fields
    assert "approved_on" not in form.fields


def test_a_posted_status_is_ignored_and_the_content_is_saved(superuser_client):
    route = RouteFactory(status=Route.Status.SUBMITTED)
    ActivityFactory(route=route)
    url = reverse("admin:routes_route_change", args=[route.pk])
    form = _change_form(superuser_client, route).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name != "deficits"}
    data.update(topic="Исправленная тема", status=Route.Status.COMPLETED, credited_on="2026-01-10")
    for prefix in ("activities", "transitions"):
        formset = next(f for f in _change_form(superuser_client, route).context["inline_admin_formsets"]
                       if f.formset.prefix == prefix).formset
        data[f"{prefix}-TOTAL_FORMS"] = formset.total_form_count()
        data[f"{prefix}-INITIAL_FORMS"] = formset.initial_form_count()
        for i, subform in enumerate(formset.forms):
            for name in subform.fields:
                value = subform[name].value()
                data[f"{prefix}-{i}-{name}"] = "" if value is None else value
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    route.refresh_from_db()
    assert route.topic == "Исправленная тема"
    assert route.status == Route.Status.SUBMITTED
    assert route.credited_on is None


def test_admin_can_delete_a_draft_but_not_a_reviewed_route(superuser_client):
    draft = RouteFactory()
    reviewed = RouteFactory(status=Route.Status.IN_PROGRESS)
    assert superuser_client.get(reverse("admin:routes_route_delete", args=[reviewed.pk])).status_code == 403
    assert superuser_client.post(reverse("admin:routes_route_delete", args=[draft.pk]), {"post": "yes"}).status_code == 302
    assert not Route.objects.filter(pk=draft.pk).exists()
    assert Route.objects.filter(pk=reviewed.pk).exists()


def test_admin_offers_no_bulk_deletion_of_routes(superuser_client):
    RouteFactory()
    response = superuser_client.get(reverse("admin:routes_route_changelist"))
    assert "delete_selected" not in response.content.decode()


def test_admin_cannot_add_a_route(superuser_client):
    assert superuser_client.get(reverse("admin:routes_route_add")).status_code == 403
