import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import Workbook

from methodics.events import selectors, services
from methodics.models import Attendance, AttendanceLink, Event
from methodics.services import MethodicsError
from routes.models import Evidence, Route
from tests.factories import MembershipFactory, StaffFactory, UserFactory
from tests.methodics.factories import AttendanceFactory, EventFactory
from tests.routes.factories import ActivityFactory, RouteFactory, kind
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


@pytest.fixture(autouse=True)
def _portal_address(settings):
    """Linking an event stores the event's absolute address as the evidence, and an evidence link must pass the
    web-URL validator (a host with a dot, an IP or localhost). Without PORTAL_BASE_URL the address is the request's
    host, the test client's `testserver`, which it refuses; CI exports a real one (.ci/run). Name one here, so the
    tests do not depend on the environment they run in (nor on `PORTAL_BASE_URL=http://testserver`)."""
    settings.PORTAL_BASE_URL = "https://iom.example.ru"


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- creating and seeing events


def test_methodist_creates_a_municipal_event_and_a_deputy_cannot(w):
    data = {"kind": Event.Kind.PRACTICUM, "level": "municipal", "title": "Проектирование ИОМ педагога",
            "held_on": dt.date(2026, 11, 10)}
    event = services.event_create(actor=w.user("municipal_methodist"), municipality=w.municipality,
                                  organisation=None, data=data)
    assert event.is_municipal and event.organiser_label == "ММЦ"
    with pytest.raises(PermissionDenied):
        services.event_create(actor=w.user("deputy"), municipality=w.municipality, organisation=None, data=data)


def test_deputy_creates_a_school_event_and_the_methodist_may_not_change_it(w):
    event = services.event_create(actor=w.user("deputy"), municipality=w.municipality, organisation=w.school,
                                  data={"kind": Event.Kind.SHMO, "title": "Заседание ШМО", "held_on": dt.date(2026, 10, 1)})
    assert event.organisation == w.school
    with pytest.raises(PermissionDenied):
        services.event_update(actor=w.user("municipal_methodist"), event=event, data={"title": "Другое"})


def test_a_school_event_is_seen_by_its_staff_and_the_methodist_not_by_another_school(w, client):
    event = EventFactory(municipality=w.municipality, organisation=w.school)
    url = reverse("methodics:event_detail", args=[event.pk])
    stranger = UserFactory()
    StaffFactory(organisation=w.sibling_school, user=stranger)
    MembershipFactory(user=stranger, role="teacher", organisation=w.sibling_school)
    for user, status in [(w.user("teacher"), 200), (w.user("municipal_methodist"), 200), (stranger, 404),
                         (w.user("deputy"), 200)]:
        client.force_login(user)
        assert client.get(url).status_code == status
    assert event not in selectors.event_list_for(stranger)


def test_a_municipal_event_is_seen_in_its_municipality_only(w):
    event = EventFactory(municipality=w.municipality)
    elsewhere = EventFactory(municipality=w.other_municipality)
    teacher = w.user("teacher")
    assert list(selectors.event_list_for(teacher)) == [event]
    assert set(selectors.event_list_for(w.user("regional_methodist"))) == {event, elsewhere}


def test_the_event_list_makes_a_bounded_number_of_queries(w, client, django_assert_max_num_queries):
    for i in range(15):
        event = EventFactory(municipality=w.municipality, title=f"Семинар {i}")
        AttendanceFactory(event=event, person=w.teacher_staff)
    client.force_login(w.user("municipal_methodist"))
    # session, user, memberships, count for the paginator, the page of events with attendance counts,
    # nav and attention checks of the layout; the same number for 15 events as for one.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("methodics:event_list"))
    assert response.status_code == 200
    assert "Семинар 14" in response.content.decode()


# ---------------------------------------------------------------- attendance


def test_attendance_by_checklist_marks_people_once_and_refuses_strangers(w):
    event = EventFactory(municipality=w.municipality)
    methodist = w.user("municipal_methodist")
    assert services.attendance_add(actor=methodist, event=event, people=[w.teacher_staff, w.colleague]) == (2, 0)
    assert services.attendance_add(actor=methodist, event=event, people=[w.teacher_staff]) == (0, 1)
    with pytest.raises(MethodicsError, match="не могут быть участниками"):
        services.attendance_add(actor=methodist, event=event, people=[w.other_staff])
    assert event.attendances.count() == 2


def test_the_marked_teacher_is_notified(w):
    from core.models import Notification

    event = EventFactory(municipality=w.municipality, title="Методическая консультация по ИОМ")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: fn())
        services.attendance_add(actor=w.user("municipal_methodist"), event=event, people=[w.teacher_staff])
    assert "Методическая консультация по ИОМ" in Notification.objects.get(recipient=w.user("teacher")).text


def test_the_picker_finds_people_by_surname_and_leaves_out_those_already_marked(w, client):
    event = EventFactory(municipality=w.municipality)
    target = StaffFactory(organisation=w.sibling_school, last_name="Глаголева")
    marked = StaffFactory(organisation=w.school, last_name="Глаголевич")
    AttendanceFactory(event=event, person=marked)
    client.force_login(w.user("municipal_methodist"))
    response = client.get(reverse("methodics:attendance_search", args=[event.pk]), {"q": "глагол"},
                          headers={"HX-Request": "true"})
    html = response.content.decode()
    assert target.full_name in html and marked.full_name not in html
    response = client.post(reverse("methodics:attendance_add", args=[event.pk]), {"person": [target.pk]})
    assert response.status_code == 302
    assert Attendance.objects.filter(event=event, person=target).exists()


def test_a_valid_file_marks_every_row(w):
    event = EventFactory(municipality=w.municipality)
    data = xlsx([["ОО", "Фамилия", "Имя", "Отчество"],
                 [w.school.short_name, w.teacher_staff.last_name, w.teacher_staff.first_name, w.teacher_staff.middle_name],
                 [w.sibling_school.name, w.sibling_staff.last_name.upper(), w.sibling_staff.first_name,
                  w.sibling_staff.middle_name]])
    result = services.attendance_import(actor=w.user("municipal_methodist"), event=event, data=data, filename="a.xlsx")
    assert result.ok and (result.rows, result.added) == (2, 2)
    assert set(event.attendances.values_list("source", flat=True)) == {"import"}


def test_a_file_with_errors_shows_every_error_and_writes_nothing(w):
    event = EventFactory(municipality=w.municipality)
    t = w.teacher_staff
    data = xlsx([["Фамилия", "Имя", "Отчество", "ОО"],
                 [t.last_name, t.first_name, t.middle_name, w.school.short_name],  # valid
                 ["Неизвестная", "Анна", "", w.school.short_name],
                 [t.last_name, t.first_name, t.middle_name, "МБОУ Нет такой"],
                 ["", "Анна", "", w.school.short_name],
                 [w.other_staff.last_name, w.other_staff.first_name, w.other_staff.middle_name,
                  w.other_school.short_name],
                 [t.last_name, t.first_name, t.middle_name, w.school.short_name]])
    result = services.attendance_import(actor=w.user("municipal_methodist"), event=event, data=data, filename="a.xlsx")
    assert result.errors == [
        "строка 3: Фамилия: Неизвестная Анна — не найден среди работающих сотрудников Школа A1",
        "строка 4: ОО: «МБОУ Нет такой» — нет такой организации у муниципалитета",
        "строка 5: Фамилия: обязательное поле не заполнено",
        f"строка 6: ОО: «{w.other_school.short_name}» — нет такой организации у муниципалитета",
        f"строка 7: Фамилия: {t.full_name} — повтор строки 2",
    ]
    assert not event.attendances.exists()


def test_a_file_without_the_columns_or_not_a_table_is_refused(w):
    event = EventFactory(municipality=w.municipality)
    methodist = w.user("municipal_methodist")
    result = services.attendance_import(actor=methodist, event=event, data=xlsx([["ФИО"], ["Иванова"]]), filename="a.xlsx")
    assert "нет колонок: ОО, Фамилия, Имя" in result.errors[0]
    result = services.attendance_import(actor=methodist, event=event, data=b"<html>", filename="a.xlsx")
    assert result.errors and not event.attendances.exists()


def test_the_import_page_lists_the_errors(w, client):
    event = EventFactory(municipality=w.municipality)
    client.force_login(w.user("municipal_methodist"))
    upload = io.BytesIO(xlsx([["ОО", "Фамилия", "Имя"], ["Нет", "А", "Б"]]))
    upload.name = "people.xlsx"
    response = client.post(reverse("methodics:attendance_import", args=[event.pk]), {"file": upload})
    assert response.status_code == 200
    assert "строка 2: ОО: «Нет»" in response.content.decode()


def test_an_attendance_confirming_a_route_cannot_be_removed(w):
    attendance = AttendanceFactory(event=EventFactory(municipality=w.municipality), person=w.teacher_staff)
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    AttendanceLink.objects.create(attendance=attendance, activity=ActivityFactory(route=route))
    with pytest.raises(MethodicsError, match="подтверждает мероприятие ИОМ"):
        services.attendance_remove(actor=w.user("municipal_methodist"), attendance=attendance)


# ---------------------------------------------------------------- a person's events and the roadmap


def _implementing(w, kind_code="seminar"):
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    return ActivityFactory(route=route, kind=kind(kind_code), title="Семинар по проектированию ИОМ")


def test_linking_marks_the_activity_done_on_the_event_date_with_a_link_to_the_event(w):
    event = EventFactory(municipality=w.municipality, title="Проектирование ИОМ педагога")
    attendance = AttendanceFactory(event=event, person=w.teacher_staff)
    activity = _implementing(w)
    link = services.attendance_link(actor=w.user("teacher"), attendance=attendance, activity=activity)
    activity.refresh_from_db()
    assert activity.is_done and activity.done_on == event.held_on
    evidence = Evidence.objects.get(activity=activity)
    assert evidence.kind == Evidence.Kind.LINK and evidence.url.endswith(f"/methodics/events/{event.pk}/")
    assert "Проектирование ИОМ педагога" in evidence.original_name
    assert link.evidence == evidence

    services.attendance_unlink(actor=w.user("teacher"), link=link)
    activity.refresh_from_db()
    assert not activity.is_done and activity.done_on is None
    assert not Evidence.objects.filter(activity=activity).exists()
    assert not AttendanceLink.objects.exists()


def test_only_the_person_may_link_their_attendance(w):
    attendance = AttendanceFactory(event=EventFactory(municipality=w.municipality), person=w.teacher_staff)
    activity = _implementing(w)
    with pytest.raises(PermissionDenied):
        services.attendance_link(actor=w.user("deputy"), attendance=attendance, activity=activity)
    activity.refresh_from_db()
    assert not activity.is_done


def test_an_activity_of_a_route_not_under_implementation_is_not_offered_and_is_refused(w):
    attendance = AttendanceFactory(event=EventFactory(municipality=w.municipality), person=w.teacher_staff)
    draft = RouteFactory(person=w.teacher_staff, status=Route.Status.DRAFT)
    activity = ActivityFactory(route=draft)
    assert selectors.linkable_activities(attendance) == []
    with pytest.raises(Exception, match="Реализуется"):
        services.attendance_link(actor=w.user("teacher"), attendance=attendance, activity=activity)


def test_activities_of_a_matching_kind_are_offered_first(w):
    attendance = AttendanceFactory(event=EventFactory(municipality=w.municipality, kind=Event.Kind.COURSE),
                                   person=w.teacher_staff)
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    seminar = ActivityFactory(route=route, kind=kind("seminar"), deadline=route.starts_on + dt.timedelta(days=5))
    course = ActivityFactory(route=route, kind=kind("course"), deadline=route.starts_on + dt.timedelta(days=90))
    offered = selectors.linkable_activities(attendance)
    assert offered == [course, seminar] and offered[0].suits and not offered[1].suits


def test_the_teacher_links_from_my_events_and_the_deputy_sees_it_on_the_person_page(w, client):
    event = EventFactory(municipality=w.municipality, title="Методическая консультация по ИОМ",
                         kind=Event.Kind.CONSULTATION)
    attendance = AttendanceFactory(event=event, person=w.teacher_staff)
    activity = _implementing(w)
    client.force_login(w.user("teacher"))
    page = client.get(reverse("methodics:my_events")).content.decode()
    assert "Методическая консультация по ИОМ" in page and "Отметить в ИОМ" in page
    response = client.post(reverse("methodics:attendance_link", args=[attendance.pk]), {"activity": activity.pk})
    assert response.status_code == 302
    client.force_login(w.user("deputy"))
    page = client.get(reverse("methodics:person_events", args=[w.teacher_staff.pk])).content.decode()
    assert "Семинар по проектированию ИОМ" in page and "выполнено" in page


def test_a_linked_event_keeps_its_date(w):
    event = EventFactory(municipality=w.municipality)
    attendance = AttendanceFactory(event=event, person=w.teacher_staff)
    services.attendance_link(actor=w.user("teacher"), attendance=attendance, activity=_implementing(w))
    with pytest.raises(MethodicsError, match="Дату нельзя изменить"):
        services.event_update(actor=w.user("municipal_methodist"), event=event,
                              data={"held_on": event.held_on - dt.timedelta(days=1)})
    with pytest.raises(MethodicsError, match="нельзя удалить"):
        services.event_delete(actor=w.user("municipal_methodist"), event=event)
