"""The catalog list's filters (django-filter through core.filters): text, type, competency group and
competency, the federal registry."""

import django_filters
from django import forms
from django.db.models import Q

from core.filters import FilterSet
from diagnostics.models import Competency, CompetencyGroup
from routes.models import CatalogResource


class CatalogFilter(FilterSet):
    """Narrows the catalog the user reads (routes.catalog.selectors.resource_list). A value that is no
    choice (a competency that does not exist) narrows nothing and the bar says what is wrong."""

    columns = "col-sm-6 col-md"
    text = django_filters.CharFilter(label="Поиск", method="search")
    kind = django_filters.ChoiceFilter(label="Тип", choices=CatalogResource.Kind.choices, empty_label="Все типы")
    group = django_filters.ModelChoiceFilter(
        label="Группа компетенций", field_name="competencies__group", distinct=True, empty_label="Все группы",
        queryset=CompetencyGroup.objects.all())
    competency = django_filters.ModelChoiceFilter(
        label="Компетенция", field_name="competencies", empty_label="Все компетенции",
        queryset=Competency.objects.select_related("group").order_by("group__order", "order"))
    registry_only = django_filters.BooleanFilter(
        label="Только федеральный реестр ДПП", method="in_registry", widget=forms.CheckboxInput)

    class Meta:
        model = CatalogResource
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(provider__icontains=value))

    def in_registry(self, queryset, name, value):
        return queryset.filter(in_federal_registry=True) if value else queryset

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.form.is_valid() else queryset
