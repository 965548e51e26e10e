import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from methodics.models import Step
from methodics.projects import selectors, services
from methodics.services import MethodicsError
from routes.models import Route
from tests.factories import StaffFactory
from tests.methodics.factories import AttendanceFactory, EventFactory
from tests.routes.factories import RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db

# The period of seed 002: October 2021 – May 2022.
START, END = dt.date(2021, 10, 1), dt.date(2022, 5, 31)


@pytest.fixture
def w():
    return World()


@pytest.fixture
def project(w):
    return services.project_create(
        actor=w.user("municipal_methodist"), municipality=w.municipality,
        data={"title": "ИОМ в действии", "starts_on": START, "ends_on": END},
        organisations=[w.school, w.sibling_school],
    )


def _route(person, **fields):
    return RouteFactory(person=person, academic_year="2021-2022", **fields)


def test_the_four_steps_are_read_from_the_route(w, project):
    _route(w.teacher_staff, status=Route.Status.COMPLETED, approved_on=dt.date(2021, 10, 20),
           defended_on=dt.date(2021, 11, 2), defended_place="ШМО учителей математики",
           completed_on=dt.date(2022, 5, 10), outcome=Route.Outcome.FULL,
           results_presented_on=dt.date(2022, 5, 20), results_presented_place="Педсовет")
    participant = services.participant_add(actor=w.user("municipal_methodist"), project=project, person=w.teacher_staff)
    [state] = selectors.project_participants(project)
    assert participant.route is not None
    assert state.all_done and [s.source for s in state.steps] == ["route"] * 4
    assert state.steps[1].place == "ШМО учителей математики" and state.steps[3].on == dt.date(2022, 5, 20)


def test_a_step_missing_in_the_route_is_recorded_explicitly_and_one_the_route_holds_is_refused(w, project):
    _route(w.colleague, status=Route.Status.IN_PROGRESS, approved_on=dt.date(2021, 10, 20))
    participant = services.participant_add(actor=w.user("municipal_methodist"), project=project, person=w.colleague)
    methodist = w.user("municipal_methodist")
    with pytest.raises(MethodicsError, match="уже следует из ИОМ"):
        services.participant_step_record(actor=methodist, participant=participant, step=Step.APPROVED,
                                         done_on=dt.date(2021, 10, 20))
    with pytest.raises(ValidationError, match="где защищен"):
        services.participant_step_record(actor=methodist, participant=participant, step=Step.DEFENDED,
                                         done_on=dt.date(2021, 11, 5))
    services.participant_step_record(actor=methodist, participant=participant, step=Step.DEFENDED,
                                     done_on=dt.date(2021, 11, 5), place="Педсовет")
    [state] = selectors.project_participants(project)
    assert [(s.done, s.source) for s in state.steps] == [
        (True, "route"), (True, "record"), (False, ""), (False, ""),
    ]
    assert not state.all_done and state.done_count == 2


def test_the_project_figures_of_seed_002(w, project):
    methodist = w.user("municipal_methodist")
    full = _route(w.teacher_staff, status=Route.Status.COMPLETED, approved_on=dt.date(2021, 10, 20),
                  defended_on=dt.date(2021, 11, 2), defended_place="ШМО", completed_on=dt.date(2022, 5, 10),
                  outcome=Route.Outcome.FULL, results_presented_on=dt.date(2022, 5, 20))
    _route(w.colleague, status=Route.Status.ARCHIVED, approved_on=dt.date(2021, 10, 25),
           completed_on=dt.date(2022, 5, 12), outcome=Route.Outcome.PARTIAL)
    _route(StaffFactory(organisation=w.school), status=Route.Status.COMPLETED, approved_on=dt.date(2021, 11, 1),
           outcome=Route.Outcome.NOT_ACHIEVED)
    _route(StaffFactory(organisation=w.school), status=Route.Status.DRAFT)  # not developed: never approved
    _route(w.other_staff, status=Route.Status.COMPLETED, approved_on=dt.date(2021, 10, 1))  # not in the project
    RouteFactory(person=w.sibling_staff, academic_year="2019-2020", approved_on=dt.date(2019, 10, 1))  # another year
    services.participant_add(actor=methodist, project=project, person=w.teacher_staff)
    services.participant_add(actor=methodist, project=project, person=w.colleague)
    consultation = EventFactory(municipality=w.municipality, held_on=dt.date(2021, 11, 15),
                                title="Методическая консультация по ИОМ")
    practicum = EventFactory(municipality=w.municipality, held_on=dt.date(2022, 2, 10),
                             title="Семинар-практикум «Проектирование ИОМ педагога»")
    for person in (w.teacher_staff, w.colleague, w.sibling_staff):
        AttendanceFactory(event=consultation, person=person)
    AttendanceFactory(event=practicum, person=w.teacher_staff)
    services.project_update(actor=methodist, project=project, data={}, events=[consultation, practicum])

    figures = selectors.project_figures(project)
    # counted from the participants' rows the page lists (docs/figures-decisions.md): both work in w.school, and
    # the third completed route of w.school (not achieved) belongs to no participant
    assert (figures.organisations_total, figures.organisations_with_route) == (1, 1)
    assert figures.organisation_names == (w.school.short_name,)
    assert figures.routes_developed == 2
    assert (figures.routes_completed_full, figures.routes_completed_partial, figures.routes_completed) == (1, 1, 2)
    assert figures.routes_finished == 2
    assert (figures.participants, figures.participants_all_steps) == (2, 1)
    assert [(f.event, f.attendance) for f in figures.events] == [(consultation, 3), (practicum, 1)]
    assert (figures.attendance_total, figures.people_attended) == (4, 3)
    assert full.organisation == w.school


def test_events_outside_the_period_or_municipality_cannot_join_the_project(w, project):
    late = EventFactory(municipality=w.municipality, held_on=END + dt.timedelta(days=1))
    elsewhere = EventFactory(municipality=w.other_municipality, held_on=START)
    for event in (late, elsewhere):
        with pytest.raises(ValidationError, match="вне муниципалитета или сроков"):
            services.project_update(actor=w.user("municipal_methodist"), project=project, data={}, events=[event])
    assert not project.events.exists()


def test_only_the_methodist_of_the_municipality_manages_the_project(w, project):
    for role in ("deputy", "regional_methodist", "teacher"):
        with pytest.raises(PermissionDenied):
            services.participant_add(actor=w.user(role), project=project, person=w.colleague)
    with pytest.raises(MethodicsError, match="муниципалитете проекта"):
        services.participant_add(actor=w.user("municipal_methodist"), project=project, person=w.other_staff)


def test_a_route_made_later_is_found_for_the_participant(w, project):
    participant = services.participant_add(actor=w.user("municipal_methodist"), project=project, person=w.colleague)
    assert participant.route is None
    route = _route(w.colleague, approved_on=dt.date(2021, 11, 1), status=Route.Status.IN_PROGRESS)
    assert services.project_refresh_routes(actor=w.user("municipal_methodist"), project=project) == 1
    participant.refresh_from_db()
    assert participant.route == route


def test_the_project_is_seen_in_its_municipality_only(w, client, project):
    url = reverse("methodics:project_detail", args=[project.pk])
    client.force_login(w.user("teacher"))
    assert client.get(url).status_code == 200
    from tests.factories import MembershipFactory, UserFactory

    outsider = UserFactory()
    MembershipFactory(user=outsider, role="municipal_methodist", municipality=w.other_municipality)
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_the_methodist_adds_a_participant_through_the_search(w, client, project):
    client.force_login(w.user("municipal_methodist"))
    found = client.get(reverse("methodics:participant_search", args=[project.pk]),
                       {"q": w.colleague.last_name[:5].lower()}, headers={"HX-Request": "true"}).content.decode()
    assert w.colleague.full_name in found
    response = client.post(reverse("methodics:participant_add", args=[project.pk]), {"person": w.colleague.pk})
    assert response.status_code == 302
    page = client.get(reverse("methodics:project_detail", args=[project.pk])).content.decode()
    assert w.colleague.full_name in page and "ИОМ пока не найден" in page  # the message after the redirect


def test_the_methodist_records_and_removes_a_step_and_removes_a_participant(w, client, project):
    participant = services.participant_add(actor=w.user("municipal_methodist"), project=project, person=w.colleague)
    client.force_login(w.user("municipal_methodist"))
    url = reverse("methodics:participant_steps", args=[participant.pk])
    response = client.post(url, {"step": "presented", "done_on": "2022-05-20", "place": "РМО", "note": ""})
    assert response.status_code == 302
    record = participant.steps.get()
    assert client.post(reverse("methodics:step_delete", args=[record.pk])).status_code == 302
    assert not participant.steps.exists()
    assert client.post(reverse("methodics:participant_remove", args=[participant.pk])).status_code == 302
    assert not project.participants.exists()


def test_the_project_page_makes_a_bounded_number_of_queries(w, client, project, django_assert_max_num_queries):
    for _ in range(10):
        person = StaffFactory(organisation=w.school)
        _route(person, status=Route.Status.COMPLETED, approved_on=dt.date(2021, 10, 20), outcome="full")
        services.participant_add(actor=w.user("municipal_methodist"), project=project, person=person)
    client.force_login(w.user("municipal_methodist"))
    # session, user, memberships; the project; participants with people, organisations and routes, and
    # their step records; the route aggregate, the events with attendance, distinct attendees, the count
    # of organisations, the organisations; the layout and the session save — whatever the participants.
    with django_assert_max_num_queries(19):
        response = client.get(reverse("methodics:project_detail", args=[project.pk]))
    assert response.status_code == 200
