"""The registry's filter bar (docs/spec/reports.md, registry): the browser list and the export job
read the same filter, so the file holds exactly the rows the page showed."""

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from core.filters import FilterSet
from reports.forms import recent_years
from reports.selectors.registry import REGISTRY_SORTS, registry_queryset, registry_sorted
from routes.models import Route
from routes.selectors import spans_year_q
from schools.access import municipalities_for, organisations_for, scope_q
from schools.choosers import limit_organisation_choices
from schools.models import Municipality, Organisation, PositionCategory

ALL = "Все"


class PercentFilter(django_filters.NumberFilter):
    """A whole percentage, 0 to 100 (a NumberFilter would take 50.5)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=0, max_value=100, **kwargs)


class RegistryFilterForm(forms.Form):
    """The form the registry's filters build: organisations listed after their municipality, the
    progress range checked as a whole."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_organisation_choices(self, "organisation", "municipality")

    def clean(self):
        data = super().clean()
        low, high = data.get("progress_min"), data.get("progress_max")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError("Нижняя граница выполнения больше верхней.")
        return data


class RegistryFilter(FilterSet):
    """The registry's filters over the user's routes; `qs` is the registry rows, filtered and sorted."""

    columns = "col-sm-6 col-md-3 col-xl-2"

    municipality = django_filters.ModelChoiceFilter(
        label="Муниципалитет", field_name="organisation__municipality", queryset=Municipality.objects.none(),
        empty_label=ALL)
    organisation = django_filters.ModelChoiceFilter(
        label="Организация", queryset=Organisation.objects.none(), empty_label=ALL)
    year = django_filters.ChoiceFilter(label="Учебный год", empty_label=ALL, method="spanning_year")
    status = django_filters.ChoiceFilter(label="Статус", choices=Route.Status.choices, empty_label=ALL)
    category = django_filters.ChoiceFilter(
        label="Должность", field_name="person__position_category", choices=PositionCategory.choices, empty_label=ALL)
    progress_min = PercentFilter(label="Выполнение от, %", method="progress_from")
    progress_max = PercentFilter(label="До, %", method="progress_to")
    outcome = django_filters.ChoiceFilter(
        label="Результат", choices=[("none", "Не подведен"), *Route.Outcome.choices], empty_label=ALL,
        method="outcome_is")
    # The column headings set it; filter_queryset applies it last, "municipality" when empty.
    sort = django_filters.ChoiceFilter(
        label="Сортировка", choices=[(k, k) for k in REGISTRY_SORTS] + [(f"-{k}", f"-{k}") for k in REGISTRY_SORTS],
        widget=forms.HiddenInput, method="sorted_later")

    class Meta:
        model = Route
        fields: list[str] = []
        form = RegistryFilterForm

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["municipality"].queryset = municipalities_for(user, "route.view")
        self.filters["organisation"].queryset = organisations_for(user, "route.view").order_by(
            "municipality__name", "order", "short_name")
        self.filters["year"].extra["choices"] = [(y, y) for y in recent_years()]

    # The progress range compares done × 100 with total × bound: exact at the edges, no float.
    def progress_from(self, queryset: QuerySet[Route], name: str, value: int) -> QuerySet[Route]:
        return queryset.filter(GreaterThanOrEqual(F("done") * 100, F("total") * value))

    def progress_to(self, queryset: QuerySet[Route], name: str, value: int) -> QuerySet[Route]:
        return queryset.filter(LessThanOrEqual(F("done") * 100, F("total") * value))

    def spanning_year(self, queryset: QuerySet[Route], name: str, value: str) -> QuerySet[Route]:
        """Routes whose period spans the year: a multi-year route is listed in each of its years."""
        return queryset.filter(spans_year_q(value))

    def outcome_is(self, queryset: QuerySet[Route], name: str, value: str) -> QuerySet[Route]:
        return queryset.filter(outcome="" if value == "none" else value)

    def sorted_later(self, queryset: QuerySet[Route], name: str, value: str) -> QuerySet[Route]:
        return queryset

    def filter_queryset(self, queryset: QuerySet[Route]) -> QuerySet[Route]:
        return registry_sorted(super().filter_queryset(queryset), self.form.cleaned_data.get("sort") or "municipality")

    def shown(self) -> dict:
        """The filters set, by their labels, for the export job's description: {label: value}."""
        fields = self.form.fields
        return {fields[name].label: value for name, value in self.values.items()
                if name != "sort" and value not in (None, "")}


def registry_rows_for(user, data) -> tuple[QuerySet[Route] | None, RegistryFilter]:
    """The registry rows the user may see under the filter `data` (a GET-like dict): (queryset, filters).

    The queryset is None when the filter is invalid; the list and the export job both use this.
    """
    routes = registry_queryset(Route.objects.filter(scope_q(user, "route.view")))
    # always bound: an empty filter is a valid one, and shows every row of the scope
    filters = RegistryFilter(dict(data.items()) if data else {}, queryset=routes, user=user)
    if not filters.is_valid():
        return None, filters
    return filters.qs, filters
