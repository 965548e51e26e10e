"""The implementation monitor's filters (django-filter through core.filters): where (municipality,
organisation), which year, and what the rows show (state, overdue, progress range, position, mentor), the sort."""

import django_filters
from django.http import QueryDict

from core.filters import FilterSet
from routes.monitor.selectors import SORT_LABELS, STATES, monitor_rows, sorted_rows
from schools.choosers import limit_organisation_choices, municipalities_of
from schools.models import Municipality, Organisation, PositionCategory, StaffMember

YES_NO = [("yes", "Есть"), ("no", "Нет")]
SORT_CHOICES = [(key, label) for key, label in SORT_LABELS.items()] + [
    (f"-{key}", f"{label} (по убыванию)") for key, label in SORT_LABELS.items()]


class MonitorFilter(FilterSet):
    """Filters of the implementation monitor, narrowing the staff of the user's scope.

    A scope of several municipalities (a regional methodist, an administrator) chooses the
    municipality first and then one of its organisations: a region's thousands of organisations
    are never put into one <select> (schools.choosers). The year is the newest of the scope's unless the query names
    one (`year=` empty is every year: each person's newest route), on every page of the list alike. A choice that
    is no choice (an id beyond the integer range, a school outside the scope) narrows nothing and the bar says
    what is wrong; a school of the scope is taken without its municipality (a link to its rows).
    The queryset is the scope's staff annotated for the chosen year (routes.monitor.selectors.monitor_rows).
    """

    columns = "col-6 col-md-3 col-xl-2"

    municipality = django_filters.ModelChoiceFilter(
        field_name="organisation__municipality", queryset=Municipality.objects.none(), label="Муниципалитет",
        empty_label="Все муниципалитеты")
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), label="Организация", empty_label="Все организации")
    year = django_filters.ChoiceFilter(label="Учебный год", empty_label="Все годы", method="by_year")
    state = django_filters.ChoiceFilter(label="Состояние ИОМ", choices=STATES, empty_label="Все состояния")
    overdue = django_filters.ChoiceFilter(label="Просрочки", choices=YES_NO, empty_label="Все", method="by_overdue")
    progress_min = django_filters.NumberFilter(field_name="progress", lookup_expr="gte", label="Выполнение от, %",
                                               min_value=0, max_value=100)
    progress_max = django_filters.NumberFilter(field_name="progress", lookup_expr="lte", label="Выполнение до, %",
                                               min_value=0, max_value=100)
    position = django_filters.ChoiceFilter(field_name="position_category", choices=PositionCategory.choices,
                                           label="Должность", empty_label="Все должности")
    mentor = django_filters.ChoiceFilter(label="Наставник", choices=YES_NO, empty_label="Все", method="by_mentor")
    sort = django_filters.ChoiceFilter(label="Сортировка", choices=SORT_CHOICES, empty_label="По организации",
                                       method="by_sort")

    class Meta:
        model = StaffMember
        fields: list[str] = []

    def __init__(self, data: QueryDict | None = None, *, user, organisations, years: list[str], **kwargs):
        if years and (data is None or "year" not in data):
            data = data.copy() if data is not None else QueryDict(mutable=True)
            data["year"] = years[0]
        self.years = years
        super().__init__(data, None, **kwargs)
        self.filters["year"].extra["choices"] = [(year, year) for year in years]
        municipalities = municipalities_of(organisations)
        self.filters["organisation"].queryset = organisations
        if len(municipalities) <= 1:
            del self.filters["municipality"]
        else:
            self.filters["municipality"].queryset = municipalities
            limit_organisation_choices(self.form, help_text="выберите муниципалитет")
        self.form.fields["progress_min"].widget.attrs.update(placeholder="0")
        self.form.fields["progress_max"].widget.attrs.update(placeholder="100")
        self.queryset = monitor_rows(user, self.chosen_year)

    @property
    def chosen_year(self) -> str | None:
        """The year the rows are of: the valid choice; empty or a wrong one is every year (it narrows nothing)."""
        value = (self.data or {}).get("year")
        return value if value in self.years else None

    def by_year(self, queryset, name, value):
        return queryset  # the year chooses each person's route in monitor_rows, it removes no person

    def by_overdue(self, queryset, name, value):
        return queryset.filter(overdue__gt=0) if value == "yes" else queryset.filter(overdue=0)

    def by_mentor(self, queryset, name, value):
        return queryset.filter(has_mentor=value == "yes")

    def by_sort(self, queryset, name, value):
        return queryset  # the order is given last (ordered), over whatever the other filters left

    def filter_queryset(self, queryset):
        narrowed = super().filter_queryset(queryset) if self.form.is_valid() else queryset
        return sorted_rows(narrowed, self.values.get("sort") or "")

    def shown(self) -> dict:
        """The filters set, by their labels and the choices' labels, for the export job's description."""
        shown = {}
        for name, value in self.values.items():
            if name == "sort" or value in (None, ""):
                continue
            field = self.form.fields[name]
            choices = dict(getattr(field, "choices", []) or [])
            shown[field.label] = choices.get(value, value)
        return shown

    def without_state(self):
        """The rows as filtered but for the state: the totals on top count every state among them."""
        queryset = self.queryset
        if not self.form.is_valid():
            return queryset
        for name, value in self.form.cleaned_data.items():
            if name not in ("state", "sort"):
                queryset = self.filters[name].filter(queryset, value)
        return queryset
