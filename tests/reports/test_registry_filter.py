"""reports.filters.RegistryFilter: the registry's query parameters, their defaults, the scope, the bar."""

import pytest
from django.template import Context, Template

from reports.filters import RegistryFilter, registry_rows_for
from routes.models import Route
from tests.routes.factories import RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


def test_the_query_parameters_are_those_the_registry_links_and_export_jobs_carry():
    # Stored export jobs hold these names in their params: renaming one would break their re-validation.
    assert list(RegistryFilter.base_filters) == [
        "municipality", "organisation", "year", "status", "category", "progress_min", "progress_max", "outcome", "sort"]


def test_an_empty_filter_shows_the_whole_scope_ordered_by_municipality_then_organisation(w):
    RouteFactory(person=w.sibling_staff)
    RouteFactory(person=w.teacher_staff)
    RouteFactory(person=w.other_staff)  # another municipality: outside the methodist's scope
    rows, filters = registry_rows_for(w.user("municipal_methodist"), {})
    assert filters.is_valid()
    assert [r.organisation.short_name for r in rows] == ["Школа A1", "Школа A2"]


def test_each_filter_narrows_the_rows(w):
    full = RouteFactory(person=w.teacher_staff, academic_year="2022-2023", status=Route.Status.COMPLETED,
                        outcome=Route.Outcome.FULL)
    open_ = RouteFactory(person=w.colleague, academic_year="2022-2023", status=Route.Status.IN_PROGRESS)
    deputy = RouteFactory(person=w.deputy_staff, academic_year="2023-2024", status=Route.Status.IN_PROGRESS)
    sibling = RouteFactory(person=w.sibling_staff, academic_year="2023-2024")
    user = w.user("municipal_methodist")

    def pks(data):
        rows, filters = registry_rows_for(user, data)
        assert filters.is_valid(), filters.errors
        return {route.pk for route in rows}

    assert pks({"organisation": w.sibling_school.pk}) == {sibling.pk}
    assert pks({"municipality": w.municipality.pk}) == {full.pk, open_.pk, deputy.pk, sibling.pk}
    assert pks({"year": "2022-2023"}) == {full.pk, open_.pk}
    assert pks({"status": "in_progress"}) == {open_.pk, deputy.pk}
    assert pks({"category": "deputy"}) == {deputy.pk}
    assert pks({"outcome": "full"}) == {full.pk}
    assert pks({"outcome": "none", "year": "2022-2023"}) == {open_.pk}


def test_sort_orders_by_a_column_and_its_minus_reverses_the_first_key(w):
    RouteFactory(person=w.teacher_staff, academic_year="2022-2023")
    RouteFactory(person=w.colleague, academic_year="2023-2024")
    user = w.user("deputy")
    ascending, _ = registry_rows_for(user, {"sort": "year"})
    descending, _ = registry_rows_for(user, {"sort": "-year"})
    assert [r.academic_year for r in ascending] == ["2022-2023", "2023-2024"]
    assert [r.academic_year for r in descending] == ["2023-2024", "2022-2023"]


@pytest.mark.parametrize("data", [{"sort": "salary"}, {"progress_min": "50.5"}, {"progress_max": "101"},
                                  {"status": "lost"}, {"progress_min": "60", "progress_max": "10"}])
def test_an_invalid_filter_gives_no_rows_and_says_why(w, data):
    rows, filters = registry_rows_for(w.user("deputy"), data)
    assert rows is None and filters.errors


def test_an_organisation_outside_the_scope_is_refused(w):
    rows, filters = registry_rows_for(w.user("deputy"), {"organisation": w.other_school.pk})
    assert rows is None and "organisation" in filters.errors


def test_shown_names_the_filters_set_by_their_labels_for_the_export_description(w):
    _, filters = registry_rows_for(w.user("municipal_methodist"), {"status": "in_progress", "progress_min": "50",
                                                                   "sort": "-person"})
    assert filters.shown() == {"Статус": "in_progress", "Выполнение от, %": 50}


def test_the_bar_renders_through_the_shared_include_with_the_sort_hidden(w):
    _, filters = registry_rows_for(w.user("municipal_methodist"), {"sort": "-progress"})
    html = Template('{% include "includes/filter_bar.html" %}').render(Context({"filters": filters}))
    assert "<form" not in html
    assert html.count('class="col-sm-6 col-md-3 col-xl-2') == 8
    assert 'type="hidden" name="sort" value="-progress"' in html
    assert "form-select-sm" in html and "Выполнение от, %" in html
