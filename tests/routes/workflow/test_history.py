"""A route's history (routes/workflow/history.py): who changed which field from what to what, in the
words and formats the page shows, read in a bounded number of queries."""

import datetime as dt

import pytest

from routes.models import RoadmapActivity, Route
from routes.workflow.history import route_history
from tests.routes.factories import ActivityFactory, RouteFactory, group, kind
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


def _save(record, actor, **values):
    for name, value in values.items():
        setattr(record, name, value)
    record._history_user = actor
    record.save()


def _changes(entry) -> list[tuple[str, str, str]]:
    return [(c.label, c.old, c.new) for c in entry.changes]


def test_each_change_names_the_field_and_shows_both_values_as_the_page_does(w):
    teacher = w.user("teacher")
    route = RouteFactory(person=w.teacher_staff, topic="Старая тема", ends_on=dt.date(2026, 5, 31))
    activity = ActivityFactory(route=route, group=group("subject"), kind=kind("seminar"), level="school",
                               deadline=dt.date(2025, 11, 10))
    _save(Route.objects.get(pk=route.pk), teacher, topic="Новая тема", ends_on=dt.date(2026, 6, 30),
          status=Route.Status.SUBMITTED)
    _save(RoadmapActivity.objects.get(pk=activity.pk), teacher, group=group("methodical"), kind=kind("webinar"),
          level="regional", deadline=dt.date(2025, 12, 1), is_done=True)

    entries = route_history(route)["entries"]
    changed = {e.what: e for e in entries if e.kind == "changed"}
    # in the order of the history's field lists, not alphabetically; choices, dates, booleans, names
    assert _changes(changed["ИОМ"]) == [
        ("статус", "Черновик", "На согласовании"),
        ("тема самообразования", "Старая тема", "Новая тема"),
        ("окончание", "31.05.2026", "30.06.2026"),
    ]
    assert _changes(changed[f"Мероприятие «{activity.title}»"]) == [
        ("направление", group("subject").name, group("methodical").name),
        ("вид", kind("seminar").name, kind("webinar").name),
        ("уровень", "Школьный", "Региональный"),
        ("срок", "10.11.2025", "01.12.2025"),
        ("выполнено", "нет", "да"),
    ]
    assert {e.who for e in changed.values()} == {teacher.get_full_name() or teacher.username}


def test_a_save_that_changes_nothing_shown_is_no_entry_and_a_deletion_is_one(w):
    route = RouteFactory(person=w.teacher_staff)
    activity = ActivityFactory(route=route)
    _save(Route.objects.get(pk=route.pk), w.user("teacher"))  # only updated_at moves
    RoadmapActivity.objects.get(pk=activity.pk).delete()

    kinds = [(e.what, e.kind) for e in route_history(route)["entries"]]
    assert ("ИОМ", "changed") not in kinds
    assert kinds.count((f"Мероприятие «{activity.title}»", "deleted")) == 1


def test_the_history_costs_the_same_for_few_and_many_edits(w, django_assert_max_num_queries):
    route = RouteFactory(person=w.teacher_staff)
    activity = ActivityFactory(route=route)
    for day in range(1, 30):
        _save(RoadmapActivity.objects.get(pk=activity.pk), w.user("teacher"), deadline=route.starts_on + dt.timedelta(days=day))
    # route records, activity records, groups, kinds, the approval, the transitions, the escalation steps and
    # the monitor's reminders
    with django_assert_max_num_queries(8):
        history = route_history(route)
    assert len(history["entries"]) == 31
