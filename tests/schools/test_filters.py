"""schools.filters: each filter of the organisation list and of an organisation's staff narrows the
scoped queryset the view hands in, by the same query parameters as the pages use."""

import pytest
from django.urls import reverse

from schools.filters import OrganisationFilter, StaffFilter
from schools.models import Organisation, StaffMember
from schools.selectors import organisation_list_for, staff_list_for
from tests.factories import OrganisationFactory, StaffFactory
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


def organisations(w, data, role="admin"):
    return sorted(o.short_name for o in OrganisationFilter(data, queryset=organisation_list_for(w.user(role))).qs)


def staff(w, data):
    return {s.pk for s in StaffFilter(data, queryset=staff_list_for(w.user("deputy"), w.school)).qs}


def test_the_organisation_search_matches_every_word_in_the_short_or_the_full_name(w):
    OrganisationFactory(municipality=w.municipality, short_name="Лицей 7", name="Лицей имени Пушкина")
    # the words keep their case: SQLite's LIKE folds ASCII letters only
    assert organisations(w, {"q": "Пушкина"}) == ["Лицей 7"]
    assert organisations(w, {"q": "Лицей 7"}) == ["Лицей 7"]
    assert organisations(w, {"q": "Лицей A1"}) == []  # each word must match


def test_an_organisation_filter_only_narrows_the_scope_it_is_given(w):
    # a methodist of municipality A asking for municipality B gets the bar's error, not B's schools
    filters = OrganisationFilter({"municipality": w.other_municipality.pk},
                                 queryset=organisation_list_for(w.user("municipal_methodist")))
    assert "municipality" in filters.errors
    assert sorted(o.short_name for o in filters.qs) == ["Школа A1", "Школа A2"]
    assert organisations(w, {"q": "B1"}, role="municipal_methodist") == []


def test_the_organisation_kind_filter(w):
    OrganisationFactory(municipality=w.municipality, short_name="Детсад A3", kind=Organisation.Kind.DOO)
    assert organisations(w, {"kind": "ДОО"}) == ["Детсад A3"]
    assert organisations(w, {"kind": "ДОО", "municipality": w.other_municipality.pk}) == []


def test_the_staff_search_matches_every_word_in_the_last_first_or_middle_name(w):
    found = StaffFactory(organisation=w.school, last_name="Соколова", first_name="Анна", middle_name="Ильинична")
    StaffFactory(organisation=w.school, last_name="Соколова", first_name="Вера", middle_name="Ильинична")
    StaffFactory(organisation=w.other_school, last_name="Соколова", first_name="Анна")  # outside the page
    assert staff(w, {"q": "Соколова Анна"}) == {found.pk}
    assert staff(w, {"q": "Ильинична Анна"}) == {found.pk}
    # only the first three words count
    assert staff(w, {"q": "Соколова Анна Ильинична Неважно"}) == {found.pk}


def test_the_staff_status_and_qualification_filters(w):
    away = StaffFactory(organisation=w.school, status=StaffMember.Status.MATERNITY)
    highest = StaffFactory(organisation=w.school, qualification_category=StaffMember.Category.HIGHEST)
    assert staff(w, {"status": "maternity"}) == {away.pk}
    assert staff(w, {"qualification": "highest"}) == {highest.pk}
    assert staff(w, {"qualification": "highest", "status": "maternity"}) == set()


def test_the_staff_page_keeps_the_filters_across_pages(client, w):
    StaffFactory.create_batch(55, organisation=w.school, status=StaffMember.Status.MATERNITY)
    client.force_login(w.user("deputy"))
    url = reverse("organisation_detail", args=[w.school.pk])
    first = client.get(url, {"status": "maternity"})
    second = client.get(url, {"status": "maternity", "page": 2})
    assert first.context["page"].paginator.count == 55 and len(second.context["page"]) == 5
    assert 'href="?status=maternity&amp;page=2"' in first.content.decode()
    assert '<option value="maternity" selected>' in first.content.decode()


def test_an_empty_query_string_shows_the_whole_scope_unfiltered(client, w):
    client.force_login(w.user("municipal_methodist"))
    response = client.get(reverse("organisation_list"))
    assert not response.context["filters"].is_bound
    assert sorted(o.short_name for o in response.context["page"]) == ["Школа A1", "Школа A2"]
