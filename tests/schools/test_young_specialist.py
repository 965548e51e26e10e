"""The one young-specialist rule (docs/spec/reports.md): under 35 on the day AND under three years of experience.

The SQL form (young_specialist_q) and the Python form (is_young_specialist, StaffMember.is_young_specialist) must
agree on every boundary: the 35th birthday, three whole years, missing data, 29 February."""

import datetime as dt

import pytest

from schools.models import StaffMember
from schools.selectors import is_young_specialist, young_specialist_q
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 4)


def years_before(day: dt.date, years: int, days: int = 0) -> dt.date:
    return day.replace(year=day.year - years) + dt.timedelta(days=days)


def both_forms(person: StaffMember, on: dt.date = DAY) -> bool:
    in_sql = StaffMember.objects.filter(young_specialist_q(on), pk=person.pk).exists()
    assert is_young_specialist(person, on) is in_sql, "the SQL and the Python forms disagree"
    return in_sql


@pytest.mark.parametrize(("birth", "experience", "young"), [
    (years_before(DAY, 35, days=1), 2, True),     # 35 tomorrow: still under 35
    (years_before(DAY, 35), 2, False),            # 35 today
    (years_before(DAY, 35, days=-1), 0, False),   # 35 yesterday
    (years_before(DAY, 25), 2, True),             # the third year of work
    (years_before(DAY, 25), 3, False),            # three whole years: no longer
    (years_before(DAY, 50), 1, False),            # in the first three years but over 35 (the old "or" said yes)
    (years_before(DAY, 30), 10, False),           # under 35 but experienced (the old "or" said yes)
    (None, 1, False),                             # age unknown: not shown to be young
    (years_before(DAY, 25), None, False),         # experience unknown
])
def test_young_means_under_35_and_under_three_years(birth, experience, young):
    person = StaffFactory(birth_date=birth, experience_years=experience)
    assert both_forms(person) is young


def test_someone_born_on_29_february_turns_35_on_1_march_of_a_common_year():
    person = StaffFactory(birth_date=dt.date(1992, 2, 29), experience_years=1)
    assert both_forms(person, dt.date(2027, 2, 28)) is True
    assert both_forms(person, dt.date(2027, 3, 1)) is False


def test_on_29_february_someone_born_on_28_february_35_years_before_is_35():
    person = StaffFactory(birth_date=dt.date(1993, 2, 28), experience_years=1)
    assert both_forms(person, dt.date(2028, 2, 29)) is False
    assert both_forms(person, dt.date(2028, 2, 27)) is True


def test_the_staff_property_reads_the_same_rule_today():
    today = dt.date.today()
    young = StaffFactory(birth_date=years_before(today, 30), experience_years=1)
    older = StaffFactory(birth_date=years_before(today, 40), experience_years=1)
    assert young.is_young_specialist is True and older.is_young_specialist is False


def test_the_rule_reads_through_a_relation():
    person = StaffFactory(birth_date=years_before(DAY, 24), experience_years=0)
    StaffFactory(organisation=person.organisation, birth_date=years_before(DAY, 24), experience_years=5)
    organisation = type(person.organisation).objects.filter(young_specialist_q(DAY, prefix="staff"))
    assert list(organisation.distinct()) == [person.organisation]
