import pytest

from schools.models import PositionCategory, position_category_of
from tests.factories import StaffFactory


@pytest.mark.parametrize("position, category", [
    ("учитель математики", PositionCategory.TEACHER),
    ("Заместитель директора по УВР", PositionCategory.DEPUTY),
    ("заместитель директора по методической работе", PositionCategory.DEPUTY),
    ("завуч", PositionCategory.DEPUTY),
    ("Директор", PositionCategory.DIRECTOR),
    ("воспитатель", PositionCategory.EDUCATOR),
    ("Старший воспитатель", PositionCategory.EDUCATOR),
    ("педагог-психолог", PositionCategory.TEACHER),
    ("  учитель   начальных классов ", PositionCategory.TEACHER),
])
def test_position_category_is_derived_from_the_position(position, category):
    assert position_category_of(position) == category


@pytest.mark.django_db
def test_category_follows_a_change_of_position():
    staff = StaffFactory(position="учитель истории")
    staff.position = "заместитель директора по ВР"
    staff.save(update_fields=["position"])
    staff.refresh_from_db()
    assert staff.position_category == PositionCategory.DEPUTY


@pytest.mark.django_db
def test_names():
    staff = StaffFactory(last_name="Петрова", first_name="Анна", middle_name="Сергеевна")
    assert staff.full_name == "Петрова Анна Сергеевна"
    assert staff.short_name == "Петрова А.С."
