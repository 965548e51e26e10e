"""Edits are saved, not silently lost.

An update service that compares the posted values with the object a ModelForm was bound to
finds nothing changed (the form copied the posted values into that object while validating),
says «Изменения сохранены» and writes nothing. Each test posts the form as the page shows it,
with one change, and reads the row back from the database.
"""

import datetime as dt

import pytest
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone

from methodics.events import services as events
from methodics.events.forms import EventForm
from methodics.models import Event, HelpActivity, HelpPlan, Project
from methodics.plans import services as plans
from methodics.plans.forms import PlanActivityForm
from methodics.projects import services as projects
from methodics.projects.forms import ProjectForm
from routes import services
from routes.models import RoadmapActivity, Route, Transition
from routes.roadmap import services as roadmap
from tests.methodics.factories import EventFactory
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db


def posted(form, **changes) -> dict:
    """The form's fields as the page shows them, as a browser would post them back, with `changes`."""
    data = {}
    for bound in form:
        name, value = bound.name, bound.value()
        if isinstance(value, list | tuple | QuerySet):
            data[name] = [str(v.pk if isinstance(v, Model) else v) for v in value]
        elif isinstance(value, dt.date):
            data[name] = value.strftime("%d.%m.%Y")
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    data.update(changes)
    return data


def saved(client, url: str, data: dict) -> None:
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "Изменения сохранены" in response.content.decode(), response.content.decode()[:2000]


@pytest.fixture
def w():
    return World()


def test_event_title_edit_is_saved(w, client):
    event = EventFactory(municipality=w.municipality, place="ММЦ", hours=4, created_by=w.user("municipal_methodist"))
    client.force_login(w.user("municipal_methodist"))
    data = posted(EventForm(instance=event), title="Формирующее оценивание: практикум")
    saved(client, reverse("methodics:event_edit", args=[event.pk]), data)
    event.refresh_from_db()
    assert event.title == "Формирующее оценивание: практикум"
    assert event.place == "ММЦ" and event.hours == 4


def test_project_title_edit_is_saved(w, client):
    methodist = w.user("municipal_methodist")
    project = projects.project_create(
        actor=methodist, municipality=w.municipality,
        data={"title": "ИОМ в действии", "starts_on": dt.date(2025, 10, 1), "ends_on": dt.date(2026, 5, 31)},
        organisations=[w.school],
    )
    client.force_login(methodist)
    data = posted(ProjectForm(instance=project, municipalities=[w.municipality]), title="ИОМ: от плана к делу",
                  goal="Каждый педагог реализует ИОМ")
    saved(client, reverse("methodics:project_edit", args=[project.pk]), data)
    project = Project.objects.get(pk=project.pk)
    assert (project.title, project.goal) == ("ИОМ: от плана к делу", "Каждый педагог реализует ИОМ")
    assert list(project.organisations.all()) == [w.school]


def test_plan_activity_title_edit_is_saved(w, client):
    deputy = w.user("deputy")
    plan = plans.plan_create(actor=deputy, organisation=w.school, academic_year="2025-2026")
    activity = plan.activities.order_by("pk").first()
    client.force_login(deputy)
    data = posted(PlanActivityForm(instance=activity, plan=plan), title="Собеседование с молодыми педагогами",
                  timing="сентябрь")
    saved(client, reverse("methodics:plan_activity_edit", args=[activity.pk]), data)
    activity = HelpActivity.objects.get(pk=activity.pk)
    assert (activity.title, activity.timing) == ("Собеседование с молодыми педагогами", "сентябрь")


def test_plan_title_edit_is_saved(w, client):
    deputy = w.user("deputy")
    plan = plans.plan_create(actor=deputy, organisation=w.school, academic_year="2025-2026")
    client.force_login(deputy)
    response = client.post(reverse("methodics:plan_edit", args=[plan.pk]), {
        "title": "Программа помощи педагогам с дефицитами", "programme_period": plan.programme_period,
        "goal": plan.goal,
    }, follow=True)
    assert "Изменения сохранены" in response.content.decode()
    assert HelpPlan.objects.get(pk=plan.pk).title == "Программа помощи педагогам с дефицитами"


@pytest.mark.parametrize(("update", "model"), [
    (lambda w, row, data: events.event_update(actor=w.user("municipal_methodist"), event=row, data=data), Event),
    (lambda w, row, data: projects.project_update(actor=w.user("municipal_methodist"), project=row, data=data),
     Project),
])
def test_an_update_service_saves_values_already_copied_into_the_object(w, update, model):
    """What a ModelForm does before the service is called: the object passed in holds the new values."""
    if model is Event:
        row = EventFactory(municipality=w.municipality, created_by=w.user("municipal_methodist"))
    else:
        row = projects.project_create(actor=w.user("municipal_methodist"), municipality=w.municipality,
                                       data={"title": "Старое", "starts_on": dt.date(2025, 10, 1),
                                             "ends_on": dt.date(2026, 5, 31)})
    row.title = "Новое название"
    update(w, row, {"title": "Новое название"})
    assert model.objects.get(pk=row.pk).title == "Новое название"


def test_moving_an_activity_of_a_route_in_progress_is_logged_even_when_the_object_holds_the_new_date(w):
    """The amendment log and the deputy's notice compare with the stored row, not the form's object."""
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    activity = ActivityFactory(route=route)
    new_deadline = activity.deadline + dt.timedelta(days=14)
    activity.deadline = new_deadline  # as ActivityForm(instance=activity).is_valid() leaves it
    roadmap.activity_update(actor=w.user("teacher"), activity=activity, data={"deadline": new_deadline},
                            expected_version=route.version)
    assert RoadmapActivity.objects.get(pk=activity.pk).deadline == new_deadline
    assert Transition.objects.filter(route=route, action="amend", comment__startswith="Перенесен срок").exists()


def test_a_done_activity_is_not_changed_even_when_the_object_holds_the_new_title(w):
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    activity = ActivityFactory(route=route, is_done=True, done_on=timezone.localdate())
    activity.title = "Другое мероприятие"
    with pytest.raises(services.RouteError, match="Выполненное мероприятие не меняется"):
        roadmap.activity_update(actor=w.user("teacher"), activity=activity, data={"title": "Другое мероприятие"},
                                expected_version=route.version)
    assert RoadmapActivity.objects.get(pk=activity.pk).title != "Другое мероприятие"
