"""The read endpoints: the scope of the token's role, the filters, what is shown, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from routes.models import Route, Transition
from tests.api.helpers import like, make_token, token_client
from tests.diagnostics.factories import DeficitFactory
from tests.factories import StaffFactory
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def _client(world, role, **kwargs):
    return token_client(like(world.user(role), **kwargs)[1])


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_each_token_lists_the_organisations_of_its_scope(world):
    schools = {o: o.pk for o in (world.school, world.sibling_school, world.other_school, world.far_school)}
    seen = {role: _ids(_client(world, role).get("/api/v1/organisations/"))
            for role in ("deputy", "municipal_methodist", "regional_methodist", "admin")}
    assert seen["deputy"] == {world.school.pk}
    assert seen["municipal_methodist"] == {world.school.pk, world.sibling_school.pk}
    assert seen["regional_methodist"] == {world.school.pk, world.sibling_school.pk, world.other_school.pk}
    assert seen["admin"] == set(schools.values())


def test_an_organisation_shows_its_place_and_staff_counts(world):
    body = _client(world, "deputy").get(f"/api/v1/organisations/{world.school.pk}/").json()
    assert body["municipality"] == {"id": world.municipality.pk, "name": "Муниципалитет A"}
    assert body["region"] == {"id": world.region.pk, "name": "Регион R"}
    assert body["staff_count"] == 4 and body["account_count"] == 3  # teacher, deputy, director; the colleague


def test_filters_narrow_the_scope_and_bad_values_answer_400(world):
    client = _client(world, "admin")
    assert _ids(client.get(f"/api/v1/organisations/?municipality={world.other_municipality.pk}")) == {
        world.other_school.pk}
    assert _ids(client.get(f"/api/v1/organisations/?region={world.other_region.pk}")) == {world.far_school.pk}
    assert _ids(client.get(f"/api/v1/staff/?organisation={world.far_school.pk}")) == {world.far_staff.pk}
    for bad in ("municipality=abc", "municipality=0", f"municipality={2**64}", "kind=Школа"):
        response = client.get(f"/api/v1/organisations/?{bad}")
        assert response.status_code == 400, bad
        assert list(response.json()) == [bad.split("=")[0]]
    # another municipality's id narrows a methodist's own scope to nothing; it is not an error
    assert _ids(_client(world, "municipal_methodist").get(
        f"/api/v1/staff/?municipality={world.far_municipality.pk}")) == set()


def test_staff_show_what_the_staff_list_shows_and_no_more(world):
    world.colleague.birth_date = "1980-02-01"
    world.colleague.email = "colleague@example.org"
    world.colleague.save()
    body = _client(world, "deputy").get(f"/api/v1/staff/{world.colleague.pk}/").json()
    assert set(body) == {"id", "organisation", "last_name", "first_name", "middle_name", "position",
                         "position_category", "subject", "is_main_position", "status", "dismissed_on",
                         "qualification_category", "attested_on", "experience_years", "has_account", "mentor"}
    assert body["has_account"] is False
    assert _client(world, "deputy").get(f"/api/v1/staff/{world.teacher_staff.pk}/").json()["has_account"] is True


def test_a_staff_members_mentor_is_the_mentor_of_their_open_pair(world):
    import datetime as dt

    from tests.methodics.factories import PairFactory

    PairFactory(mentee=world.colleague, mentor=world.deputy_staff, starts_on=dt.date(2024, 9, 1),
                ends_on=dt.date(2025, 5, 31))
    client = _client(world, "deputy")
    assert client.get(f"/api/v1/staff/{world.colleague.pk}/").json()["mentor"] is None  # the pair ended
    PairFactory(mentee=world.colleague, mentor=world.teacher_staff)
    assert client.get(f"/api/v1/staff/{world.colleague.pk}/").json()["mentor"] == world.teacher_staff.pk
    listed = {row["id"]: row["mentor"] for row in client.get("/api/v1/staff/?page_size=100").json()["results"]}
    assert listed[world.colleague.pk] == world.teacher_staff.pk and listed[world.teacher_staff.pk] is None


def test_a_route_comes_with_its_activities_deficits_and_transitions(world):
    deficit = DeficitFactory(person=world.colleague)
    route = RouteFactory(person=world.colleague, status=Route.Status.SUBMITTED)
    route.deficits.add(deficit)
    activity = ActivityFactory(route=route)
    Transition.objects.create(route=route, action="submit", from_status="draft", to_status="submitted",
                              actor=world.user("teacher"), comment="личное")
    body = _client(world, "director").get(f"/api/v1/routes/{route.pk}/").json()
    assert body["person"] == {"id": world.colleague.pk, "full_name": world.colleague.full_name}
    assert (body["status"], body["status_label"]) == ("submitted", "На согласовании")
    assert body["municipality"] == world.municipality.pk and body["deficits"] == [deficit.pk]
    assert [(a["id"], a["kind"], a["group"]) for a in body["activities"]] == [(activity.pk, "seminar", "subject")]
    assert [(t["action"], t["from_status"], t["to_status"]) for t in body["transitions"]] == [
        ("submit", "draft", "submitted")]
    assert "comment" not in body["transitions"][0] and "actor" not in body["transitions"][0]


def test_routes_filter_by_year_status_and_place(world):
    ours = RouteFactory(person=world.colleague, academic_year="2023-2024", status=Route.Status.COMPLETED)
    RouteFactory(person=world.sibling_staff, academic_year="2024-2025")
    client = _client(world, "municipal_methodist")
    assert _ids(client.get("/api/v1/routes/?academic_year=2023-2024")) == {ours.pk}
    assert _ids(client.get("/api/v1/routes/?status=completed")) == {ours.pk}
    assert _ids(client.get(f"/api/v1/routes/?organisation={world.school.pk}")) == {ours.pk}
    assert client.get("/api/v1/routes/?academic_year=2023").status_code == 400


def test_deficits_are_those_of_the_scope_with_their_scores(world):
    ours = DeficitFactory(person=world.colleague)
    DeficitFactory(person=world.other_staff)
    body = _client(world, "deputy").get("/api/v1/deficits/").json()
    assert [row["id"] for row in body["results"]] == [ours.pk]
    row = body["results"][0]
    assert row["competency"] == {"code": "М4", "name": ours.competency.name, "group": ours.competency.group.code}
    assert row["organisation"] == world.school.pk and row["added_manually"] is True


def test_a_capability_the_token_lacks_answers_403_though_its_role_holds_it(world):
    _, secret = make_token(("deputy", {"organisation": world.school}), capabilities=["org.view"])
    client = token_client(secret)
    assert client.get("/api/v1/organisations/").status_code == 200
    response = client.get("/api/v1/routes/")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Токену не разрешено право route.view")


def test_pages_are_bounded_and_a_page_past_the_end_answers_404(world):
    for _ in range(3):
        StaffFactory(organisation=world.school)
    client = _client(world, "deputy")
    first = client.get("/api/v1/staff/?page_size=2").json()
    assert first["count"] == 7 and len(first["results"]) == 2 and first["next"]
    assert len(client.get("/api/v1/staff/?page_size=1000").json()["results"]) == 7  # at most 200 a page
    assert client.get("/api/v1/staff/?page=99").status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# The token with its account (1), the account's memberships (1), the count (1), the page (1), and per list
# its own: the staff counts of the page's organisations (1); the routes' activities, transitions and
# deficits (3). Nothing per row.
LIST_QUERIES = {"/api/v1/organisations/": 5, "/api/v1/staff/": 4, "/api/v1/routes/": 7, "/api/v1/deficits/": 4}


@pytest.mark.parametrize("url", list(LIST_QUERIES))
def test_a_list_costs_the_same_queries_for_one_row_or_many(world, url):
    client = _client(world, "admin")

    def grow():
        staff = StaffFactory(organisation=world.school)
        route = RouteFactory(person=staff)
        route.deficits.add(DeficitFactory(person=staff))
        ActivityFactory(route=route)
        ActivityFactory(route=route)
        Transition.objects.create(route=route, action="create", from_status="draft", to_status="draft")
        from tests.factories import OrganisationFactory

        OrganisationFactory(municipality=world.municipality)

    grow()
    assert _queries(client, url) == LIST_QUERIES[url]
    for _ in range(5):
        grow()
    assert _queries(client, url) == LIST_QUERIES[url]
