"""One resource or one attended event as a new row of the teacher's roadmap (issue 16, item 6): «Добавить в
ИОМ» on the catalog page, the catalog picker of the row editor, «Добавить новой строкой» for an event."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from routes.models import ActivityKind, CatalogResource, RoadmapActivity, Route, RouteTask
from tests.diagnostics.factories import CatalogResourceFactory, DeficitFactory, competency
from tests.methodics.factories import AttendanceFactory, EventFactory
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


@pytest.fixture
def teacher(client, w):
    client.force_login(w.user("teacher"))
    return client


def _course(**fields):
    return CatalogResourceFactory(kind=CatalogResource.Kind.COURSE, title="Оценивание на уроке математики", hours=36,
                                  in_federal_registry=True, activity_kind=ActivityKind.objects.get(code="course"),
                                  competencies=[competency("М4")], **fields)


def test_the_catalog_adds_a_resource_to_the_teachers_draft_with_htmx(teacher, w):
    route = RouteFactory(person=w.teacher_staff)
    deficit = DeficitFactory(person=w.teacher_staff, competency=competency("М4"))
    task = RouteTask.objects.create(route=route, deficit=deficit, problem="М4", educational_task="Развить", order=0)
    resource = _course()
    page = teacher.get(reverse("catalog:list")).content.decode()
    assert "Добавить в ИОМ" in page
    response = teacher.post(reverse("catalog:add_to_route", args=[resource.pk]), HTTP_HX_REQUEST="true")
    assert "добавлено в ИОМ" in response.content.decode()
    activity = RoadmapActivity.objects.get(route=route)
    assert activity.resource == resource and activity.task == task and activity.kind.code == "course"
    assert "«Оценивание на уроке математики» (36 ч)" in activity.expected_result
    assert route.starts_on <= activity.deadline <= route.ends_on
    again = teacher.post(reverse("catalog:add_to_route", args=[resource.pk]), HTTP_HX_REQUEST="true")
    assert "уже есть в вашем ИОМ" in again.content.decode()
    assert RoadmapActivity.objects.filter(route=route).count() == 1
    assert "уже в ИОМ" in teacher.get(reverse("catalog:list")).content.decode()


def test_without_a_route_to_add_to_the_catalog_says_why_and_adds_nothing(teacher, w):
    resource = _course()
    assert "Добавить в ИОМ" not in teacher.get(reverse("catalog:list")).content.decode()
    response = teacher.post(reverse("catalog:add_to_route", args=[resource.pk]), follow=True)
    assert "Нет ИОМ, в который можно добавить" in response.content.decode()
    assert not RoadmapActivity.objects.exists()


def test_a_route_under_way_logs_the_added_row_as_an_amendment(teacher, w):
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    resource = _course()
    teacher.post(reverse("catalog:add_to_route", args=[resource.pk]))
    assert RoadmapActivity.objects.filter(route=route, resource=resource).exists()
    assert route.transitions.filter(action="amend").exists()


def test_the_row_editor_picks_a_resource_and_fills_the_row(teacher, w):
    route = RouteFactory(person=w.teacher_staff)
    resource = _course()
    CatalogResourceFactory(title="Семинар о другом", competencies=[competency("П1")])
    picker = teacher.get(reverse("routes:activity_catalog", args=[route.pk]), {"q": "уроке математики"},
                         HTTP_HX_REQUEST="true").content.decode()
    assert resource.title in picker and "Семинар о другом" not in picker
    form = teacher.get(reverse("routes:activity_add", args=[route.pk]), {"resource": resource.pk},
                       HTTP_HX_REQUEST="true").content.decode()
    assert f'value="{resource.title}"' in form and f'name="resource" value="{resource.pk}"' in form
    row = ActivityFactory(route=route, title="Моя строка", deadline=route.starts_on + dt.timedelta(days=40))
    edit = teacher.get(reverse("routes:activity_edit", args=[row.pk]), {"resource": resource.pk},
                       HTTP_HX_REQUEST="true").content.decode()
    assert f'value="{resource.title}"' in edit and row.deadline.strftime("%Y-%m-%d") in edit  # the row's date stays


def test_someone_elses_route_has_no_picker(client, w):
    route = RouteFactory(person=w.colleague)
    client.force_login(w.user("teacher"))
    assert client.get(reverse("routes:activity_catalog", args=[route.pk])).status_code in (403, 404)


@override_settings(PORTAL_BASE_URL="https://iom.example.ru")  # the test client's host «testserver» is no web address
def test_an_attended_event_becomes_a_new_done_row_of_the_route_under_way(teacher, w):
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    event = EventFactory(municipality=w.municipality, held_on=route.starts_on + dt.timedelta(days=20), hours=6)
    attendance = AttendanceFactory(event=event, person=w.teacher_staff)
    page = teacher.get(reverse("methodics:attendance_link", args=[attendance.pk])).content.decode()
    assert "Добавить новой строкой в ИОМ" in page
    response = teacher.post(reverse("methodics:attendance_add_row", args=[attendance.pk]), follow=True)
    assert "добавлена строка" in response.content.decode()
    activity = RoadmapActivity.objects.get(route=route)
    assert activity.deadline == event.held_on and activity.is_done and activity.done_on == event.held_on
    assert activity.kind.code in {"seminar", "master_class"} and attendance.links.get().activity == activity
    again = teacher.post(reverse("methodics:attendance_add_row", args=[attendance.pk]), follow=True)
    assert "уже подтверждает" in again.content.decode()
    assert RoadmapActivity.objects.filter(route=route).count() == 1


def test_an_event_outside_every_period_is_refused(teacher, w):
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    event = EventFactory(municipality=w.municipality, held_on=route.starts_on - dt.timedelta(days=20))
    attendance = AttendanceFactory(event=event, person=w.teacher_staff)
    response = teacher.post(reverse("methodics:attendance_add_row", args=[attendance.pk]), follow=True)
    assert "Нет ИОМ, в период которого входит" in response.content.decode()
    assert not RoadmapActivity.objects.exists()


def test_nobody_adds_someone_elses_attendance(client, w):
    attendance = AttendanceFactory(person=w.colleague, event=EventFactory(municipality=w.municipality))
    client.force_login(w.user("teacher"))
    assert client.post(reverse("methodics:attendance_add_row", args=[attendance.pk])).status_code in (403, 404)


def test_an_event_added_to_a_draft_is_a_row_not_done_and_is_not_added_twice(teacher, w):
    route = RouteFactory(person=w.teacher_staff)
    event = EventFactory(municipality=w.municipality, held_on=route.starts_on + dt.timedelta(days=20))
    attendance = AttendanceFactory(event=event, person=w.teacher_staff)
    teacher.post(reverse("methodics:attendance_add_row", args=[attendance.pk]))
    activity = RoadmapActivity.objects.get(route=route)
    assert not activity.is_done and attendance.links.get().activity == activity
    page = teacher.get(reverse("methodics:my_events")).content.decode()
    assert "строка ИОМ" in page
    teacher.post(reverse("methodics:attendance_add_row", args=[attendance.pk]))
    assert RoadmapActivity.objects.filter(route=route).count() == 1
