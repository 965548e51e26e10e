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
    # memberships, the organisations with deficits, the scope's municipalities, the total
    with django_assert_max_num_queries(4):
        items = school_deficits(w.user("admin"))
    assert [(i.title, i.count) for i in items] == [("Дефициты без ИОМ в организациях", 6)]
    with django_assert_max_num_queries(3):  # the total comes from the cache now
        assert school_deficits(w.user("admin")) == items


def test_the_cached_summary_counts_a_new_deficit_at_once(django_capture_on_commit_callbacks):
    from diagnostics import services
    from tests.diagnostics.factories import competency

    w = World()
    for _ in range(4):
        DeficitFactory(person=StaffFactory(organisation=OrganisationFactory(municipality=w.municipality)))
    assert school_deficits(w.user("admin"))[0].count == 4
    with django_capture_on_commit_callbacks(execute=True):
        services.deficit_add(actor=w.user("deputy"), person=w.colleague, competency=competency("М1"),
                             reason="по итогам беседы")
    assert school_deficits(w.user("admin"))[0].count == 5
