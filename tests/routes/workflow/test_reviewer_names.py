"""The pages and refusals name who really reviews a route for the school: the deputy for a teacher's
ИОМ; for a deputy's own ИОМ the director, or the municipal methodist where the school's director has
no account (routes.selectors.route_reviewers). Never «заместитель директора» for every route.

World: school A1 has a teacher, a deputy (also a teacher) and a director; municipality A a methodist.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from routes import selectors, services
from routes.models import ExpressReview, Route
from routes.roadmap import services as roadmap
from routes.workflow import services as workflow
from schools.models import Membership
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db
S = Route.Status
Role = Membership.Role
SCORES = {code: 2 for code, _ in ExpressReview.CRITERIA}


@pytest.fixture
def w():
    return World()


def route_of(staff, status=S.SUBMITTED) -> Route:
    route = RouteFactory(person=staff, status=status, submitted_at=timezone.now())
    ActivityFactory(route=route)
    return Route.objects.select_related("person__user", "organisation__municipality__region").get(pk=route.pk)


def without_director(w) -> None:
    Membership.objects.filter(user=w.user("director"), role=Role.DIRECTOR).delete()


@pytest.mark.parametrize(("owner", "no_director", "role"), [
    ("teacher_staff", False, Role.DEPUTY),
    ("deputy_staff", False, Role.DIRECTOR),
    ("deputy_staff", True, Role.MUNICIPAL_METHODIST),
], ids=["teacher", "deputy", "deputy_without_director"])
def test_the_named_reviewer_role_is_the_role_of_the_routes_reviewers(w, owner, no_director, role):
    if no_director:
        without_director(w)
    route = route_of(getattr(w, owner))
    assert selectors.school_reviewer_role(route) == role
    reviewers = selectors.route_reviewers(route, "approve")
    assert reviewers and all(Membership.objects.filter(user=u, role=role).exists() for u in reviewers)


@pytest.mark.parametrize(("owner", "no_director", "message"), [
    ("teacher_staff", False, "Этот ИОМ согласует заместитель директора школы педагога."),
    ("deputy_staff", False, "Этот ИОМ согласует директор школы (это ИОМ заместителя директора)."),
    ("deputy_staff", True, "Этот ИОМ согласует методист муниципалитета (это ИОМ заместителя директора, а у "
                           "директора школы нет учетной записи в портале)."),
], ids=["teacher", "deputy", "deputy_without_director"])
def test_the_review_page_refused_names_who_reviews_this_route(w, client, owner, no_director, message):
    if no_director:
        without_director(w)
    route = route_of(getattr(w, owner))
    client.force_login(w.user("admin"))  # sees every route, reviews none
    response = client.get(reverse("routes:route_review", args=[route.pk]))
    assert response.status_code == 403
    assert message in response.content.decode()


def test_a_deputy_submitting_their_own_route_is_told_it_goes_to_the_director(w, client):
    route = route_of(w.deputy_staff, S.DRAFT)
    client.force_login(w.user("deputy"))
    page = client.get(reverse("routes:route_action", args=[route.pk, "submit"])).content.decode()
    assert "ИОМ уйдет директору школы." in page and "заместителю директора" not in page


def test_a_teacher_submitting_is_told_the_route_goes_to_the_deputy(w, client):
    route = route_of(w.teacher_staff, S.DRAFT)
    client.force_login(w.user("teacher"))
    page = client.get(reverse("routes:route_action", args=[route.pk, "submit"])).content.decode()
    assert "ИОМ уйдет заместителю директора школы педагога." in page


def test_a_deputy_submitting_results_without_a_director_account_is_told_the_methodist_accepts_them(w, client):
    without_director(w)
    route = route_of(w.deputy_staff, S.IN_PROGRESS)
    client.force_login(w.user("deputy"))
    page = client.get(reverse("routes:route_action", args=[route.pk, "submit_results"])).content.decode()
    assert "методист муниципалитета примет итоги или вернет их" in page


def test_a_methodist_refused_the_approval_of_a_deputys_route_hears_the_director_approves_it(w):
    route = route_of(w.deputy_staff)
    with pytest.raises(PermissionDenied, match="^Согласовать ИОМ может директор школы.$"):
        workflow.route_approve(actor=w.user("municipal_methodist"), route=route, scores=SCORES, comment="")
    route.refresh_from_db()
    assert route.status == S.SUBMITTED


def test_a_director_refused_the_approval_of_a_teachers_route_hears_the_deputy_approves_it(w):
    route = route_of(w.teacher_staff)
    with pytest.raises(PermissionDenied, match="^Согласовать ИОМ может заместитель директора школы педагога.$"):
        workflow.route_approve(actor=w.user("director"), route=route, scores=SCORES, comment="")
    route.refresh_from_db()
    assert route.status == S.SUBMITTED


def test_a_deputys_recall_refused_after_the_directors_comment_names_the_director(w):
    route = route_of(w.deputy_staff)
    roadmap.comment_add(actor=w.user("director"), route=route, text="Уточните сроки")
    with pytest.raises(services.RouteError, match="^Директор школы уже оставил комментарии"):
        workflow.route_recall(actor=w.user("deputy"), route=route)
    route.refresh_from_db()
    assert route.status == S.SUBMITTED


def test_a_comment_refused_on_a_deputys_route_names_the_director(w):
    route = route_of(w.deputy_staff)
    with pytest.raises(PermissionDenied, match="педагог, директор школы, который его согласует"):
        roadmap.comment_add(actor=w.user("municipal_methodist"), route=route, text="Замечание")
    assert not route.comments.exists()
