"""The catalog's pages: the list and its filters, adding and changing a resource."""

import pytest
from django.urls import reverse

from diagnostics.models import CompetencyGroup
from routes.models import ActivityKind, CatalogResource
from tests.diagnostics.factories import CatalogResourceFactory, competency
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


def _titles(response) -> list[str]:
    return [resource.title for resource in response.context["page"]]


@pytest.fixture
def catalog(w):
    group = competency("М4").group
    other = next(c for c in CompetencyGroup.objects.exclude(pk=group.pk) if c.competencies.exists())
    return {
        "course": CatalogResourceFactory(kind="course", title="КПК «Оценивание»", provider="ИПК", hours=36,
                                         in_federal_registry=True, competencies=[competency("М4")]),
        # two competencies of one group: listed once when filtered by the group
        "seminar": CatalogResourceFactory(title="Семинар ММЦ", provider="ММЦ «Оценивание»",
                                          competencies=list(group.competencies.all()[:2])),
        "book": CatalogResourceFactory(kind="literature", title="Книга", provider="Издательство",
                                       competencies=[other.competencies.first()]),
        "group": group,
    }


def test_the_list_filters_by_text_type_group_competency_and_registry(w, client, catalog):
    client.force_login(w.user("teacher"))
    url = reverse("catalog:list")
    assert len(_titles(client.get(url))) == 3
    # the text is looked for in the title and the provider, spaces around it dropped
    assert sorted(_titles(client.get(url, {"text": " Оценивание "}))) == ["КПК «Оценивание»", "Семинар ММЦ"]
    assert _titles(client.get(url, {"kind": "literature"})) == ["Книга"]
    assert sorted(_titles(client.get(url, {"group": catalog["group"].pk}))) == ["КПК «Оценивание»", "Семинар ММЦ"]
    assert _titles(client.get(url, {"competency": competency("М4").pk})) == ["КПК «Оценивание»"]
    assert _titles(client.get(url, {"registry_only": "on"})) == ["КПК «Оценивание»"]
    assert _titles(client.get(url, {"kind": "course", "registry_only": "on", "text": "КПК"})) == ["КПК «Оценивание»"]


def test_a_value_that_is_no_choice_narrows_nothing_and_the_bar_says_so(w, client, catalog):
    client.force_login(w.user("teacher"))
    response = client.get(reverse("catalog:list"), {"competency": 10**6, "kind": "literature"})
    assert "competency" in response.context["filters"].errors
    assert len(_titles(response)) == 3


def test_the_list_comes_in_pages_of_50_and_the_next_page_keeps_the_filters(w, client):
    for n in range(55):
        CatalogResourceFactory(title=f"Семинар {n:02}", competencies=[competency("М4")])
    CatalogResourceFactory(kind="literature", title="Книга", competencies=[competency("М4")])
    client.force_login(w.user("teacher"))
    first = client.get(reverse("catalog:list"), {"kind": "event"})
    assert len(_titles(first)) == 50 and first.context["page"].paginator.count == 55
    assert "kind=event&amp;page=2" in first.content.decode()
    assert len(_titles(client.get(reverse("catalog:list"), {"kind": "event", "page": 2}))) == 5


def test_the_bar_is_the_shared_filter_bar(w, client):
    client.force_login(w.user("teacher"))
    html = client.get(reverse("catalog:list")).content.decode()
    for name in ("text", "kind", "group", "competency", "registry_only"):
        assert f'name="{name}"' in html
    assert html.count('class="col-sm-6 col-md') == 5
