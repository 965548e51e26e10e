import datetime as dt

import pytest

from methodics.attention import plan_needs_attention, young_without_mentor
from tests.factories import OrganisationFactory, StaffFactory
from tests.methodics.factories import PairFactory
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
    today = dt.date.today()
    young = {"birth_date": today.replace(year=today.year - 26), "experience_years": 1}
    StaffFactory(organisation=w.school, **young)
    PairFactory(mentee=StaffFactory(organisation=w.school, **young), mentor=w.teacher_staff)
    PairFactory(mentee=StaffFactory(organisation=w.school, **young), mentor=w.teacher_staff,
                starts_on=today - dt.timedelta(days=300), ends_on=today - dt.timedelta(days=10))  # ended: counts
    StaffFactory(organisation=w.school, birth_date=young["birth_date"], experience_years=8)  # not young
    with django_assert_max_num_queries(2):
        items = young_without_mentor(w.user("deputy"))
    assert [i.count for i in items] == [2]


def test_the_home_page_counts_the_people_flagged_on_the_mentoring_page(client):
    from django.urls import reverse

    w = World()
    today = dt.date.today()
    for n in range(3):
        StaffFactory(organisation=w.school, birth_date=today.replace(year=today.year - 24), experience_years=n)
    client.force_login(w.user("deputy"))
    page = client.get(reverse("methodics:mentoring"), {"organisation": w.school.pk}).content.decode()
    [item] = young_without_mentor(w.user("deputy"))
    assert item.count == page.count("без наставника</span>") == 3
