"""The implementation monitor's filters (django-filter through core.filters): municipality, organisation, year."""

import django_filters
from django.http import QueryDict

from core.filters import FilterSet
from routes.models import Route
from schools.choosers import limit_organisation_choices, municipalities_of
from schools.models import Municipality, Organisation


class MonitorFilter(FilterSet):
    """Filters of the implementation monitor, narrowing the routes of the user's scope.

    A scope of several municipalities (a regional methodist, an administrator) chooses the
    municipality first and then one of its organisations: a region's thousands of organisations
    are never put into one <select> (schools.choosers). The year is the newest of the scope's unless the query names
    one (`year=` empty is every year), on every page of the list alike. A choice that is no choice
    (an id beyond the integer range, a school outside the scope) narrows nothing and the bar says
    what is wrong; a school of the scope is taken without its municipality (a link to its rows).
    """

    municipality = django_filters.ModelChoiceFilter(
        field_name="organisation__municipality", queryset=Municipality.objects.none(), label="Муниципалитет",
        empty_label="Все муниципалитеты")
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), label="Организация", empty_label="Все организации")
    year = django_filters.ChoiceFilter(field_name="academic_year", label="Учебный год", empty_label="Все годы")

    class Meta:
        model = Route
        fields: list[str] = []

    def __init__(self, data: QueryDict | None = None, queryset=None, *, organisations, years: list[str], **kwargs):
        if years and (data is None or "year" not in data):
            data = data.copy() if data is not None else QueryDict(mutable=True)
            data["year"] = years[0]
        super().__init__(data, queryset, **kwargs)
        self.filters["year"].extra["choices"] = [(year, year) for year in years]
        municipalities = municipalities_of(organisations)
        self.filters["organisation"].queryset = organisations
        if len(municipalities) <= 1:
            del self.filters["municipality"]
        else:
            self.filters["municipality"].queryset = municipalities
            limit_organisation_choices(self.form, help_text="выберите муниципалитет")

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.form.is_valid() else queryset
