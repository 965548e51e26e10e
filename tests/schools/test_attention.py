import pytest

from schools.attention import staff_without_account
from tests.factories import OrganisationFactory, StaffFactory
from tests.world import World

pytestmark = pytest.mark.django_db


def test_deputy_is_told_how_many_of_their_staff_have_no_account():
    w = World()
    items = staff_without_account(w.user("deputy"))
    # the colleague has no account; teacher, deputy and director have one
    assert [(i.title, i.count) for i in items] == [("Школа A1: сотрудники без учетной записи", 1)]


def test_a_wide_scope_gets_one_summary_instead_of_an_item_per_school(django_assert_max_num_queries):
    w = World()
    for _ in range(5):
        StaffFactory(organisation=OrganisationFactory(municipality=w.municipality))
    # memberships, the organisations with people missing, the scope's municipalities, the total
    with django_assert_max_num_queries(4):
        items = staff_without_account(w.user("admin"))
    assert len(items) == 1 and items[0].count == 9  # colleague + 3 others of the world + 5 new
