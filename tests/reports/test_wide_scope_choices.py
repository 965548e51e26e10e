"""A wide scope (administrator, regional methodist) never gets every organisation of the region
in one <select>: the report order form and the registry filter list one municipality's."""

import pytest
from django.urls import reverse

from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


def offered(form):
    return [label for value, label in form.fields["organisation"].widget.choices if value]


def test_the_order_form_lists_the_shown_municipality_and_reloads_it_on_change(client, w):
    client.force_login(w.user("regional_methodist"))
    first = client.get(reverse("reports:index"))
    assert offered(first.context["form"]) == ["Школа A1", "Школа A2"]  # the municipality the select shows first
    assert f'hx-get="{reverse("reports:index")}"' in first.content.decode()
    other = client.get(reverse("reports:index"), {"municipality": w.other_municipality.pk})
    assert offered(other.context["form"]) == ["Школа B1"]


def test_the_registry_filter_lists_organisations_after_the_municipality_is_chosen(client, w):
    client.force_login(w.user("regional_methodist"))
    assert offered(client.get(reverse("reports:registry")).context["filters"].form) == []
    chosen = client.get(reverse("reports:registry"), {"municipality": w.other_municipality.pk})
    assert offered(chosen.context["filters"].form) == ["Школа B1"]


def test_an_organisation_of_the_scope_is_still_accepted_by_the_registry_filter(client, w):
    client.force_login(w.user("regional_methodist"))
    response = client.get(reverse("reports:registry"), {"organisation": w.other_school.pk})
    assert response.context["filters"].is_valid()
