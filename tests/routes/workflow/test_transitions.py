"""Every row of docs/spec/workflow.md, allowed and forbidden, for each role."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.models import Notification
from diagnostics.models import Deficit
from routes import services
from routes.models import ExpressReview, Route, RouteTask, Transition
from routes.roadmap import services as roadmap
from routes.workflow import services as workflow
from schools.models import Municipality
from tests.diagnostics.factories import DeficitFactory, competency
from tests.factories import UserFactory
from tests.routes.factories import ActivityFactory, CommentFactory, RouteFactory, group, kind
from tests.world import World, grant

pytestmark = pytest.mark.django_db
S = Route.Status
SCORES = {code: 2 for code, _ in ExpressReview.CRITERIA}
ACTORS = ["teacher", "deputy", "director", "municipal_methodist", "regional_methodist", "admin"]


def route_in(w: World, status: str, **extra) -> Route:
    route = RouteFactory(person=w.teacher_staff, status=status, submitted_at=timezone.now(), **extra)
    ActivityFactory(route=route)
    ActivityFactory(route=route, group=group("methodical"), kind=kind("open_lesson"))
    return route


# action → (states it starts from, roles allowed in municipality A (regional credit), call, state it leads to)
ROWS = {
    "submit": ([S.DRAFT, S.RETURNED, S.NOT_CREDITED], {"teacher"},
               lambda r, u: workflow.route_submit(actor=u, route=r), S.SUBMITTED),
    "recall": ([S.SUBMITTED], {"teacher"}, lambda r, u: workflow.route_recall(actor=u, route=r), S.DRAFT),
    "return": ([S.SUBMITTED], {"deputy"},
               lambda r, u: workflow.route_return(actor=u, route=r, comment="Уточните сроки"), S.RETURNED),
    "approve": ([S.SUBMITTED], {"deputy"},
                lambda r, u: workflow.route_approve(actor=u, route=r, scores=SCORES, comment="Хорошо"),
                S.AWAITING_CREDIT),
    "credit": ([S.AWAITING_CREDIT], {"regional_methodist"},
               lambda r, u: workflow.route_credit(actor=u, route=r), S.IN_PROGRESS),
    "refuse_credit": ([S.AWAITING_CREDIT], {"regional_methodist"},
                      lambda r, u: workflow.route_refuse_credit(actor=u, route=r, comment="Нет КПК"),
                      S.NOT_CREDITED),
    "extend": ([S.EXPIRED], {"deputy"},
               lambda r, u: workflow.route_extend(actor=u, route=r, reason="Курсы перенесены организатором",
                                                  ends_on=r.ends_on + dt.timedelta(days=90)), S.IN_PROGRESS),
    "submit_results": ([S.IN_PROGRESS, S.EXPIRED], {"teacher"},
                       lambda r, u: workflow.route_submit_results(
                           actor=u, route=r, reflection="Удалось многое", outcome_proposed="partial",
                           not_done_reasons={a.pk: "Курс не состоялся" for a in r.activities.all()}),
                       S.RESULTS_SUBMITTED),
    "accept_results": ([S.RESULTS_SUBMITTED], {"deputy"},
                       lambda r, u: workflow.route_accept_results(
                           actor=u, route=r, outcome="partial", comment="Молодец",
                           presented_on=timezone.localdate(), presented_place="ШМО"), S.COMPLETED),
    "return_results": ([S.RESULTS_SUBMITTED], {"deputy"},
                       lambda r, u: workflow.route_return_results(actor=u, route=r, comment="Добавьте рефлексию"),
                       S.IN_PROGRESS),
    "close_unrealised": ([S.EXPIRED], {"deputy"},
                         lambda r, u: workflow.route_close_unrealised(actor=u, route=r, comment="Педагог в декрете"),
                         S.COMPLETED),
    "archive": ([S.COMPLETED], {"deputy", "municipal_methodist", "regional_methodist", "admin"},
                lambda r, u: workflow.route_archive(actor=u, route=r), S.ARCHIVED),
    "withdraw": ([s for s in S.values if s not in (S.COMPLETED, S.ARCHIVED, S.WITHDRAWN)],
                 {"deputy", "municipal_methodist", "regional_methodist", "admin"},
                 lambda r, u: workflow.route_withdraw(actor=u, route=r, reason="Педагог уволился"), S.WITHDRAWN),
}
CASES = [(action, role) for action in ROWS for role in ACTORS]


@pytest.mark.parametrize(("action", "role"), CASES, ids=[f"{a}-{r}" for a, r in CASES])
def test_transition_allowed_only_to_its_roles(action, role, django_capture_on_commit_callbacks):
    w = World()
    starts, allowed, call, target = ROWS[action]
    route = route_in(w, starts[0])
    before = Transition.objects.count()
    if role in allowed:
        with django_capture_on_commit_callbacks(execute=True):
            call(route, w.user(role))
        route.refresh_from_db()
        assert route.status == target
        log = Transition.objects.get(route=route, action=action)
        assert (log.from_status, log.to_status, log.actor) == (starts[0], target, w.user(role))
        assert Notification.objects.exclude(recipient=w.user(role)).exists()
    else:
        with pytest.raises(PermissionDenied) as refused:
            call(route, w.user(role))
        assert str(refused.value)  # the refusal says why
        route.refresh_from_db()
        assert route.status == starts[0]
        assert Transition.objects.count() == before


@pytest.mark.parametrize("action", list(ROWS))
def test_transition_from_a_wrong_state_changes_nothing_and_says_why(action):
    w = World()
    starts, allowed, call, _ = ROWS[action]
    wrong = next(s for s in [S.WITHDRAWN, S.ARCHIVED, S.DRAFT] if s not in starts)
    route = route_in(w, wrong)
    role = sorted(allowed)[0]
    with pytest.raises(services.RouteError, match="нельзя"):
        call(route, w.user(role))
    route.refresh_from_db()
    assert route.status == wrong
    assert not Transition.objects.filter(route=route).exists()


@pytest.mark.parametrize("action", ["submit", "recall", "return", "approve", "submit_results", "accept_results"])
def test_school_roles_of_a_sibling_school_are_refused(action):
    w = World()
    starts, _, call, _ = ROWS[action]
    route = route_in(w, starts[0])
    stranger = w.sibling_staff
    stranger.user = UserFactory()
    stranger.save()
    grant(stranger.user, "deputy", organisation=w.sibling_school)
    grant(stranger.user, "teacher", organisation=w.sibling_school)
    with pytest.raises(PermissionDenied):
        call(route, stranger.user)


def test_every_submission_state_can_be_submitted_again(django_capture_on_commit_callbacks):
    w = World()
    for status in (S.RETURNED, S.NOT_CREDITED):
        route = route_in(w, status, academic_year="2019-2020" if status == S.RETURNED else "2018-2019")
        route.starts_on, route.ends_on = route.starts_on.replace(year=2019 if status == S.RETURNED else 2018), None
        route.ends_on = services.add_months(route.starts_on, 12) - dt.timedelta(days=1)
        route.save()
        route.activities.update(deadline=route.starts_on + dt.timedelta(days=30))
        workflow.route_submit(actor=w.user("teacher"), route=route)
        assert route.status == S.SUBMITTED


def test_approval_without_credit_goes_to_implementation_with_credit_date_set():
    w = World()
    Municipality.objects.filter(pk=w.municipality.pk).update(credit_mode=Municipality.CreditMode.NONE)
    route = route_in(w, S.SUBMITTED)
    route.refresh_from_db()
    workflow.route_approve(actor=w.user("deputy"), route=route, scores=SCORES)
    route.refresh_from_db()
    assert route.status == S.IN_PROGRESS
    assert route.credited_on == route.approved_on == timezone.localdate()
    assert route.reviews.get().total == 10


def test_municipal_credit_is_given_by_the_municipal_methodist_not_the_regional():
    w = World()
    Municipality.objects.filter(pk=w.municipality.pk).update(credit_mode=Municipality.CreditMode.MUNICIPAL)
    route = route_in(w, S.AWAITING_CREDIT)
    route.refresh_from_db()
    with pytest.raises(PermissionDenied):
        workflow.route_credit(actor=w.user("regional_methodist"), route=route)
    workflow.route_credit(actor=w.user("municipal_methodist"), route=route)
    assert route.status == S.IN_PROGRESS and route.credited_on == timezone.localdate()


def test_regional_methodist_of_another_region_cannot_credit():
    w = World()
    route = route_in(w, S.AWAITING_CREDIT)
    user = UserFactory()
    grant(user, "regional_methodist", region=w.other_region)
    with pytest.raises(PermissionDenied):
        workflow.route_credit(actor=user, route=route)


@pytest.mark.parametrize(("action", "call"), [
    ("return", lambda r, u: workflow.route_return(actor=u, route=r, comment="  ")),
    ("refuse_credit", lambda r, u: workflow.route_refuse_credit(actor=u, route=r, comment="")),
    ("return_results", lambda r, u: workflow.route_return_results(actor=u, route=r, comment="")),
    ("withdraw", lambda r, u: workflow.route_withdraw(actor=u, route=r, reason="")),
])
def test_a_required_comment_cannot_be_empty(action, call):
    w = World()
    starts, allowed, _, _ = ROWS[action]
    route = route_in(w, starts[0])
    with pytest.raises(services.RouteError, match="обязател|Укажите"):
        call(route, w.user(sorted(allowed)[0]))
    route.refresh_from_db()
    assert route.status == starts[0]


def test_approval_needs_all_five_scores():
    w = World()
    route = route_in(w, S.SUBMITTED)
    with pytest.raises(services.RouteError, match="пять критериев"):
        workflow.route_approve(actor=w.user("deputy"), route=route, scores={"resources_adequate": 2})
    assert not ExpressReview.objects.exists()


def test_recall_is_refused_once_the_deputy_has_commented():
    w = World()
    route = route_in(w, S.SUBMITTED)
    roadmap.comment_add(actor=w.user("deputy"), route=route, text="Посмотрите раздел 2")
    with pytest.raises(services.RouteError, match="комментари"):
        workflow.route_recall(actor=w.user("teacher"), route=route)
    route.refresh_from_db()
    assert route.status == S.SUBMITTED


def test_submission_takes_the_information_card_snapshot_with_earlier_courses():
    w = World()
    w.teacher_staff.education = "высшее педагогическое"
    w.teacher_staff.attested_on = dt.date(2024, 3, 15)
    w.teacher_staff.experience_years = 12
    w.teacher_staff.qualification_category = "first"
    w.teacher_staff.save()
    earlier = RouteFactory(person=w.teacher_staff, academic_year="2023-2024", status=S.COMPLETED)
    ActivityFactory(route=earlier, kind=kind("course"), title="КПК «Функциональная грамотность»",
                    deadline=dt.date(2023, 11, 1), is_done=True, done_on=dt.date(2023, 11, 20))
    ActivityFactory(route=earlier, kind=kind("seminar"), deadline=dt.date(2023, 12, 1), is_done=True,
                    done_on=dt.date(2023, 12, 1))
    route = route_in(w, S.DRAFT)
    workflow.route_submit(actor=w.user("teacher"), route=route)
    route.refresh_from_db()
    card = route.card
    assert card["education"] == "высшее педагогическое"
    assert card["attested_on"] == "15.03.2024"
    assert card["qualification_category"] == "первая"
    assert card["experience_years"] == 12
    assert card["courses"] == [{"title": "КПК «Функциональная грамотность»", "done_on": "20.11.2023",
                                "academic_year": "2023-2024", "hours": None}]  # a course without its hours
    assert route.submitted_at is not None


def test_an_incomplete_route_is_not_submitted_and_the_teacher_learns_what_is_missing():
    w = World()
    route = RouteFactory(person=w.teacher_staff, goal="", status=S.DRAFT)
    with pytest.raises(services.RouteError) as refused:
        workflow.route_submit(actor=w.user("teacher"), route=route)
    assert "цель" in str(refused.value) and "ни одного мероприятия" in str(refused.value)
    route.refresh_from_db()
    assert route.status == S.DRAFT


def test_transitions_notify_in_the_portal_and_by_email_after_commit(django_capture_on_commit_callbacks):
    w = World()
    deputy = w.user("deputy")
    deputy.email = "deputy@example.org"
    deputy.save()
    route = route_in(w, S.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.route_submit(actor=w.user("teacher"), route=route)
    note = Notification.objects.get(recipient=w.user("deputy"))
    assert "отправлен на согласование" in note.text and note.url == f"/routes/{route.pk}/"
    assert [m.to for m in mail.outbox] == [["deputy@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.route_return(actor=w.user("deputy"), route=route, comment="Добавьте КПК")
    assert "Добавьте КПК" in Notification.objects.get(recipient=w.user("teacher")).text


def test_a_refused_transition_notifies_nobody(django_capture_on_commit_callbacks):
    w = World()
    route = route_in(w, S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        workflow.route_approve(actor=w.user("teacher"), route=route, scores=SCORES)
    assert not Notification.objects.exists()


def test_accepting_results_records_outcome_and_presentation():
    w = World()
    route = route_in(w, S.RESULTS_SUBMITTED)
    workflow.route_accept_results(actor=w.user("deputy"), route=route, outcome="full", comment="Представлен опыт",
                                  presented_on=dt.date(2026, 10, 1), presented_place="педсовет")
    route.refresh_from_db()
    assert (route.outcome, route.results_presented_place, route.results_presented_on) == (
        "full", "педсовет", dt.date(2026, 10, 1))
    assert route.completed_on == timezone.localdate()


def test_full_lifecycle_leaves_a_readable_log():
    w = World()
    route = route_in(w, S.DRAFT)
    teacher, deputy, regional = w.user("teacher"), w.user("deputy"), w.user("regional_methodist")
    workflow.route_submit(actor=teacher, route=route)
    workflow.route_return(actor=deputy, route=route, comment="Уточните")
    workflow.route_submit(actor=teacher, route=route)
    workflow.route_approve(actor=deputy, route=route, scores=SCORES)
    workflow.route_credit(actor=regional, route=route)
    route.activities.update(is_done=True, done_on=route.starts_on)
    workflow.route_submit_results(actor=teacher, route=route, reflection="Итоги", outcome_proposed="full")
    workflow.route_accept_results(actor=deputy, route=route, outcome="full")
    workflow.route_archive(actor=deputy, route=route)
    assert list(route.transitions.values_list("action", flat=True)) == [
        "submit", "return", "submit", "approve", "credit", "submit_results", "accept_results", "archive"]
    assert route.transitions.get(action="return").comment == "Уточните"


def test_comment_on_another_routes_row_is_refused():
    w = World()
    route = route_in(w, S.SUBMITTED)
    other_row = ActivityFactory()
    with pytest.raises(services.RouteError):
        roadmap.comment_add(actor=w.user("deputy"), route=route, text="x", activity=other_row)
    assert not CommentFactory._meta.model.objects.exists()


# ---------------------------------------------------------------- withdrawal releases the route's deficits


def in_work(w: World, code: str = "М4") -> Deficit:
    return DeficitFactory(person=w.teacher_staff, competency=competency(code), status=Deficit.Status.IN_WORK)


def withdraw(w: World, route: Route) -> None:
    workflow.route_withdraw(actor=w.user("deputy"), route=route, reason="Педагог уволился")


def test_withdrawal_sends_the_routes_deficits_back_to_detected():
    w = World()
    linked, by_task, overcome = in_work(w, "М4"), in_work(w, "М1"), in_work(w, "М2")
    Deficit.objects.filter(pk=overcome.pk).update(status=Deficit.Status.OVERCOME)
    route = route_in(w, S.IN_PROGRESS)
    route.deficits.set([linked, overcome])
    RouteTask.objects.create(route=route, deficit=by_task, problem="М1")
    withdraw(w, route)
    statuses = dict(Deficit.objects.values_list("pk", "status"))
    assert statuses == {linked.pk: Deficit.Status.DETECTED, by_task.pk: Deficit.Status.DETECTED,
                        overcome.pk: Deficit.Status.OVERCOME}


def test_a_deficit_another_live_route_addresses_stays_in_work():
    w = World()
    shared, own = in_work(w, "М4"), in_work(w, "М1")
    route = route_in(w, S.SUBMITTED)
    route.deficits.set([shared, own])
    other = RouteFactory(person=w.teacher_staff, academic_year="2019-2020", status=S.DRAFT)
    RouteTask.objects.create(route=other, deficit=shared, problem="М4")
    withdraw(w, route)
    assert Deficit.objects.get(pk=shared.pk).status == Deficit.Status.IN_WORK
    assert Deficit.objects.get(pk=own.pk).status == Deficit.Status.DETECTED


def test_a_finished_route_does_not_keep_a_deficit_in_work():
    w = World()
    deficit = in_work(w)
    route = route_in(w, S.RETURNED)
    route.deficits.set([deficit])
    for year, status in (("2019-2020", S.COMPLETED), ("2018-2019", S.WITHDRAWN), ("2017-2018", S.ARCHIVED)):
        RouteFactory(person=w.teacher_staff, academic_year=year, status=status).deficits.set([deficit])
    withdraw(w, route)
    assert Deficit.objects.get(pk=deficit.pk).status == Deficit.Status.DETECTED


def test_a_refused_withdrawal_leaves_the_deficits_in_work():
    w = World()
    deficit = in_work(w)
    route = route_in(w, S.IN_PROGRESS)
    route.deficits.set([deficit])
    with pytest.raises(PermissionDenied):
        workflow.route_withdraw(actor=w.user("teacher"), route=route, reason="Передумал")
    with pytest.raises(services.RouteError):
        workflow.route_withdraw(actor=w.user("deputy"), route=route, reason=" ")
    assert Deficit.objects.get(pk=deficit.pk).status == Deficit.Status.IN_WORK
