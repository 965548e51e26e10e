"""Editing a route: validation, the edit conflict, amendments, comments and progress."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import Notification
from routes import selectors, services
from routes.models import Comment, RoadmapActivity, Route, Transition
from routes.roadmap import services as roadmap
from tests.routes.factories import ActivityFactory, RouteFactory, group, kind
from tests.world import World

pytestmark = pytest.mark.django_db
S = Route.Status


def activity_data(route, **overrides):
    data = {"group": group("subject"), "kind": kind("course"), "level": "regional",
            "title": "КПК «Функциональная грамотность»", "deadline": route.starts_on + dt.timedelta(days=45),
            "expected_result": "удостоверение", "confirming_document": "удостоверение", "note": ""}
    data.update(overrides)
    return data


@pytest.fixture
def w():
    return World()


@pytest.fixture
def draft(w):
    return RouteFactory(person=w.teacher_staff)


def test_teacher_adds_an_activity_and_the_version_grows(w, draft):
    activity = roadmap.activity_add(actor=w.user("teacher"), route=draft, data=activity_data(draft),
                                    expected_version=draft.version)
    draft.refresh_from_db()
    assert draft.version == 2
    assert activity.route == draft and activity.order == 1


def test_a_stale_save_is_refused_and_nothing_is_overwritten(w, draft):
    """Two tabs opened the same version; the second save is refused with a clear message."""
    opened = draft.version
    roadmap.route_update_note(actor=w.user("teacher"), route=Route.objects.get(pk=draft.pk),
                              data={"topic": "Первая правка"}, expected_version=opened)
    with pytest.raises(services.EditConflict, match="уже изменил другой пользователь"):
        roadmap.route_update_note(actor=w.user("teacher"), route=Route.objects.get(pk=draft.pk),
                                  data={"topic": "Вторая правка"}, expected_version=opened)
    draft.refresh_from_db()
    assert draft.topic == "Первая правка" and draft.version == opened + 1


def test_a_stale_activity_save_is_refused_too(w, draft):
    row = ActivityFactory(route=draft, title="Было")
    opened = draft.version
    roadmap.activity_add(actor=w.user("teacher"), route=draft, data=activity_data(draft), expected_version=opened)
    with pytest.raises(services.EditConflict):
        roadmap.activity_update(actor=w.user("teacher"), activity=row, data={"title": "Стало"},
                                expected_version=opened)
    row.refresh_from_db()
    assert row.title == "Было"


def test_deadline_outside_the_period_is_refused_with_the_period_named(w, draft):
    with pytest.raises(ValidationError) as refused:
        roadmap.activity_add(actor=w.user("teacher"), route=draft,
                             data=activity_data(draft, deadline=draft.ends_on + dt.timedelta(days=1)),
                             expected_version=draft.version)
    assert "внутри периода" in refused.value.message_dict["deadline"][0]
    assert not draft.activities.exists()
    draft.refresh_from_db()
    assert draft.version == 1  # a refused save does not move the version


def test_an_activity_needs_a_title(w, draft):
    with pytest.raises(ValidationError) as refused:
        roadmap.activity_add(actor=w.user("teacher"), route=draft, data=activity_data(draft, title="  "),
                             expected_version=draft.version)
    assert "title" in refused.value.message_dict


@pytest.mark.parametrize(("months", "ok"), [(5, False), (6, True), (60, True), (61, False)])
def test_the_period_runs_from_half_a_year_to_five_years(w, draft, months, ok):
    start = dt.date(2026, 9, 1)
    end = services.add_months(start, months) - dt.timedelta(days=1)
    call = lambda: roadmap.route_update_note(actor=w.user("teacher"), route=draft,  # noqa: E731
                                             data={"starts_on": start, "ends_on": end}, expected_version=1)
    if ok:
        call()
    else:
        with pytest.raises(ValidationError):
            call()


def test_shortening_the_period_past_an_activity_is_refused(w, draft):
    ActivityFactory(route=draft, deadline=draft.ends_on)
    with pytest.raises(ValidationError, match="выходят за новый период"):
        roadmap.route_update_note(actor=w.user("teacher"), route=draft,
                                  data={"ends_on": draft.ends_on - dt.timedelta(days=30)}, expected_version=1)


def test_only_the_owner_edits_and_only_in_editable_states(w, draft):
    with pytest.raises(PermissionDenied):
        roadmap.route_update_note(actor=w.user("deputy"), route=draft, data={"topic": "x"}, expected_version=1)
    draft.status = S.SUBMITTED
    draft.save()
    with pytest.raises(services.RouteError, match="не редактируется"):
        roadmap.route_update_note(actor=w.user("teacher"), route=draft, data={"topic": "x"}, expected_version=1)


def test_reorder_swaps_neighbours_inside_a_group(w, draft):
    first = ActivityFactory(route=draft, order=1, title="Первое")
    second = ActivityFactory(route=draft, order=2, title="Второе")
    roadmap.activity_move(actor=w.user("teacher"), activity=second, direction="up", expected_version=1)
    titles = list(draft.activities.order_by("order").values_list("title", flat=True))
    assert titles == ["Второе", "Первое"]
    with pytest.raises(services.RouteError, match="первым"):
        roadmap.activity_move(actor=w.user("teacher"), activity=RoadmapActivity.objects.get(pk=second.pk),
                              direction="up", expected_version=2)
    assert first.pk


def test_delete_removes_the_row_but_keeps_its_history(w, draft):
    row = ActivityFactory(route=draft)
    row_id = row.pk
    roadmap.activity_delete(actor=w.user("teacher"), activity=row, expected_version=1)
    assert not draft.activities.exists()
    deleted = RoadmapActivity.history.get(id=row_id, history_type="-")
    assert deleted.history_user == w.user("teacher")


def test_amendments_to_a_route_in_progress_are_logged_and_reported(w, django_capture_on_commit_callbacks):
    route = RouteFactory(person=w.teacher_staff, status=S.IN_PROGRESS)
    row = ActivityFactory(route=route)
    with django_capture_on_commit_callbacks(execute=True):
        roadmap.activity_add(actor=w.user("teacher"), route=route, data=activity_data(route), expected_version=1)
        roadmap.activity_update(actor=w.user("teacher"), activity=row,
                                data={"deadline": row.deadline + dt.timedelta(days=10)}, expected_version=2)
    amendments = list(Transition.objects.filter(route=route, action="amend").values_list("comment", flat=True))
    assert len(amendments) == 2
    assert amendments[0].startswith("Добавлено мероприятие") and amendments[1].startswith("Перенесен срок")
    assert Notification.objects.filter(recipient=w.user("deputy")).count() == 2
    with pytest.raises(services.RouteError):
        roadmap.activity_delete(actor=w.user("teacher"), activity=row, expected_version=3)


def test_copy_from_an_earlier_route_carries_the_note_and_open_activities(w):
    earlier = RouteFactory(person=w.teacher_staff, academic_year="2024-2025", status=S.COMPLETED,
                           starts_on=dt.date(2024, 9, 1), ends_on=dt.date(2025, 8, 31))
    ActivityFactory(route=earlier, title="Открытое", deadline=dt.date(2025, 3, 10))
    ActivityFactory(route=earlier, title="Выполненное", deadline=dt.date(2025, 2, 1), is_done=True,
                    done_on=dt.date(2025, 2, 1))
    route = roadmap.route_create(actor=w.user("teacher"), person=w.teacher_staff, copy_from=earlier)
    assert route.status == S.DRAFT and route.topic == earlier.topic
    copied = list(route.activities.all())
    assert [a.title for a in copied] == ["Открытое"]
    assert route.starts_on <= copied[0].deadline <= route.ends_on
    assert route.transitions.get().action == "create"


def test_a_second_route_in_the_same_year_is_refused(w, draft):
    with pytest.raises(services.RouteError, match="уже есть"):
        roadmap.route_create(actor=w.user("teacher"), person=w.teacher_staff)


def test_nobody_creates_a_route_for_someone_else(w):
    with pytest.raises(PermissionDenied):
        roadmap.route_create(actor=w.user("deputy"), person=w.teacher_staff)


# ---------------------------------------------------------------- comments


def test_deputy_comments_on_a_row_and_the_teacher_is_told(w, django_capture_on_commit_callbacks):
    route = RouteFactory(person=w.teacher_staff, status=S.SUBMITTED)
    row = ActivityFactory(route=route, title="Открытый урок")
    with django_capture_on_commit_callbacks(execute=True):
        comment = roadmap.comment_add(actor=w.user("deputy"), route=route, text="Срок слишком поздний",
                                      activity=row)
    assert comment.activity == row
    note = Notification.objects.get(recipient=w.user("teacher"))
    assert "Открытый урок" in note.text and "Срок слишком поздний" in note.text
    view = selectors.roadmap_for(route)
    assert view.commented_activity_ids == {row.pk}
    roadmap.comment_resolve(actor=w.user("teacher"), comment=comment)
    assert selectors.roadmap_for(route).commented_activity_ids == set()


def test_teacher_reply_reaches_the_deputy(w, django_capture_on_commit_callbacks):
    route = RouteFactory(person=w.teacher_staff, status=S.RETURNED)
    with django_capture_on_commit_callbacks(execute=True):
        roadmap.comment_add(actor=w.user("teacher"), route=route, text="Исправила")
    assert Notification.objects.filter(recipient=w.user("deputy"), text__contains="Исправила").exists()


@pytest.mark.parametrize("role", ["director", "municipal_methodist", "admin"])
def test_roles_outside_the_review_cannot_comment(w, role):
    route = RouteFactory(person=w.teacher_staff, status=S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        roadmap.comment_add(actor=w.user(role), route=route, text="x")
    assert not Comment.objects.exists()


def test_credit_reviewer_comments_only_while_the_route_awaits_credit(w):
    route = RouteFactory(person=w.teacher_staff, status=S.AWAITING_CREDIT)
    roadmap.comment_add(actor=w.user("regional_methodist"), route=route, text="Уточните КПК")
    route.status = S.IN_PROGRESS
    route.save()
    with pytest.raises(PermissionDenied):
        roadmap.comment_add(actor=w.user("regional_methodist"), route=route, text="ещё")


def test_an_empty_comment_is_refused(w):
    route = RouteFactory(person=w.teacher_staff, status=S.SUBMITTED)
    with pytest.raises(services.RouteError, match="текст"):
        roadmap.comment_add(actor=w.user("deputy"), route=route, text="   ")


# ---------------------------------------------------------------- progress


def test_progress_is_done_over_all_and_overdue_is_flagged(w):
    route = RouteFactory(person=w.teacher_staff, status=S.IN_PROGRESS)
    today = timezone.localdate()
    ActivityFactory(route=route, is_done=True, done_on=today, deadline=today)
    ActivityFactory(route=route, deadline=today - dt.timedelta(days=1))
    ActivityFactory(route=route, deadline=today + dt.timedelta(days=10))
    ActivityFactory(route=route, deadline=today + dt.timedelta(days=20))
    (row,) = selectors.set_progress(Route.objects.filter(pk=route.pk))
    assert (row.activities_total, row.activities_done, row.activities_overdue) == (4, 1, 1)
    assert str(row.progress) == "25.0"
    view = selectors.roadmap_for(route)
    assert (view.total, view.done, view.overdue, view.progress_value) == (4, 1, 1, 25)


def test_mark_done_needs_evidence_and_a_past_date(w):
    route = RouteFactory(person=w.teacher_staff, status=S.IN_PROGRESS)
    row = ActivityFactory(route=route)
    with pytest.raises(ValidationError, match="подтверждающий"):
        roadmap.activity_mark_done(actor=w.user("teacher"), activity=row, done_on=timezone.localdate())
    with pytest.raises(ValidationError, match="будущем"):
        roadmap.activity_mark_done(actor=w.user("teacher"), activity=row,
                                   done_on=timezone.localdate() + dt.timedelta(days=1), url="https://example.org/c")
    roadmap.activity_mark_done(actor=w.user("teacher"), activity=row, done_on=timezone.localdate(),
                               url="https://example.org/certificate")
    row.refresh_from_db()
    assert row.is_done and row.evidence.get().kind == "link"


def test_mark_done_is_only_for_routes_in_progress(w):
    route = RouteFactory(person=w.teacher_staff, status=S.DRAFT)
    row = ActivityFactory(route=route)
    with pytest.raises(services.RouteError, match="Реализуется"):
        roadmap.activity_mark_done(actor=w.user("teacher"), activity=row, done_on=timezone.localdate(),
                                   url="https://example.org/c")
