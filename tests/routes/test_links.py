"""Links typed into the portal (evidence, catalog resources) lead to a web site and nowhere else,
whichever way they come in (a form, a service called by an import or a task, the admin); opening
one shows the site it leads to before the user leaves the portal."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.links import NOT_A_WEB_URL
from diagnostics.models import Competency
from routes.catalog import services as catalog_services
from routes.models import ActivityKind, CatalogResource, Evidence, Level, Route
from routes.roadmap import services as roadmap
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db

NOT_WEB = ["ftp://files.example/cert.pdf", "javascript:alert(1)", "file:///etc/passwd"]


@pytest.fixture
def w():
    return World()


@pytest.fixture
def activity(w):
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    return ActivityFactory(route=route)


# --------------------------------------------------------------------------- evidence


@pytest.mark.parametrize("url", NOT_WEB)
def test_the_evidence_service_refuses_a_link_that_is_not_a_web_site_without_any_form(w, activity, url):
    with pytest.raises(ValidationError) as refused:
        roadmap.evidence_add(actor=w.user("teacher"), activity=activity, kind="link", url=url)
    assert refused.value.message_dict == {"url": [NOT_A_WEB_URL]}
    assert not Evidence.objects.filter(activity=activity).exists()


def test_marking_an_activity_done_with_an_ftp_link_leaves_it_undone(w, activity):
    with pytest.raises(ValidationError, match="начиная с http:// или https://"):
        roadmap.activity_mark_done(actor=w.user("teacher"), activity=activity, done_on=timezone.localdate(),
                                   evidence_kind="link", url="ftp://files.example/cert.pdf")
    activity.refresh_from_db()
    assert not activity.is_done and not Evidence.objects.filter(activity=activity).exists()


def test_a_stored_evidence_link_is_validated_as_a_web_address(activity):
    evidence = Evidence(activity=activity, kind="link", url="ftp://files.example/cert.pdf")
    with pytest.raises(ValidationError) as refused:
        evidence.full_clean(exclude=["file"])
    assert refused.value.message_dict["url"] == [NOT_A_WEB_URL]


# --------------------------------------------------------------------------- catalog resources


def _data(**changes) -> dict:
    data = {"kind": "event", "title": "Семинар ММЦ", "provider": "ММЦ", "hours": None, "in_federal_registry": False,
            "url": "https://mmc.example/seminar", "level": Level.MUNICIPAL,
            "activity_kind": ActivityKind.objects.get(code="seminar"), "is_active": True}
    data.update(changes)
    return data


def _resource(url: str, **fields) -> CatalogResource:
    resource = CatalogResource.objects.create(**{**_data(url=url), **fields})
    resource.competencies.set([Competency.objects.order_by("pk").first()])
    return resource


@pytest.mark.parametrize("url", NOT_WEB)
def test_the_catalog_service_refuses_a_resource_link_that_is_not_a_web_site(w, url):
    competencies = [Competency.objects.order_by("pk").first()]
    with pytest.raises(catalog_services.CatalogError, match="начиная с http:// или https://"):
        catalog_services.resource_create(actor=w.user("admin"), data=_data(url=url), competencies=competencies)
    assert not CatalogResource.objects.filter(title="Семинар ММЦ").exists()
    resource = _resource("https://mmc.example/seminar")
    with pytest.raises(catalog_services.CatalogError, match="начиная с http:// или https://"):
        catalog_services.resource_update(actor=w.user("admin"), resource=resource, data={"url": url}, competencies=competencies)
    assert CatalogResource.objects.get(pk=resource.pk).url == "https://mmc.example/seminar"


@pytest.mark.parametrize("url", ["ftp://files.example/seminar.pdf", "//evil.example/x", "\\\\evil.example\\x"])
def test_the_catalog_form_refuses_a_link_that_is_not_a_whole_web_address(w, client, url):
    client.force_login(w.user("municipal_methodist"))
    data = _data(url=url, activity_kind=ActivityKind.objects.get(code="seminar").pk)
    data.update(competencies=[Competency.objects.order_by("pk").first().pk], is_active="on", hours="")
    del data["in_federal_registry"]
    response = client.post(reverse("catalog:create"), data)
    assert response.status_code == 200
    assert NOT_A_WEB_URL in response.content.decode()
    assert not CatalogResource.objects.filter(title="Семинар ММЦ").exists()


def test_the_catalog_links_a_resource_through_the_external_site_page(w, client):
    resource = _resource("https://mmc.example/seminar?id=5")
    client.force_login(w.user("teacher"))
    page = client.get(reverse("catalog:list")).content.decode()
    assert 'href="https://mmc.example/seminar?id=5"' not in page
    assert f'href="{reverse("catalog:link", args=[resource.pk])}"' in page
    page = client.get(reverse("catalog:link", args=[resource.pk])).content.decode()
    assert "Вы переходите на внешний сайт: <strong>mmc.example</strong>" in page
    assert "Ресурс каталога «Семинар ММЦ» — ссылка на сайт вне портала." in page
    assert '<a class="btn btn-primary" href="https://mmc.example/seminar?id=5" rel="noopener noreferrer">' in page
    assert f'href="{reverse("catalog:list")}"' in page


def test_a_stored_resource_link_that_is_not_a_web_address_is_shown_as_text_and_never_followed(w, client):
    resource = _resource("https://mmc.example/")
    CatalogResource.objects.filter(pk=resource.pk).update(url="ftp://files.example/seminar.pdf")  # an older row
    client.force_login(w.user("teacher"))
    response = client.get(reverse("catalog:link", args=[resource.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "не ведет на сайт и не открывается" in page
    assert 'href="ftp://files.example/seminar.pdf"' not in page


def test_a_resource_link_to_the_portal_itself_is_followed_without_a_warning(w, client, settings):
    settings.PORTAL_BASE_URL = "http://portal.example"
    settings.ALLOWED_HOSTS = ["testserver", "portal.example"]
    resource = _resource("http://portal.example/methodics/events/1/")
    client.force_login(w.user("teacher"))
    response = client.get(reverse("catalog:link", args=[resource.pk]))
    assert response.status_code == 302 and response["Location"] == "http://portal.example/methodics/events/1/"


@pytest.mark.parametrize("typed, stored", [("school.example/page", "https://school.example/page"),
                                           ("//evil.example/x", None), ("ftp://files.example/a", None)])
def test_the_link_field_completes_a_bare_site_but_refuses_a_scheme_relative_link(typed, stored):
    from core.links import WebLinkField

    field = WebLinkField()
    if stored is None:
        with pytest.raises(ValidationError):
            field.clean(typed)
    else:
        assert field.clean(typed) == stored
