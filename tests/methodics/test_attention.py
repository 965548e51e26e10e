import pytest

from methodics.attention import plan_needs_attention, young_without_mentor
from tests.factories import OrganisationFactory, StaffFactory
from tests.world import World

pytestmark = pytest.mark.django_db


def test_deputy_is_reminded_of_the_missing_programme_of_their_school():
    w = World()
    items = plan_needs_attention(w.user("deputy"))
    assert len(items) == 1 and items[0].title.startswith("Школа A1: нет программы помощи")


def test_administrator_gets_one_summary_whatever_the_number_of_schools(django_assert_max_num_queries):
    w = World()
    for _ in range(6):
        OrganisationFactory(municipality=w.municipality)
    with django_assert_max_num_queries(4):  # memberships, the missing rows, their count, the overdue rows
        items = plan_needs_attention(w.user("admin"))
    assert [(i.title.split(" на ")[0], i.count) for i in items] == [("Организации без программы помощи", 10)]


def test_young_specialists_without_a_mentor_are_counted_in_one_query_per_scope(django_assert_max_num_queries):
    w = World()
    StaffFactory(organisation=w.school, experience_years=1)
    StaffFactory(organisation=w.school, experience_years=1, mentor=w.teacher_staff)
    with django_assert_max_num_queries(2):
        items = young_without_mentor(w.user("deputy"))
    assert [i.count for i in items] == [1]
