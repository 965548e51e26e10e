"""Downloading the ИОМ document: who may, what comes back, and that it is logged."""

import logging
from urllib.parse import quote

import pytest
from django.urls import reverse

from schools.models import Membership
from tests.factories import MembershipFactory, UserFactory
from tests.routes.documents.factories import RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


@pytest.fixture
def route(world):
    return RouteFactory(person=world.teacher_staff)


def get_pdf(client, user, route):
    client.force_login(user)
    return client.get(reverse("iom_pdf", args=[route.pk]))


def user_with(role, **scope):
    user = UserFactory()
    MembershipFactory(user=user, role=role, **scope)
    return user


def test_teacher_downloads_their_own_route_as_a_pdf_attachment(client, world, route):
    response = get_pdf(client, world.user("teacher"), route)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    expected = quote(f"ИОМ_{world.teacher_staff.last_name}_М_П_2025-2026.pdf")
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{expected}"
    assert "no-store" in response["Cache-Control"]


def test_teacher_downloads_the_docx(client, world, route):
    client.force_login(world.user("teacher"))
    response = client.get(reverse("iom_docx", args=[route.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response.content.startswith(b"PK")
    assert response["Content-Disposition"].endswith(".docx")


def test_colleague_teacher_gets_404(client, world, route):
    colleague = UserFactory()
    MembershipFactory(user=colleague, role=Membership.Role.TEACHER, organisation=world.school)
    world.colleague.user = colleague
    world.colleague.save()
    assert get_pdf(client, colleague, route).status_code == 404


def test_deputy_and_director_of_the_school_download_it(client, world, route):
    assert get_pdf(client, world.user("deputy"), route).status_code == 200
    assert get_pdf(client, world.user("director"), route).status_code == 200


def test_deputy_of_another_school_gets_404(client, world, route):
    deputy = user_with(Membership.Role.DEPUTY, organisation=world.sibling_school)
    assert get_pdf(client, deputy, route).status_code == 404


def test_methodists_of_the_scope_download_it(client, world, route):
    assert get_pdf(client, world.user("municipal_methodist"), route).status_code == 200
    assert get_pdf(client, world.user("regional_methodist"), route).status_code == 200


def test_methodist_of_another_municipality_gets_404(client, world, route):
    methodist = user_with(Membership.Role.MUNICIPAL_METHODIST, municipality=world.other_municipality)
    assert get_pdf(client, methodist, route).status_code == 404


def test_regional_methodist_of_another_region_gets_404(client, world, route):
    regional = user_with(Membership.Role.REGIONAL_METHODIST, region=world.other_region)
    assert get_pdf(client, regional, route).status_code == 404


def test_unknown_route_gets_404(client, world):
    client.force_login(world.user("admin"))
    assert client.get(reverse("iom_docx", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_login(client, route):
    response = client.get(reverse("iom_pdf", args=[route.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_download_is_logged_as_a_personal_data_export(client, world, route, caplog):
    caplog.set_level(logging.INFO, logger="iom.security")
    client.force_login(world.user("deputy"))
    client.get(reverse("iom_docx", args=[route.pk]))
    records = [r for r in caplog.records if r.getMessage() == "personal_data_export"]
    assert len(records) == 1
    record = records[0]
    assert (record.export, record.format, record.route_id) == ("iom_document", "docx", route.pk)
    assert record.user_id == world.user("deputy").pk
    assert record.person_id == world.teacher_staff.pk


def test_refused_download_is_not_logged_as_an_export(client, world, route, caplog):
    caplog.set_level(logging.INFO, logger="iom.security")
    deputy = user_with(Membership.Role.DEPUTY, organisation=world.sibling_school)
    get_pdf(client, deputy, route)
    assert not [r for r in caplog.records if r.getMessage() == "personal_data_export"]


def test_post_is_not_allowed(client, world, route):
    client.force_login(world.user("teacher"))
    assert client.post(reverse("iom_pdf", args=[route.pk])).status_code == 405


def test_link_snippet_points_at_both_downloads(route):
    from django.template.loader import render_to_string

    html = render_to_string("routes/documents/_links.html", {"route": route})
    assert f'href="{reverse("iom_pdf", args=[route.pk])}"' in html and "Скачать PDF" in html
    assert f'href="{reverse("iom_docx", args=[route.pk])}"' in html and "Скачать DOCX" in html
