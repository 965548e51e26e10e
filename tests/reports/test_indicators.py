"""The mentoring indicators (docs/spec/reports.md): young_supported_share and mentoring_schools_share
read methodics.MentoringPair (active on the report date), the one record of mentoring; "young" is
schools.selectors.young_specialist_q (under 35 AND under three years)."""

import datetime as dt

import pytest

from reports import services
from reports.models import FigureSnapshot
from reports.selectors.indicators import mentoring_schools_share, young_supported_share
from schools.models import Organisation, StaffMember
from tests.factories import OrganisationFactory, StaffFactory
from tests.methodics.factories import PairFactory
from tests.routes.factories import ActivityFactory, RouteFactory, kind
from tests.world import World

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 1)
YOUNG = dict(birth_date=dt.date(2000, 5, 1), experience_years=1)


@pytest.fixture
def w():
    return World()


def scope(w):
    return Organisation.objects.filter(municipality=w.municipality)


def young(w, name, **fields):
    return StaffFactory(organisation=w.school, last_name=name, **{**YOUNG, **fields})


def test_young_staff_supported_by_a_pair_active_on_the_day_or_a_mentoring_activity(w):
    mentor = StaffFactory(organisation=w.school, last_name="Наставник", birth_date=dt.date(1970, 1, 1))
    PairFactory(mentee=young(w, "Парная"), mentor=mentor, starts_on=dt.date(2026, 9, 1))
    PairFactory(mentee=young(w, "Вторая"), mentor=mentor, starts_on=dt.date(2026, 10, 1))
    ActivityFactory(route=RouteFactory(person=young(w, "Сама")), kind=kind("mentoring"))
    PairFactory(mentee=young(w, "Бывшая"), mentor=mentor, starts_on=dt.date(2025, 9, 1), ends_on=dt.date(2026, 6, 1))
    PairFactory(mentee=young(w, "Будущая"), mentor=mentor, starts_on=dt.date(2026, 12, 1))
    young(w, "Одна")
    # outside the base: over 35, or three years of work or more, or dismissed
    PairFactory(mentee=young(w, "Старшая", birth_date=dt.date(1980, 1, 1)), mentor=mentor, starts_on=DAY)
    PairFactory(mentee=young(w, "Опытная", experience_years=5), mentor=mentor, starts_on=DAY)
    PairFactory(mentee=young(w, "Уволенная", status=StaffMember.Status.DISMISSED), mentor=mentor, starts_on=DAY)
    fact = young_supported_share(scope(w), DAY)
    assert (fact.numerator, fact.denominator) == (3, 6)
    assert str(fact.value) == "50.0"
    assert young_supported_share(scope(w), dt.date(2026, 12, 2)).numerator == 4  # the future pair began


def test_schools_with_a_pair_active_on_the_day(w):
    third = OrganisationFactory(municipality=w.municipality, short_name="Школа A3")
    kindergarten = OrganisationFactory(municipality=w.municipality, short_name="ДОУ № 11", kind=Organisation.Kind.DOO)
    PairFactory(mentee=StaffFactory(organisation=w.school), starts_on=dt.date(2026, 9, 1))
    PairFactory(mentee=StaffFactory(organisation=w.sibling_school), mentor=w.sibling_staff, starts_on=DAY)
    PairFactory(mentee=StaffFactory(organisation=third), starts_on=dt.date(2025, 9, 1), ends_on=dt.date(2026, 5, 31))
    PairFactory(mentee=StaffFactory(organisation=kindergarten), starts_on=dt.date(2026, 9, 1))  # not a school
    fact = mentoring_schools_share(scope(w), DAY)
    assert (fact.numerator, fact.denominator) == (2, 3)
    assert str(fact.value) == "66.7"


def test_the_nightly_snapshot_reads_the_mentoring_indicators_on_its_day(w):
    PairFactory(mentee=young(w, "Парная"), starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2026, 10, 31))
    services.take_snapshots(day=dt.date(2026, 10, 15))
    services.take_snapshots(day=DAY)
    shares = dict(FigureSnapshot.objects.filter(municipality=w.municipality, code="young_supported_share")
                  .values_list("taken_on", "numerator"))
    assert shares == {dt.date(2026, 10, 15): 1, DAY: 0}
