"""The organisation list of a wide scope: 50 per page, counts for the page only, filters and search."""

import pytest
from django.urls import reverse

from schools.models import Organisation
from tests.factories import OrganisationFactory, StaffFactory
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


@pytest.fixture
def admin_client(client, w):
    client.force_login(w.user("admin"))
    return client


def rows(response):
    return [(o.short_name, o.staff_count, o.account_count) for o in response.context["page"]]


def test_counts_working_staff_and_active_accounts_of_each_organisation(admin_client, w):
    StaffFactory(organisation=w.school, status="dismissed")
    response = admin_client.get(reverse("organisation_list"), {"q": "A1"})
    # teacher, deputy, director with accounts and the colleague without one; the dismissed one not counted
    assert rows(response) == [("Школа A1", 4, 3)]


def test_a_region_is_shown_fifty_organisations_a_page(admin_client, w):
    OrganisationFactory.create_batch(60, municipality=w.municipality)
    first = admin_client.get(reverse("organisation_list"))
    second = admin_client.get(reverse("organisation_list"), {"page": 2})
    assert len(first.context["page"]) == 50 and first.context["page"].paginator.count == 64
    assert len(second.context["page"]) == 14
    assert "Стр. 1 из 2" in first.content.decode()


def test_filters_by_municipality_and_type(admin_client, w):
    OrganisationFactory(municipality=w.other_municipality, short_name="Детсад B2", kind=Organisation.Kind.DOO)
    by_municipality = admin_client.get(reverse("organisation_list"), {"municipality": w.other_municipality.pk})
    assert sorted(o.short_name for o in by_municipality.context["page"]) == ["Детсад B2", "Школа B1"]
    by_kind = admin_client.get(reverse("organisation_list"), {"kind": "ДОО"})
    assert [o.short_name for o in by_kind.context["page"]] == ["Детсад B2"]


def test_a_methodist_chooses_only_among_municipalities_of_their_scope(client, w):
    client.force_login(w.user("municipal_methodist"))
    response = client.get(reverse("organisation_list"))
    assert list(response.context["filters"].form.fields["municipality"].queryset) == [w.municipality]
    assert sorted(o.short_name for o in response.context["page"]) == ["Школа A1", "Школа A2"]


def test_the_query_count_does_not_grow_with_the_region(admin_client, w, django_assert_num_queries):
    admin_client.get(reverse("organisation_list"))  # warm the session and the user's memberships
    # session, user, memberships, count, the page's organisations, their staff counts (one grouped
    # query), unread notifications, own staff record (menu), municipalities of the filter
    with django_assert_num_queries(9):
        admin_client.get(reverse("organisation_list"))
    for _ in range(30):
        StaffFactory(organisation=OrganisationFactory(municipality=w.other_municipality))
    with django_assert_num_queries(9):
        admin_client.get(reverse("organisation_list"))
