"""Create forms of a wide scope (an administrator, a regional methodist) offer one municipality's
organisations at a time: the municipality is chosen first (?municipality=), then the form is sent."""

import pytest
from django.urls import reverse

from core.dates import current_academic_year
from methodics.models import HelpPlan
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


def choices(response, field):
    return [label for value, label in response.context["form"].fields[field].choices if value]


def test_a_plan_is_created_after_choosing_the_municipality(client, w):
    client.force_login(w.user("admin"))
    url = reverse("methodics:plan_create")
    first = client.get(url)
    assert [m.name for m in first.context["municipality_choice"].municipalities] == ["Муниципалитет A", "Муниципалитет B",
                                                                  "Муниципалитет C"]
    assert choices(first, "organisation") == []
    assert "Выберите муниципалитет" in first.content.decode()
    chosen = client.get(url, {"municipality": w.other_municipality.pk})
    assert choices(chosen, "organisation") == ["Школа B1"]
    response = client.post(f"{url}?municipality={w.other_municipality.pk}", {
        "organisation": w.other_school.pk, "academic_year": current_academic_year(), "from_template": "",
    })
    assert response.status_code == 302
    assert HelpPlan.objects.filter(organisation=w.other_school).exists()


def test_a_deputy_of_one_school_sees_no_chooser(client, w):
    client.force_login(w.user("deputy"))
    response = client.get(reverse("methodics:plan_create"))
    assert response.context["municipality_choice"].municipalities == []
    assert choices(response, "organisation") == ["Школа A1"]


def test_event_organisers_are_the_centres_and_the_chosen_municipality_schools(client, w):
    client.force_login(w.user("admin"))
    url = reverse("methodics:event_create")
    organisers = choices(client.get(url, {"municipality": w.municipality.pk}), "organiser")
    assert "Школа A1" in organisers and "Школа A2" in organisers and "Школа B1" not in organisers


def test_a_project_offers_the_chosen_municipality_only(client, w):
    client.force_login(w.user("admin"))
    url = reverse("methodics:project_create")
    assert choices(client.get(url), "municipality") == []
    chosen = client.get(url, {"municipality": w.municipality.pk})
    assert choices(chosen, "municipality") == ["Муниципалитет A"]
    assert sorted(str(o) for o in chosen.context["form"].fields["organisations"].queryset) == ["Школа A1", "Школа A2"]
