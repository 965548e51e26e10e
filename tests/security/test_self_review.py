"""Nobody reviews their own route (docs/spec/workflow.md, Rules): the owner never approves, returns,
credits or accepts the results of their own ИОМ, and never finds it in their queue. A deputy's own
ИОМ goes to the director of the school, where the director has no account to the municipal
methodist; a methodist's own ИОМ is credited by another methodist.

World: school A1 has a teacher, a deputy (also a teacher, with an ИОМ of their own) and a
director; municipality A has a municipal methodist, region R a regional methodist.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from routes import selectors
from routes.attention import waiting_for_credit, waiting_for_review
from routes.models import ExpressReview, Route, Transition
from routes.tasks import remind_deputies
from routes.workflow import services as workflow
from schools.models import Membership, Municipality
from tests.factories import StaffFactory, UserFactory
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World, grant

pytestmark = pytest.mark.django_db
S = Route.Status
SCORES = {code: 2 for code, _ in ExpressReview.CRITERIA}

REVIEW_STEPS = {
    "return": (S.SUBMITTED, lambda r, u: workflow.route_return(actor=u, route=r, comment="Доработайте"), S.RETURNED),
    "approve": (S.SUBMITTED, lambda r, u: workflow.route_approve(actor=u, route=r, scores=SCORES, comment="Отлично"),
                S.AWAITING_CREDIT),
    "accept_results": (S.RESULTS_SUBMITTED, lambda r, u: workflow.route_accept_results(
        actor=u, route=r, outcome="full", comment="Все выполнено", presented_on=timezone.localdate(),
        presented_place="педсовет"), S.COMPLETED),
    "return_results": (S.RESULTS_SUBMITTED,
                       lambda r, u: workflow.route_return_results(actor=u, route=r, comment="Допишите"),
                       S.IN_PROGRESS),
}
CREDIT_STEPS = {
    "credit": (S.AWAITING_CREDIT, lambda r, u: workflow.route_credit(actor=u, route=r), S.IN_PROGRESS),
    "refuse_credit": (S.AWAITING_CREDIT, lambda r, u: workflow.route_refuse_credit(actor=u, route=r, comment="Нет"),
                      S.NOT_CREDITED),
}


def route_of(staff, status, **extra) -> Route:
    route = RouteFactory(person=staff, status=status, submitted_at=timezone.now(), **extra)
    ActivityFactory(route=route)
    route.refresh_from_db()
    return route


def assert_untouched(route: Route, status: str) -> None:
    route.refresh_from_db()
    assert route.status == status
    assert not Transition.objects.filter(route=route).exists()
    assert not ExpressReview.objects.filter(route=route).exists()
    assert route.outcome == "" and route.credited_on is None and route.completed_on is None


def take(step, route, user):
    start, call, target = {**REVIEW_STEPS, **CREDIT_STEPS}[step]
    call(route, user)
    route.refresh_from_db()
    assert route.status == target
    assert Transition.objects.get(route=route, action=step).actor == user


def without_director(w: World) -> None:
    Membership.objects.filter(user=w.user("director"), role=Membership.Role.DIRECTOR).delete()


def methodist_with_a_route(w: World, role: str, **scope):
    """A methodist who also teaches in school A1 and keeps an ИОМ there."""
    user = UserFactory()
    grant(user, role, **scope)
    grant(user, "teacher", organisation=w.school)
    staff = StaffFactory(organisation=w.school, user=user, position="учитель истории")
    return user, staff


# ---------------------------------------------------------------- the owner is refused


@pytest.mark.parametrize("step", list(REVIEW_STEPS))
def test_deputy_cannot_review_own_route(step):
    w = World()
    start, call, _ = REVIEW_STEPS[step]
    route = route_of(w.deputy_staff, start)
    with pytest.raises(PermissionDenied, match="Свой ИОМ не согласуют"):
        call(route, w.user("deputy"))
    assert_untouched(route, start)


def test_deputy_cannot_approve_own_route(client):
    """The finding as reported: the deputy approves their own ИОМ with full express-review scores."""
    w = World()
    route = route_of(w.deputy_staff, S.SUBMITTED)
    client.force_login(w.user("deputy"))
    response = client.post(reverse("routes:route_action", args=[route.pk, "approve"]),
                           {**SCORES, "comment": "Отлично"})
    assert response.status_code == 403
    assert "Свой ИОМ не согласуют и не проверяют сами" in response.content.decode()  # says why, not just «недоступно»
    assert_untouched(route, S.SUBMITTED)
    assert client.get(reverse("routes:route_review", args=[route.pk])).status_code == 403
    assert "approve" not in workflow.available_actions(w.user("deputy"), route)


def test_nobody_accepts_results_of_own_route():
    w = World()
    for owner, user in [(w.deputy_staff, w.user("deputy")), (w.director_staff, w.user("director"))]:
        route = route_of(owner, S.RESULTS_SUBMITTED)
        grant(user, "deputy", organisation=w.school)  # the director who is also a deputy
        for step in ("accept_results", "return_results"):
            assert not workflow.may(user, route, step)
            with pytest.raises(PermissionDenied):
                REVIEW_STEPS[step][1](route, user)
        assert_untouched(route, S.RESULTS_SUBMITTED)


def test_another_deputy_of_the_school_does_not_review_a_deputys_route():
    """docs/spec/workflow.md: a deputy's own ИОМ is approved by the director or the methodist."""
    w = World()
    colleague = UserFactory()
    grant(colleague, "deputy", organisation=w.school)
    route = route_of(w.deputy_staff, S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        workflow.route_approve(actor=colleague, route=route, scores=SCORES)
    assert_untouched(route, S.SUBMITTED)
    assert route not in selectors.review_queue(colleague)


# ---------------------------------------------------------------- the step goes to the director, else the methodist


def test_deputys_own_route_goes_to_director(django_capture_on_commit_callbacks):
    w = World()
    route = route_of(w.deputy_staff, S.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.route_submit(actor=w.user("deputy"), route=route)
    assert Notification.objects.filter(recipient=w.user("director"), text__contains="отправлен на согласование").exists()
    assert not Notification.objects.filter(recipient=w.user("deputy")).exists()
    assert selectors.route_reviewers(route, "approve") == [w.user("director")]
    for nobody in ("municipal_methodist", "regional_methodist", "teacher", "admin"):
        assert not workflow.may(w.user(nobody), route, "approve"), nobody
    take("approve", route, w.user("director"))
    assert ExpressReview.objects.get(route=route).reviewer == w.user("director")


def test_director_takes_every_school_step_of_a_deputys_route():
    w = World()
    for step, (start, _, _) in REVIEW_STEPS.items():
        route = route_of(w.deputy_staff, start)
        assert workflow.available_actions(w.user("director"), route) >= {step}
        take(step, route, w.user("director"))
        route.delete()


def test_deputys_own_route_goes_to_methodist_when_no_director_account_and_methodist_is_notified(
        django_capture_on_commit_callbacks):
    w = World()
    without_director(w)
    route = route_of(w.deputy_staff, S.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.route_submit(actor=w.user("deputy"), route=route)
    methodist = w.user("municipal_methodist")
    assert Notification.objects.filter(recipient=methodist, text__contains="отправлен на согласование").exists()
    assert selectors.route_reviewers(route, "approve") == [methodist]
    with pytest.raises(PermissionDenied):
        workflow.route_approve(actor=w.user("deputy"), route=route, scores=SCORES)
    take("approve", route, methodist)


def test_a_director_account_that_is_the_owner_itself_does_not_count():
    """A small school whose deputy is also its director: the methodist reviews."""
    w = World()
    without_director(w)
    grant(w.user("deputy"), "director", organisation=w.school)
    route = route_of(w.deputy_staff, S.SUBMITTED)
    assert selectors.route_reviewers(route, "approve") == [w.user("municipal_methodist")]
    with pytest.raises(PermissionDenied):
        workflow.route_approve(actor=w.user("deputy"), route=route, scores=SCORES)


def test_where_nobody_else_exists_the_route_waits():
    w = World()
    without_director(w)
    Membership.objects.filter(user=w.user("municipal_methodist")).delete()
    route = route_of(w.deputy_staff, S.SUBMITTED)
    assert selectors.route_reviewers(route, "approve") == []
    with pytest.raises(PermissionDenied):
        workflow.route_approve(actor=w.user("deputy"), route=route, scores=SCORES)
    assert_untouched(route, S.SUBMITTED)


def test_a_teachers_route_stays_with_the_deputy_not_the_director_or_methodist():
    w = World()
    route = route_of(w.teacher_staff, S.SUBMITTED)
    assert selectors.route_reviewers(route, "approve") == [w.user("deputy")]
    for other in ("director", "municipal_methodist"):
        with pytest.raises(PermissionDenied):
            workflow.route_approve(actor=w.user(other), route=route, scores=SCORES)
    assert_untouched(route, S.SUBMITTED)


def test_a_directors_route_is_reviewed_by_the_deputy():
    w = World()
    route = route_of(w.director_staff, S.SUBMITTED)
    assert selectors.route_reviewers(route, "approve") == [w.user("deputy")]
    take("approve", route, w.user("deputy"))


# ---------------------------------------------------------------- queues, dashboard counts, reminders


def test_owner_never_sees_own_route_in_review_queue(client):
    w = World()
    own = route_of(w.deputy_staff, S.SUBMITTED)
    own_results = route_of(w.deputy_staff, S.RESULTS_SUBMITTED, academic_year="2020-2021")
    teachers = route_of(w.teacher_staff, S.SUBMITTED)
    assert [r.pk for r in selectors.review_queue(w.user("deputy"))] == [teachers.pk]
    assert {r.pk for r in selectors.review_queue(w.user("director"))} == {own.pk, own_results.pk}
    assert selectors.review_queue(w.user("municipal_methodist")) == []
    assert [item.count for item in waiting_for_review(w.user("deputy"))] == [1]
    assert [item.count for item in waiting_for_review(w.user("director"))] == [1, 1]

    client.force_login(w.user("deputy"))
    page = client.get(reverse("routes:review_queue")).content.decode()
    assert reverse("routes:route_review", args=[teachers.pk]) in page
    assert reverse("routes:route_review", args=[own.pk]) not in page
    client.force_login(w.user("director"))
    page = client.get(reverse("routes:review_queue")).content.decode()
    assert reverse("routes:route_review", args=[own.pk]) in page
    assert client.get(reverse("routes:route_review", args=[own.pk])).status_code == 200


def test_methodist_sees_a_deputys_route_in_the_queue_when_the_school_has_no_director_account(client):
    w = World()
    without_director(w)
    own = route_of(w.deputy_staff, S.SUBMITTED)
    route_of(w.teacher_staff, S.SUBMITTED)
    methodist = w.user("municipal_methodist")
    assert [r.pk for r in selectors.review_queue(methodist)] == [own.pk]
    client.force_login(methodist)
    assert reverse("routes:route_review", args=[own.pk]) in client.get(reverse("routes:review_queue")).content.decode()


def test_reminders_of_a_waiting_deputys_route_go_to_the_director_not_the_owner(django_capture_on_commit_callbacks):
    w = World()
    route = route_of(w.deputy_staff, S.SUBMITTED)
    Transition.objects.create(route=route, action="submit", from_status=S.DRAFT, to_status=S.SUBMITTED)
    Transition.objects.filter(route=route).update(at=timezone.now() - timezone.timedelta(days=6))
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_deputies(timezone.now()) == 1
    assert Notification.objects.filter(recipient=w.user("director"), text__endswith=": 1").exists()
    assert not Notification.objects.filter(recipient=w.user("deputy")).exists()
    Transition.objects.filter(route=route).delete()


# ---------------------------------------------------------------- credit: methodists with a route of their own


@pytest.mark.parametrize("step", list(CREDIT_STEPS))
def test_regional_methodist_cannot_credit_own_route(step):
    w = World()
    user, staff = methodist_with_a_route(w, "regional_methodist", region=w.region)
    start, call, _ = CREDIT_STEPS[step]
    route = route_of(staff, start)
    with pytest.raises(PermissionDenied, match="Свой ИОМ не зачитывают"):
        call(route, user)
    assert_untouched(route, start)
    assert route not in selectors.credit_queue(user)
    assert waiting_for_credit(user) == []
    # the other regional methodist of the region credits it, as any other route
    assert selectors.route_reviewers(route, step) == [w.user("regional_methodist")]
    take(step, route, w.user("regional_methodist"))


def test_the_only_regional_methodists_route_is_credited_by_the_municipal_methodist(django_capture_on_commit_callbacks):
    w = World()
    Membership.objects.filter(user=w.user("regional_methodist")).delete()
    user, staff = methodist_with_a_route(w, "regional_methodist", region=w.region)
    route = route_of(staff, S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.route_approve(actor=w.user("deputy"), route=route, scores=SCORES)
    methodist = w.user("municipal_methodist")
    assert Notification.objects.filter(recipient=methodist, text__contains="ожидает зачета").exists()
    assert not Notification.objects.filter(recipient=user, text__contains="ожидает зачета").exists()
    assert [r.pk for r in selectors.credit_queue(methodist)] == [route.pk]
    with pytest.raises(PermissionDenied):
        workflow.route_credit(actor=user, route=route)
    take("credit", route, methodist)


def test_municipal_methodist_cannot_credit_own_route_where_the_municipality_credits_itself():
    w = World()
    Municipality.objects.filter(pk=w.municipality.pk).update(credit_mode=Municipality.CreditMode.MUNICIPAL)
    Membership.objects.filter(user=w.user("municipal_methodist")).delete()
    user, staff = methodist_with_a_route(w, "municipal_methodist", municipality=w.municipality)
    route = route_of(staff, S.AWAITING_CREDIT)
    with pytest.raises(PermissionDenied):
        workflow.route_credit(actor=user, route=route)
    assert_untouched(route, S.AWAITING_CREDIT)
    assert selectors.route_reviewers(route, "credit") == [w.user("regional_methodist")]
    take("credit", route, w.user("regional_methodist"))


def test_a_methodist_owner_is_never_the_fallback_reviewer_of_own_route():
    w = World()
    without_director(w)
    Membership.objects.filter(user=w.user("municipal_methodist")).delete()
    user, staff = methodist_with_a_route(w, "municipal_methodist", municipality=w.municipality)
    grant(user, "deputy", organisation=w.school)
    route = route_of(staff, S.SUBMITTED)
    assert selectors.route_reviewers(route, "approve") == []
    assert selectors.review_queue(user) == []
    with pytest.raises(PermissionDenied):
        workflow.route_approve(actor=user, route=route, scores=SCORES)


# ---------------------------------------------------------------- one rule, read both ways


@pytest.mark.parametrize("credit_mode", [Municipality.CreditMode.REGIONAL, Municipality.CreditMode.MUNICIPAL])
@pytest.mark.parametrize("director", [True, False], ids=["director", "no_director"])
def test_the_reviewers_of_a_route_and_the_routes_of_a_reviewer_agree(credit_mode, director):
    w = World()
    Municipality.objects.filter(pk=w.municipality.pk).update(credit_mode=credit_mode)
    if not director:
        without_director(w)
    regional_teacher, regional_staff = methodist_with_a_route(w, "regional_methodist", region=w.region)
    municipal_teacher, municipal_staff = methodist_with_a_route(w, "municipal_methodist", municipality=w.municipality)
    users = [w.user(r) for r in ("teacher", "deputy", "director", "municipal_methodist", "regional_methodist",
                                 "admin")] + [regional_teacher, municipal_teacher]
    routes = [route_of(staff, S.SUBMITTED) for staff in (w.teacher_staff, w.deputy_staff, w.director_staff,
                                                         regional_staff, municipal_staff, w.colleague)]
    for step in ("approve", "credit"):
        for route in routes:
            reviewers = {u.pk for u in selectors.route_reviewers(route, step)}
            assert route.person.user_id not in reviewers
            for user in users:
                assert (user.pk in reviewers) == selectors.may_review(user, route, step), (step, route, user)
                assert (user.pk in reviewers) == Route.objects.filter(
                    selectors.reviews_q(user, step), pk=route.pk).exists()
