"""Events and attendance: an event, an attendance or a link deleted by a concurrent request
(tests/methodics/races.py says how the race is made)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from methodics.events import services
from methodics.models import Attendance, AttendanceLink, Event
from methodics.services import AlreadyDeleted
from routes.models import Evidence, Route
from tests.methodics.factories import AttendanceFactory, EventFactory
from tests.methodics.races import deleted_before, page_after
from tests.routes.factories import ActivityFactory, RouteFactory, kind
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


@pytest.fixture
def event(w):
    return EventFactory(municipality=w.municipality, title="Семинар по ИОМ")


def test_removing_an_attendance_of_an_event_deleted_meanwhile_says_so_and_shows_the_event_list(
        w, client, event, monkeypatch):
    attendance = AttendanceFactory(event=event, person=w.colleague)
    deleted_before(monkeypatch, services, "attendance_remove", Event.objects.filter(pk=event.pk))
    client.force_login(w.user("municipal_methodist"))
    response = client.post(reverse("methodics:attendance_remove", args=[attendance.pk]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("methodics:event_list")
    assert "Мероприятие уже удалено." in response.content.decode()
    assert not Event.objects.exists() and not Attendance.objects.exists()


def test_removing_an_attendance_already_removed_by_another_request_stays_on_the_event(
        w, client, event, monkeypatch):
    attendance = AttendanceFactory(event=event, person=w.colleague)
    kept = AttendanceFactory(event=event, person=w.sibling_staff)
    deleted_before(monkeypatch, services, "attendance_remove", Attendance.objects.filter(pk=attendance.pk))
    client.force_login(w.user("municipal_methodist"))
    page = page_after(client, reverse("methodics:attendance_remove", args=[attendance.pk]))
    assert "Участник уже удален из списка мероприятия." in page and event.title in page
    assert list(Attendance.objects.all()) == [kept]


def test_the_attendance_service_with_a_stale_event_refuses_and_writes_nothing(w, event):
    attendance = AttendanceFactory(event=event, person=w.colleague)
    Event.objects.filter(pk=event.pk).delete()
    with pytest.raises(AlreadyDeleted, match="Мероприятие уже удалено") as caught:
        services.attendance_remove(actor=w.user("municipal_methodist"), attendance=attendance)
    assert caught.value.model is Event
    with pytest.raises(AlreadyDeleted, match="Мероприятие уже удалено"):
        services.attendance_add(actor=w.user("municipal_methodist"), event=event, people=[w.colleague])
    assert not Attendance.objects.exists()


def test_posting_to_an_attendance_deleted_right_before_is_a_404(w, client, event):
    attendance = AttendanceFactory(event=event, person=w.colleague)
    Event.objects.filter(pk=event.pk).delete()
    client.force_login(w.user("municipal_methodist"))
    assert client.post(reverse("methodics:attendance_remove", args=[attendance.pk])).status_code == 404
    assert client.post(reverse("methodics:attendance_add", args=[event.pk]),
                       {"person": [w.colleague.pk]}).status_code == 404


def test_marking_attendees_of_an_event_deleted_meanwhile_says_so_and_marks_nobody(w, client, event, monkeypatch):
    deleted_before(monkeypatch, services, "attendance_add", Event.objects.filter(pk=event.pk))
    client.force_login(w.user("municipal_methodist"))
    response = client.post(reverse("methodics:attendance_add", args=[event.pk]),
                           {"person": [w.colleague.pk, w.sibling_staff.pk]}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("methodics:event_list")
    assert "Мероприятие уже удалено." in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_foreign_key_the_database_refuses_is_the_same_message_not_a_500(w, event, monkeypatch):
    """The last resort: a row nobody locked (e.g. deleted in the admin) is refused by the database at the
    insert itself, not at commit, and nothing of the insert is kept."""
    monkeypatch.setattr(services, "locked", lambda model, pk: None)  # as if the lock found the row
    Event.objects.filter(pk=event.pk).delete()
    with pytest.raises(AlreadyDeleted, match="Мероприятие уже удалено. Участники не отмечены."):
        services.attendance_add(actor=w.user("municipal_methodist"), event=event, people=[w.colleague])
    assert not Attendance.objects.exists()


def test_deleting_an_event_twice_says_it_is_already_deleted(w, client, event, monkeypatch):
    deleted_before(monkeypatch, services, "event_delete", Event.objects.filter(pk=event.pk))
    client.force_login(w.user("municipal_methodist"))
    page = page_after(client, reverse("methodics:event_delete", args=[event.pk]))
    assert "Мероприятие уже удалено." in page and not Event.objects.exists()


def test_editing_an_event_deleted_meanwhile_says_so(w, client, event, monkeypatch):
    deleted_before(monkeypatch, services, "event_update", Event.objects.filter(pk=event.pk))
    client.force_login(w.user("municipal_methodist"))
    page = page_after(client, reverse("methodics:event_edit", args=[event.pk]), {
        "kind": event.kind, "level": event.level, "title": "Новое название", "held_on": "10.10.2025",
        "place": "", "hours": "", "description": "",
    })
    assert "Мероприятие уже удалено." in page and not Event.objects.exists()


def test_importing_attendees_of_an_event_deleted_meanwhile_says_so(w, client, event, monkeypatch):
    deleted_before(monkeypatch, services, "attendance_import", Event.objects.filter(pk=event.pk))
    client.force_login(w.user("municipal_methodist"))
    upload = SimpleUploadedFile("people.csv", "ОО;Фамилия;Имя\n".encode(), content_type="text/csv")
    page = page_after(client, reverse("methodics:attendance_import", args=[event.pk]), {"file": upload})
    assert "Мероприятие уже удалено." in page and not Attendance.objects.exists()


def _linkable(w, event):
    attendance = AttendanceFactory(event=event, person=w.teacher_staff)
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    return attendance, ActivityFactory(route=route, kind=kind("seminar"), title="Семинар по проектированию ИОМ")


def test_linking_an_attendance_removed_meanwhile_leaves_the_roadmap_untouched(w, client, event, monkeypatch):
    attendance, activity = _linkable(w, event)
    deleted_before(monkeypatch, services, "attendance_link", Attendance.objects.filter(pk=attendance.pk))
    client.force_login(w.user("teacher"))
    page = page_after(client, reverse("methodics:attendance_link", args=[attendance.pk]), {"activity": activity.pk})
    assert "Участник уже удален из списка мероприятия." in page
    activity.refresh_from_db()
    assert not activity.is_done and not Evidence.objects.exists() and not AttendanceLink.objects.exists()


def test_linking_to_a_roadmap_activity_deleted_meanwhile_says_so(w, event):
    attendance, activity = _linkable(w, event)
    type(activity).objects.filter(pk=activity.pk).delete()
    with pytest.raises(AlreadyDeleted, match="Мероприятие дорожной карты уже удалено"):
        services.attendance_link(actor=w.user("teacher"), attendance=attendance, activity=activity)
    assert not Evidence.objects.exists() and not AttendanceLink.objects.exists()


def test_unlinking_a_link_already_undone_says_so(w, client, event, monkeypatch):
    attendance, activity = _linkable(w, event)
    link = services.attendance_link(actor=w.user("teacher"), attendance=attendance, activity=activity)
    deleted_before(monkeypatch, services, "attendance_unlink", AttendanceLink.objects.filter(pk=link.pk))
    client.force_login(w.user("teacher"))
    page = page_after(client, reverse("methodics:attendance_unlink", args=[link.pk]))
    assert "Связь с ИОМ уже снята." in page
    activity.refresh_from_db()
    assert activity.is_done and Evidence.objects.filter(activity=activity).exists()  # as the other request left it
