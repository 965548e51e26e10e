import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from diagnostics.models import Deficit
from routes.catalog.services import load_initial_catalog
from routes.drafting.services import DraftingError, draft_route_from_deficits, plan_for, spread_deadlines
from routes.models import ActivityKind, CatalogResource, RoadmapActivity, Route
from tests.diagnostics.factories import CatalogResourceFactory, DeficitFactory, competency
from tests.world import World

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 1, 12), dt.date(2026, 12, 20)


@pytest.fixture
def w():
    return World()


def course(title, code, *, registry, level="regional"):
    return CatalogResourceFactory(
        kind=CatalogResource.Kind.COURSE, title=title, hours=36, in_federal_registry=registry, level=level,
        activity_kind=ActivityKind.objects.get(code="course"),
        competencies=[competency(code)],
    )


def test_the_draft_proposes_registry_courses_first_then_other_kinds_matching_the_competency(w):
    DeficitFactory(person=w.teacher_staff, competency=competency("М4"))
    course("Курс вне реестра", "М4", registry=False, level="federal")
    course("Курс из реестра", "М4", registry=True)
    CatalogResourceFactory(title="Семинар по объективности", competencies=[competency("М4")])
    CatalogResourceFactory(title="Второй семинар по объективности", competencies=[competency("М4")])
    CatalogResourceFactory(title="Чужой семинар", competencies=[competency("П1")])
    route = draft_route_from_deficits(actor=w.user("teacher"), person=w.teacher_staff, starts_on=START, ends_on=END)
    titles = list(route.activities.order_by("order").values_list("title", flat=True))
    assert titles[0] == "Курс из реестра"
    assert len(titles) == 2, "one course and one seminar: one activity per kind"
    assert titles[1] in {"Семинар по объективности", "Второй семинар по объективности"}
    assert "Чужой семинар" not in titles


def test_the_draft_has_one_task_per_open_deficit_linked_to_the_route_and_taken_into_work(w):
    load_initial_catalog()
    open_ones = [
        DeficitFactory(person=w.teacher_staff, competency=competency("М4")),
        DeficitFactory(person=w.teacher_staff, competency=competency("ПП2"), status=Deficit.Status.IN_WORK),
        DeficitFactory(person=w.teacher_staff, competency=competency("ИКТ1")),
    ]
    DeficitFactory(person=w.teacher_staff, competency=competency("К3"), status=Deficit.Status.OVERCOME)
    DeficitFactory(person=w.teacher_staff, competency=competency("К2"), status=Deficit.Status.DISMISSED)
    route = draft_route_from_deficits(actor=w.user("teacher"), person=w.teacher_staff, starts_on=START, ends_on=END)
    assert route.status == Route.Status.DRAFT
    assert set(route.deficits.all()) == set(open_ones)
    assert sorted(t.deficit.competency.code for t in route.tasks.all()) == ["ИКТ1", "М4", "ПП2"]
    assert set(Deficit.objects.filter(pk__in=[d.pk for d in open_ones]).values_list("status", flat=True)) == {"in_work"}
    for task in route.tasks.all():
        activities = list(task.activities.all())
        assert 1 <= len(activities) <= 3
        assert all(task.deficit.competency in a.resource.competencies.all() for a in activities)
    # ИКТ is a direction, not a roadmap section: its activities go to the methodical section
    ict_task = route.tasks.get(deficit__competency__code="ИКТ1")
    assert {a.group.code for a in ict_task.activities.all()} == {"methodical"}
    assert "М4" in route.diagnostics_summary


@time_machine.travel(dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC), tick=False)
def test_every_deadline_lies_inside_the_period_and_they_are_spread_over_it(w):
    load_initial_catalog()
    for code in ("М4", "ПП2", "ИКТ1", "П3", "К1"):
        DeficitFactory(person=w.teacher_staff, competency=competency(code))
    route = draft_route_from_deficits(actor=w.user("teacher"), person=w.teacher_staff, starts_on=START, ends_on=END)
    deadlines = list(RoadmapActivity.objects.filter(route=route).order_by("order").values_list("deadline", flat=True))
    assert len(deadlines) >= 5
    assert all(START < d < END for d in deadlines)
    assert deadlines == sorted(deadlines)
    assert deadlines[0] < START + (END - START) / 4 and deadlines[-1] > END - (END - START) / 4


def test_spread_deadlines_never_leave_a_short_period():
    dates = spread_deadlines(10, START, START + dt.timedelta(days=5))
    assert all(START <= d <= START + dt.timedelta(days=5) for d in dates)


def test_a_competency_without_catalog_items_gets_a_self_education_activity(w):
    deficit = DeficitFactory(person=w.teacher_staff, competency=competency("К3"))
    [task] = plan_for([deficit], START, END)
    [activity] = task.activities
    assert activity.kind.code == "self_education" and activity.resource is None


def test_one_resource_is_not_proposed_twice_in_one_route(w):
    shared = CatalogResourceFactory(title="Общий семинар", competencies=[competency("М3"), competency("М4")])
    CatalogResourceFactory(title="Вебинар по оцениванию", competencies=[competency("М3")],
                           activity_kind=ActivityKind.objects.get(code="webinar"))
    deficits = [DeficitFactory(person=w.teacher_staff, competency=competency(c)) for c in ("М3", "М4")]
    tasks = plan_for(deficits, START, END)
    proposed = [a.resource for t in tasks for a in t.activities]
    assert proposed.count(shared) == 1
    assert [a.kind.code for a in tasks[1].activities] == ["self_education"], "nothing unused left for М4"


def test_drafting_without_open_deficits_is_refused_and_creates_nothing(w):
    with pytest.raises(DraftingError, match="Открытых дефицитов нет"):
        draft_route_from_deficits(actor=w.user("teacher"), person=w.teacher_staff)
    assert not Route.objects.exists()


def test_a_second_drafting_in_the_same_year_adds_only_the_new_deficits_and_keeps_the_teachers_text(w):
    first = DeficitFactory(person=w.teacher_staff)
    route = draft_route_from_deficits(actor=w.user("teacher"), person=w.teacher_staff)
    route.goal = "Моя собственная цель"
    route.save(update_fields=["goal"])
    mine = RoadmapActivity.objects.filter(route=route).first()
    mine.title, mine.expected_result = "Мой урок", "Мой результат"
    mine.save(update_fields=["title", "expected_result"])
    rows_before = set(RoadmapActivity.objects.filter(route=route).values_list("pk", "title", "deadline", "order"))
    second = DeficitFactory(person=w.teacher_staff, competency=competency("П1"))
    again = draft_route_from_deficits(actor=w.user("teacher"), person=w.teacher_staff)
    assert again.pk == route.pk and Route.objects.count() == 1
    route.refresh_from_db()
    assert route.goal == "Моя собственная цель"
    assert rows_before <= set(RoadmapActivity.objects.filter(route=route).values_list("pk", "title", "deadline", "order"))
    assert sorted(t.deficit.competency.code for t in route.tasks.all()) == sorted([first.competency.code, "П1"])
    assert route.tasks.filter(deficit=first).count() == 1  # the addressed deficit is not planned again
    assert Deficit.objects.get(pk=second.pk).status == Deficit.Status.IN_WORK
    with pytest.raises(DraftingError, match="уже есть в вашем ИОМ"):
        draft_route_from_deficits(actor=w.user("teacher"), person=w.teacher_staff)


def test_drafting_into_a_route_already_approved_is_refused_and_leaves_the_deficits_as_they_were(w):
    DeficitFactory(person=w.teacher_staff)
    route = draft_route_from_deficits(actor=w.user("teacher"), person=w.teacher_staff)
    Route.objects.filter(pk=route.pk).update(status=Route.Status.IN_PROGRESS)
    DeficitFactory(person=w.teacher_staff, competency=competency("П1"))
    with pytest.raises(Exception, match="уже есть"):
        draft_route_from_deficits(actor=w.user("teacher"), person=w.teacher_staff)
    assert Route.objects.count() == 1
    assert Deficit.objects.get(competency__code="П1").status == Deficit.Status.DETECTED


def test_an_invalid_period_is_refused_and_nothing_is_written(w):
    from django.core.exceptions import ValidationError

    DeficitFactory(person=w.teacher_staff)
    with pytest.raises(ValidationError):
        draft_route_from_deficits(actor=w.user("teacher"), person=w.teacher_staff,
                                  starts_on=START, ends_on=START + dt.timedelta(days=30))
    assert not Route.objects.exists()
    assert Deficit.objects.get().status == Deficit.Status.DETECTED


def test_nobody_drafts_a_route_for_someone_else(w):
    DeficitFactory(person=w.teacher_staff)
    with pytest.raises(PermissionDenied):
        draft_route_from_deficits(actor=w.user("deputy"), person=w.teacher_staff)
