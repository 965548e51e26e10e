"""Municipal projects: a participant, a step mark or the project deleted by a concurrent request
(tests/methodics/races.py says how the race is made)."""

import datetime as dt

import pytest
from django.urls import reverse

from methodics.models import Event, ParticipantStep, Project, ProjectParticipant
from methodics.projects import services
from methodics.services import AlreadyDeleted
from tests.methodics.factories import EventFactory
from tests.methodics.races import deleted_before, page_after
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


@pytest.fixture
def project(w):
    return services.project_create(
        actor=w.user("municipal_methodist"), municipality=w.municipality,
        data={"title": "ИОМ в действии", "starts_on": dt.date(2021, 9, 1), "ends_on": dt.date(2026, 6, 30)},
        organisations=[w.school],
    )


@pytest.fixture
def participant(w, project):
    return services.participant_add(actor=w.user("municipal_methodist"), project=project, person=w.colleague)


def test_recording_a_step_of_a_participant_removed_meanwhile_says_so_and_records_nothing(
        w, client, participant, monkeypatch):
    deleted_before(monkeypatch, services, "participant_step_record", ProjectParticipant.objects.filter(pk=participant.pk))
    client.force_login(w.user("municipal_methodist"))
    response = client.post(reverse("methodics:participant_steps", args=[participant.pk]),
                           {"step": "presented", "done_on": "20.05.2022", "place": "РМО", "note": ""}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("methodics:project_detail", args=[participant.project_id])
    assert "Участник уже исключен из проекта." in response.content.decode()
    assert not ParticipantStep.objects.exists() and not ProjectParticipant.objects.exists()


def test_posting_a_step_of_a_participant_removed_right_before_is_a_404(w, client, participant):
    ProjectParticipant.objects.filter(pk=participant.pk).delete()
    client.force_login(w.user("municipal_methodist"))
    response = client.post(reverse("methodics:participant_steps", args=[participant.pk]),
                           {"step": "presented", "done_on": "20.05.2022", "place": "РМО", "note": ""})
    assert response.status_code == 404
    assert client.post(reverse("methodics:participant_remove", args=[participant.pk])).status_code == 404
    assert not ParticipantStep.objects.exists()


def test_the_step_service_with_a_stale_participant_refuses(w, participant):
    ProjectParticipant.objects.filter(pk=participant.pk).delete()
    with pytest.raises(AlreadyDeleted, match="Участник уже исключен из проекта"):
        services.participant_step_record(actor=w.user("municipal_methodist"), participant=participant,
                                         step="presented", done_on=dt.date(2022, 5, 20), place="РМО")
    assert not ParticipantStep.objects.exists()


def test_removing_a_participant_twice_says_so(w, client, participant, monkeypatch):
    deleted_before(monkeypatch, services, "participant_remove", ProjectParticipant.objects.filter(pk=participant.pk))
    client.force_login(w.user("municipal_methodist"))
    page = page_after(client, reverse("methodics:participant_remove", args=[participant.pk]))
    assert "Участник уже исключен из проекта." in page and not ProjectParticipant.objects.exists()


def test_deleting_a_step_mark_twice_says_so(w, client, participant, monkeypatch):
    record = services.participant_step_record(actor=w.user("municipal_methodist"), participant=participant,
                                              step="presented", done_on=dt.date(2022, 5, 20), place="РМО")
    deleted_before(monkeypatch, services, "participant_step_delete", ParticipantStep.objects.filter(pk=record.pk))
    client.force_login(w.user("municipal_methodist"))
    response = client.post(reverse("methodics:step_delete", args=[record.pk]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("methodics:participant_steps", args=[participant.pk])
    assert "Отметка уже удалена." in response.content.decode()


def test_adding_a_participant_to_a_project_deleted_meanwhile_goes_to_the_project_list(
        w, client, project, monkeypatch):
    deleted_before(monkeypatch, services, "participant_add", Project.objects.filter(pk=project.pk))
    client.force_login(w.user("municipal_methodist"))
    response = client.post(reverse("methodics:participant_add", args=[project.pk]),
                           {"person": w.colleague.pk}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("methodics:project_list")
    assert "Проект уже удален." in response.content.decode()
    assert not ProjectParticipant.objects.exists()


def test_refreshing_routes_of_a_project_deleted_meanwhile_says_so(w, client, project, monkeypatch):
    deleted_before(monkeypatch, services, "project_refresh_routes", Project.objects.filter(pk=project.pk))
    client.force_login(w.user("municipal_methodist"))
    page = page_after(client, reverse("methodics:project_refresh", args=[project.pk]))
    assert "Проект уже удален." in page


def test_a_project_with_an_event_deleted_meanwhile_is_refused_and_keeps_its_events(w, project):
    kept = EventFactory(municipality=w.municipality, held_on=dt.date(2022, 3, 1))
    gone = EventFactory(municipality=w.municipality, held_on=dt.date(2022, 4, 1))
    services.project_update(actor=w.user("municipal_methodist"), project=project, data={}, events=[kept])
    Event.objects.filter(pk=gone.pk).delete()
    with pytest.raises(AlreadyDeleted, match="Мероприятие уже удалено. Обновите страницу"):
        services.project_update(actor=w.user("municipal_methodist"), project=project, data={}, events=[kept, gone])
    assert list(project.events.all()) == [kept]
