"""Who keeps the catalog of resources: federal and regional items (and courses of the federal
registry) the administrators and regional methodists; a municipality's own items its methodists.

World: municipal methodist of A, regional methodist of R (A and B are in R), an administrator.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from diagnostics.models import Competency
from routes.catalog import services
from routes.models import ActivityKind, CatalogResource, Level
from tests.factories import UserFactory
from tests.world import World, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


def item(title="Курс ИПК", *, level=Level.FEDERAL, registry=False, municipality=None, kind="course") -> CatalogResource:
    resource = CatalogResource.objects.create(
        kind=kind, title=title, provider="ИПК", hours=36, level=level, in_federal_registry=registry,
        municipality=municipality, activity_kind=ActivityKind.objects.get(code="course"),
    )
    resource.competencies.set([Competency.objects.order_by("pk").first()])
    return resource


def form_data(resource: CatalogResource, **changes) -> dict:
    data = {"kind": resource.kind, "title": resource.title, "provider": resource.provider, "hours": resource.hours,
            "level": resource.level, "activity_kind": resource.activity_kind_id, "url": resource.url,
            "competencies": [c.pk for c in resource.competencies.all()], "is_active": "on"}
    if resource.in_federal_registry:
        data["in_federal_registry"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def stored(resource: CatalogResource) -> tuple:
    row = CatalogResource.objects.get(pk=resource.pk)
    return row.title, row.level, row.in_federal_registry, row.municipality_id


def test_municipal_methodist_cannot_edit_federal_catalog_item(w, client):
    federal = item("Федеральный курс", registry=True)
    before = stored(federal)
    client.force_login(w.user("municipal_methodist"))
    url = reverse("catalog:edit", args=[federal.pk])
    assert client.get(url).status_code == 403
    # lowering the level in the same post does not make it theirs: the right is checked on the stored row
    response = client.post(url, form_data(federal, title="Мой курс", level=Level.MUNICIPAL, in_federal_registry=None))
    assert response.status_code == 403
    assert stored(federal) == before
    with pytest.raises(PermissionDenied, match="ведет регион"):
        services.resource_update(actor=w.user("municipal_methodist"), resource=federal, data={"title": "Мой курс"},
                                competencies=federal.competencies.all())
    assert stored(federal) == before


@pytest.mark.parametrize("level", [Level.REGIONAL, Level.MUNICIPAL, Level.SCHOOL])
def test_municipal_methodist_cannot_edit_items_no_municipality_keeps(w, level):
    """Regional items, and the starter catalog's municipal ones (no municipality), are the region's."""
    resource = item(level=level)
    with pytest.raises(PermissionDenied):
        services.resource_update(actor=w.user("municipal_methodist"), resource=resource, data={"title": "Другое"},
                                competencies=resource.competencies.all())
    assert stored(resource)[0] == "Курс ИПК"


def test_municipal_methodist_cannot_edit_another_municipalitys_item(w, client):
    theirs = item(level=Level.MUNICIPAL, municipality=w.other_municipality)
    client.force_login(w.user("municipal_methodist"))
    response = client.post(reverse("catalog:edit", args=[theirs.pk]), form_data(theirs, title="Чужой курс"))
    assert response.status_code == 403
    assert stored(theirs)[0] == "Курс ИПК"


def test_municipal_methodist_edits_own_municipalitys_item(w, client):
    own = item(level=Level.MUNICIPAL, municipality=w.municipality)
    client.force_login(w.user("municipal_methodist"))
    response = client.post(reverse("catalog:edit", args=[own.pk]), form_data(own, title="Курс ММЦ", hours=24))
    assert response.status_code == 302
    assert stored(own) == ("Курс ММЦ", Level.MUNICIPAL, False, w.municipality.pk)


@pytest.mark.parametrize("changes", [{"level": Level.FEDERAL}, {"level": Level.REGIONAL}, {"in_federal_registry": "on"}])
def test_municipal_methodist_cannot_raise_own_item_to_the_region_or_the_federal_registry(w, client, changes):
    own = item(level=Level.MUNICIPAL, municipality=w.municipality)
    client.force_login(w.user("municipal_methodist"))
    response = client.post(reverse("catalog:edit", args=[own.pk]), form_data(own, **changes))
    assert response.status_code == 200 and "ведут администраторы и региональные методисты" in response.content.decode()
    assert stored(own) == ("Курс ИПК", Level.MUNICIPAL, False, w.municipality.pk)


def test_a_new_item_of_a_municipal_methodist_belongs_to_their_municipality(w):
    competencies = [Competency.objects.order_by("pk").first()]
    data = {"kind": "event", "title": "Семинар ММЦ", "level": Level.MUNICIPAL,
            "activity_kind": ActivityKind.objects.get(code="seminar")}
    created = services.resource_create(actor=w.user("municipal_methodist"), data=data, competencies=competencies)
    assert CatalogResource.objects.get(pk=created.pk).municipality == w.municipality
    with pytest.raises(services.CatalogError, match="ведут администраторы"):
        services.resource_create(actor=w.user("municipal_methodist"), data={**data, "title": "Региональный",
                                                                           "level": Level.REGIONAL},
                                competencies=competencies)
    assert not CatalogResource.objects.filter(title="Региональный").exists()


@pytest.mark.parametrize("role", ["regional_methodist", "admin"])
def test_regional_methodist_and_administrator_keep_federal_and_municipal_items(w, role):
    for resource in (item("Федеральный", registry=True), item("Муниципальный", level=Level.MUNICIPAL,
                                                              municipality=w.other_municipality)):
        services.resource_update(actor=w.user(role), resource=resource, data={"title": resource.title + " (изм.)"},
                                competencies=resource.competencies.all())
        assert stored(resource)[0].endswith("(изм.)")


def test_regional_methodist_of_another_region_does_not_keep_a_municipalitys_item(w):
    stranger = UserFactory()
    grant(stranger, "regional_methodist", region=w.other_region)
    resource = item(level=Level.MUNICIPAL, municipality=w.municipality)
    with pytest.raises(PermissionDenied):
        services.resource_update(actor=stranger, resource=resource, data={"title": "Другое"},
                                competencies=resource.competencies.all())
    assert stored(resource)[0] == "Курс ИПК"


def test_the_list_offers_edit_only_for_items_the_user_keeps(w, client):
    federal = item("Федеральный", registry=True)
    own = item("Свой", level=Level.MUNICIPAL, municipality=w.municipality)
    client.force_login(w.user("municipal_methodist"))
    page = client.get(reverse("catalog:list")).content.decode()
    assert reverse("catalog:edit", args=[own.pk]) in page
    assert reverse("catalog:edit", args=[federal.pk]) not in page
    client.force_login(w.user("regional_methodist"))
    page = client.get(reverse("catalog:list")).content.decode()
    assert reverse("catalog:edit", args=[own.pk]) in page and reverse("catalog:edit", args=[federal.pk]) in page
