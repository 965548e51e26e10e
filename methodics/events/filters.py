"""The filters of the event list: topic, academic year, form and organiser (?q=&year=&kind=&organiser=)."""

import django_filters

from core.dates import academic_year_bounds
from core.filters import FilterSet
from methodics.forms import year_choices
from methodics.models import Event

ORGANISERS = [("municipal", "Муниципальный методический центр"), ("school", "Школы")]


class EventFilter(FilterSet):
    columns = "col-sm-6 col-md-3"  # four cells across the bar; the buttons sit beside it on wide screens

    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Тема")
    # The years offered move with today, so they are asked for each bar, not once at import.
    year = django_filters.ChoiceFilter(label="Учебный год", choices=year_choices, empty_label="Все годы",
                                       method="held_in")
    kind = django_filters.ChoiceFilter(label="Форма", choices=Event.Kind.choices, empty_label="Все формы")
    organiser = django_filters.ChoiceFilter(label="Организатор", choices=ORGANISERS, empty_label="Все организаторы",
                                            method="organised_by")

    class Meta:
        model = Event
        fields: list[str] = []

    def held_in(self, queryset, name, value):
        return queryset.filter(held_on__range=academic_year_bounds(value))

    def organised_by(self, queryset, name, value):
        return queryset.filter(organisation__isnull=value == "municipal")
