"""The filters of the schools list pages (core.filters): the organisation list and an organisation's staff.

Each is handed the queryset the view shows, already scoped to the user; a filter only narrows it.
"""

import django_filters
from django.db.models import Q, QuerySet

from core.filters import FilterSet
from schools.models import Municipality, Organisation, StaffMember

# A search box matches each of its first words (the rest are ignored: a pasted paragraph is not a query).
SEARCH_WORDS = 3


def search_words(queryset: QuerySet, value: str, fields: tuple[str, ...]) -> QuerySet:
    """Rows where each of the first words of `value` is found in one of `fields`."""
    for word in value.split()[:SEARCH_WORDS]:
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(match)
    return queryset


class OrganisationFilter(FilterSet):
    q = django_filters.CharFilter(label="Поиск по названию", method="search")
    municipality = django_filters.ModelChoiceFilter(
        label="Муниципалитет", queryset=Municipality.objects.none(), empty_label="Все муниципалитеты")
    kind = django_filters.ChoiceFilter(label="Тип", choices=Organisation.Kind.choices, empty_label="Все типы")

    class Meta:
        model = Organisation
        fields: list[str] = []

    def __init__(self, data=None, *args, queryset: QuerySet[Organisation], **kwargs):
        super().__init__(data, *args, queryset=queryset, **kwargs)
        # only the municipalities the organisations handed in belong to
        self.filters["municipality"].queryset = Municipality.objects.filter(
            pk__in=queryset.values("municipality")).order_by("name")

    def search(self, queryset, name, value):
        return search_words(queryset, value, ("short_name", "name"))


class StaffFilter(FilterSet):
    q = django_filters.CharFilter(label="Поиск по ФИО", method="search")
    category = django_filters.ChoiceFilter(
        label="Должность", field_name="position_category",
        choices=StaffMember._meta.get_field("position_category").choices, empty_label="Все должности")
    status = django_filters.ChoiceFilter(label="Статус", choices=StaffMember.Status.choices, empty_label="Все статусы")
    qualification = django_filters.ChoiceFilter(
        label="Категория", field_name="qualification_category", choices=StaffMember.Category.choices,
        empty_label="Все категории")

    class Meta:
        model = StaffMember
        fields: list[str] = []

    def search(self, queryset, name, value):
        return search_words(queryset, value, ("last_name", "first_name", "middle_name"))
