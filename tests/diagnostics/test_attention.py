import pytest

from diagnostics.attention import school_deficits
from diagnostics.models import Deficit
from tests.diagnostics.factories import DeficitFactory
from tests.factories import OrganisationFactory, StaffFactory
from tests.world import World

pytestmark = pytest.mark.django_db


def test_deputy_sees_the_detected_deficits_of_their_school():
    w = World()
    DeficitFactory(person=w.colleague)
    DeficitFactory(person=w.colleague, status=Deficit.Status.DISMISSED)
    DeficitFactory(person=w.sibling_staff)  # another school: not the deputy's
    items = school_deficits(w.user("deputy"))
    assert [(i.title, i.count) for i in items] == [("Школа A1: дефициты без ИОМ", 1)]


def test_a_wide_scope_gets_one_summary_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    w = World()
    for _ in range(6):
        DeficitFactory(person=StaffFactory(organisation=OrganisationFactory(municipality=w.municipality)))
    with django_assert_max_num_queries(3):  # memberships, the organisations with deficits, the total
        items = school_deficits(w.user("admin"))
    assert [(i.title, i.count) for i in items] == [("Дефициты без ИОМ в организациях", 6)]
