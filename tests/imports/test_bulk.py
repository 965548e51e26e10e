"""create_with_history (COPY on PostgreSQL) writes exactly what simple-history's bulk_create_with_history
writes: the same rows, the same history rows, ids from the table's sequence; on SQLite it is that function."""

import datetime as dt

import pytest

from core.imports.bulk import create_with_history
from schools.models import StaffMember
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

SKIP = {"id", "created_at", "updated_at", "email"}  # e-mails are unique, so each side has its own
HISTORY_SKIP = SKIP | {"history_id", "history_date"}


def people(org, prefix: str) -> list[StaffMember]:
    return [StaffMember(organisation=org, last_name=f"{prefix}{n}", first_name="Анна", middle_name="Юрьевна",
                        birth_date=dt.date(1985, 3, n + 1), position="учитель физики", subject="физика",
                        experience_years=n, email=f"{prefix.lower()}{n}@example.ru" if n % 2 else "")
            for n in range(5)]


def rows(queryset, skip) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in skip and k != "last_name"} for row in queryset.order_by("last_name").values()]


def test_copy_writes_the_rows_and_history_bulk_create_with_history_writes():
    from simple_history.utils import bulk_create_with_history

    org, user = OrganisationFactory(), UserFactory()
    ours = create_with_history(people(org, "Копия"), StaffMember, batch_size=2, default_user=user,
                               default_change_reason="Загрузка из файла")
    theirs = bulk_create_with_history(people(org, "Образец"), StaffMember, batch_size=2, default_user=user,
                                      default_change_reason="Загрузка из файла")

    assert all(obj.pk and not obj._state.adding for obj in ours)
    assert sorted(StaffMember.objects.filter(last_name__startswith="Копия").values_list("pk", flat=True)) == \
        sorted(obj.pk for obj in ours)
    mine, model = StaffMember.objects.filter(last_name__startswith="Копия"), StaffMember.objects.filter(
        last_name__startswith="Образец")
    assert rows(mine, SKIP) == rows(model, SKIP)
    assert all(s.created_at and s.updated_at for s in mine)
    history = StaffMember.history.filter(last_name__startswith="Копия")
    assert rows(history, HISTORY_SKIP) == rows(StaffMember.history.filter(last_name__startswith="Образец"), HISTORY_SKIP)
    assert {h.history_type for h in history} == {"+"} and {h.history_user_id for h in history} == {user.pk}
    # the sequence moved past the ids taken, so the next ordinary insert does not collide
    assert StaffMember.objects.create(organisation=org, last_name="После", first_name="Анна").pk > max(o.pk for o in ours)
    assert len(theirs) == 5


def test_nothing_to_write_writes_nothing():
    assert create_with_history([], StaffMember, batch_size=10) == []
    assert not StaffMember.objects.exists()


