"""methodics 0002: every StaffMember.mentor becomes a MentoringPair before schools 0005 drops the field.

Run with Django's migration executor on the test database: the schema is taken back to schools 0004 /
methodics 0001, cards are written with the models of that state, and the migrations are run forward
(and back) as `migrate` runs them."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("methodics", "0001_initial"), ("schools", "0004_organisation_young_mentors_allowed")]
AFTER = [("methodics", "0002_pairs_from_staff_mentor"), ("schools", "0005_remove_staffmember_mentor")]


def at_noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_world():
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_every_card_mentor_becomes_a_pair_and_nothing_is_lost(old_world):
    apps = old_world
    Region, Municipality = apps.get_model("schools", "Region"), apps.get_model("schools", "Municipality")
    Organisation, Staff = apps.get_model("schools", "Organisation"), apps.get_model("schools", "StaffMember")
    History = apps.get_model("schools", "HistoricalStaffMember")
    Pair = apps.get_model("methodics", "MentoringPair")
    municipality = Municipality.objects.create(region=Region.objects.create(name="Край"), name="Район")
    school = Organisation.objects.create(municipality=municipality, name="Школа №1", short_name="Школа 1", kind="СОШ")
    today = timezone.localdate()

    def person(name, **fields):
        return Staff.objects.create(organisation=school, last_name=name, first_name="Анна", position="учитель",
                                    position_category="teacher", **fields)

    mentor, other = person("Наставникова"), person("Другова")
    young = person("Молодова", mentor=mentor, birth_date=today.replace(year=today.year - 25), experience_years=1)
    # the card's history: another mentor first, then this one since 10.09.2025, then an unrelated edit
    for day, who in ((dt.date(2025, 3, 1), other), (dt.date(2025, 9, 10), mentor), (dt.date(2025, 10, 1), mentor)):
        History.objects.create(id=young.pk, organisation_id=school.pk, last_name=young.last_name, first_name="Анна",
                               position="учитель", position_category="teacher", mentor_id=who.pk,
                               created_at=young.created_at, updated_at=at_noon(day), history_date=at_noon(day),
                               history_type="~")
    covered = person("Покрытова", mentor=mentor)
    Pair.objects.create(organisation=school, mentor=mentor, mentee=covered, reason="deficits",
                        starts_on=dt.date(2025, 1, 10))
    changed = person("Смененова", mentor=mentor, experience_years=20)
    Staff.objects.filter(pk=changed.pk).update(created_at=at_noon(dt.date(2025, 6, 1)))
    older = Pair.objects.create(organisation=school, mentor=other, mentee=changed, reason="new_position",
                                starts_on=dt.date(2025, 1, 10))
    left = person("Ушедшова", mentor=mentor, status="dismissed", dismissed_on=dt.date(2026, 2, 1))
    Staff.objects.filter(pk=left.pk).update(created_at=at_noon(dt.date(2025, 9, 1)))
    oneself = person("Самова")  # a card naming the person themselves cannot be a pair
    Staff.objects.filter(pk=oneself.pk).update(mentor_id=oneself.pk)

    apps = migrate(AFTER)
    Pair = apps.get_model("methodics", "MentoringPair")
    pairs = {(p.mentee.last_name, p.mentor.last_name): p for p in Pair.objects.select_related("mentee", "mentor")}
    assert set(pairs) == {("Молодова", "Наставникова"), ("Покрытова", "Наставникова"), ("Смененова", "Другова"),
                          ("Смененова", "Наставникова"), ("Ушедшова", "Наставникова")}
    since_card = pairs["Молодова", "Наставникова"]
    assert (since_card.starts_on, since_card.ends_on, since_card.reason) == (dt.date(2025, 9, 10), None,
                                                                           "young_specialist")
    assert since_card.organisation_id == school.pk and "карточки сотрудника" in since_card.note
    assert Pair.objects.filter(mentee__last_name="Покрытова").count() == 1  # already a pair: not doubled
    older = Pair.objects.get(pk=older.pk)
    assert older.ends_on == dt.date(2025, 5, 31) and older.end_note == "Наставник изменен в карточке сотрудника"
    newer = pairs["Смененова", "Наставникова"]
    assert (newer.starts_on, newer.ends_on, newer.reason) == (dt.date(2025, 6, 1), None, "deficits")
    assert pairs["Ушедшова", "Наставникова"].ends_on == dt.date(2026, 2, 1)
    assert apps.get_model("methodics", "HistoricalMentoringPair").objects.filter(history_type="+").count() == 3
    assert "mentor" not in {f.name for f in apps.get_model("schools", "StaffMember")._meta.get_fields()}

    apps = migrate(BEFORE)  # backwards: the open pairs write their mentors back to the cards
    Staff = apps.get_model("schools", "StaffMember")
    cards = dict(Staff.objects.filter(mentor__isnull=False).values_list("last_name", "mentor__last_name"))
    assert cards == {"Молодова": "Наставникова", "Покрытова": "Наставникова", "Смененова": "Наставникова"}
