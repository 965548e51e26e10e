"""core.filters: the base of every list page's filters, and the bar crispy lays out."""

import django_filters
import pytest
from django import forms
from django.template import Context, Template

from core.filters import FilterSet
from schools.models import Region


class RegionFilter(FilterSet):
    columns = "col-md-4"
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Название")
    page = django_filters.CharFilter(method="keep", widget=forms.HiddenInput)

    class Meta:
        model = Region
        fields: list[str] = []

    def keep(self, queryset, name, value):
        return queryset


@pytest.mark.django_db
def test_a_filter_narrows_the_queryset_it_is_given():
    Region.objects.create(name="Красноярский край")
    Region.objects.create(name="Краснодарский край")
    filters = RegionFilter({"name": "ярск"}, queryset=Region.objects.all())
    assert [region.name for region in filters.qs] == ["Красноярский край"]
    assert filters.values["name"] == "ярск"


@pytest.mark.django_db
def test_the_bar_has_one_cell_a_visible_field_small_widgets_and_no_form_tag():
    filters = RegionFilter({}, queryset=Region.objects.all())
    html = Template('{% include "includes/filter_bar.html" %}').render(Context({"filters": filters}))
    assert "<form" not in html
    assert 'class="row' not in html  # the page's form is the row: its buttons are cells beside the fields
    assert html.count('class="col-md-4') == 1
    assert "form-control-sm" in html and 'class="form-label small"' in html
    assert 'type="hidden" name="page"' in html
    assert "Название" in html
