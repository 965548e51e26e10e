"""The filters of the list endpoints. They only narrow a queryset already scoped to the token's account.

Ids are checked to be ids (1 … 2^63 - 1, core.ids): a larger number through a foreign key would
overflow SQLite's binding instead of finding nothing.
"""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field

from core.ids import MAX_ID
from diagnostics.models import Deficit
from routes.models import Route
from schools.models import Organisation, PositionCategory, StaffMember

ACADEMIC_YEAR = r"^\d{4}-\d{4}$"


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)

    field_class = forms.IntegerField


@extend_schema_field({"type": "string", "pattern": ACADEMIC_YEAR, "example": "2024-2025"})
class AcademicYearFilter(django_filters.CharFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [RegexValidator(ACADEMIC_YEAR, "Учебный год пишется как 2024-2025.")])
        super().__init__(*args, **kwargs)


class OrganisationFilter(django_filters.FilterSet):
    municipality = IdFilter(field_name="municipality_id", help_text="Муниципалитет (id).")
    region = IdFilter(field_name="municipality__region_id", help_text="Регион (id).")
    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices, help_text="Тип организации.")

    class Meta:
        model = Organisation
        fields = ["municipality", "region", "kind"]


class StaffFilter(django_filters.FilterSet):
    organisation = IdFilter(field_name="organisation_id", help_text="Организация (id).")
    municipality = IdFilter(field_name="organisation__municipality_id", help_text="Муниципалитет (id).")
    status = django_filters.ChoiceFilter(choices=StaffMember.Status.choices, help_text="Статус сотрудника.")
    position_category = django_filters.ChoiceFilter(choices=PositionCategory.choices,
                                                    help_text="Категория должности.")

    class Meta:
        model = StaffMember
        fields = ["organisation", "municipality", "status", "position_category"]


class RouteFilter(django_filters.FilterSet):
    organisation = IdFilter(field_name="organisation_id", help_text="Организация (id).")
    municipality = IdFilter(field_name="organisation__municipality_id", help_text="Муниципалитет (id).")
    academic_year = AcademicYearFilter(field_name="academic_year", help_text="Учебный год разработки ИОМ.")
    status = django_filters.ChoiceFilter(choices=Route.Status.choices, help_text="Статус ИОМ.")
    person = IdFilter(field_name="person_id", help_text="Сотрудник (id).")

    class Meta:
        model = Route
        fields = ["organisation", "municipality", "academic_year", "status", "person"]


class DeficitFilter(django_filters.FilterSet):
    organisation = IdFilter(field_name="person__organisation_id", help_text="Организация (id).")
    municipality = IdFilter(field_name="person__organisation__municipality_id", help_text="Муниципалитет (id).")
    person = IdFilter(field_name="person_id", help_text="Сотрудник (id).")
    status = django_filters.ChoiceFilter(choices=Deficit.Status.choices, help_text="Состояние дефицита.")
    competency = django_filters.CharFilter(field_name="competency__code", max_length=20,
                                           help_text="Код компетенции, например М4.")

    class Meta:
        model = Deficit
        fields = ["organisation", "municipality", "person", "status", "competency"]
