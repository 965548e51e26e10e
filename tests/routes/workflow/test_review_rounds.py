"""Review rounds (issue 18, item 2): the queue marks a resubmission with its round and how long it has waited on the
school's date; the review page shows what changed since the return and the previous round's comments with the
teacher's replies; approval below the municipality's express-review minimum, or with 0 on «concrete competency»,
needs a comment."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostics.models import Competency, Deficit
from routes.models import ExpressReview, Route
from routes.roadmap import services as roadmap
from routes.services import RouteError
from routes.workflow import review
from routes.workflow import services as workflow
from tests.routes.factories import ActivityFactory, RouteFactory, group, kind
from tests.world import World

pytestmark = pytest.mark.django_db
S = Route.Status
SCORES = {code: 2 for code, _ in ExpressReview.CRITERIA}


@pytest.fixture
def w():
    return World()


def fresh(route: Route) -> Route:
    return Route.objects.select_related("person__user", "organisation__municipality__region").get(pk=route.pk)


def resubmitted(w) -> tuple[Route, dict]:
    """A route submitted, commented on, returned, answered, edited (a field, a row changed, one removed, one
    added) and submitted again."""
    teacher, deputy = w.user("teacher"), w.user("deputy")
    route = RouteFactory(person=w.teacher_staff, status=S.DRAFT)
    kept = ActivityFactory(route=route, title="Семинар по читательской грамотности")
    dropped = ActivityFactory(route=route, group=group("methodical"), kind=kind("open_lesson"),
                              title="Открытый урок для коллег")
    workflow.route_submit(actor=teacher, route=fresh(route))
    roadmap.comment_add(actor=deputy, route=fresh(route), text="Цель слишком общая.")
    roadmap.comment_add(actor=deputy, route=fresh(route), activity=kept, text="Срок нереалистичный.")
    workflow.route_return(actor=deputy, route=fresh(route), comment="Доработайте цель и сроки.")
    roadmap.comment_add(actor=teacher, route=fresh(route), activity=kept, text="Перенесла срок на месяц.")
    route = fresh(route)
    roadmap.route_update_note(actor=teacher, route=route, data={"goal": "Научиться проектировать урок"},
                              expected_version=route.version)
    route = fresh(route)
    roadmap.activity_update(actor=teacher, activity=route.activities.get(pk=kept.pk),
                            data={"deadline": kept.deadline + dt.timedelta(days=30)}, expected_version=route.version)
    route = fresh(route)
    roadmap.activity_delete(actor=teacher, activity=route.activities.get(pk=dropped.pk),
                            expected_version=route.version)
    route = fresh(route)
    roadmap.activity_add(actor=teacher, route=route, expected_version=route.version, data={
        "group": group(), "kind": kind(), "title": "Мастер-класс по смысловому чтению",
        "deadline": kept.deadline + dt.timedelta(days=45), "confirming_document": "программа"})
    workflow.route_submit(actor=teacher, route=fresh(route))
    return fresh(route), {"kept": kept, "dropped": dropped}


def test_a_resubmission_is_its_second_round_and_a_recall_opens_none(w):
    route, _ = resubmitted(w)
    first = RouteFactory(person=w.deputy_staff, status=S.DRAFT)  # the deputy's own: recalled and sent again
    ActivityFactory(route=first)
    owner = w.user("deputy")
    workflow.route_submit(actor=owner, route=fresh(first))
    workflow.route_recall(actor=owner, route=fresh(first))
    workflow.route_submit(actor=owner, route=fresh(first))
    rows = {r.pk: r for r in review.mark_rounds(list(Route.objects.filter(pk__in=[route.pk, first.pk])
                                                     .select_related("organisation__municipality__region")))}
    assert rows[route.pk].round == 2 and rows[route.pk].round_label == "повторно, 2-й круг"
    assert rows[first.pk].round == 1 and rows[first.pk].round_label == ""


def test_days_waiting_count_the_schools_dates_since_the_resubmission(w):
    route, _ = resubmitted(w)
    w.region.time_zone = "Asia/Krasnoyarsk"  # UTC+7
    w.region.save()
    route = fresh(route)
    first, latest = route.transitions.filter(action="submit").order_by("at", "pk")
    # resubmitted at 23:30 school time on the 10th; now 00:30 school time on the 13th: 3 days, though 49 hours passed
    at = dt.datetime(2026, 3, 10, 16, 30, tzinfo=dt.UTC)
    type(first).objects.filter(pk=first.pk).update(at=at - dt.timedelta(days=5))
    type(latest).objects.filter(pk=latest.pk).update(at=at)
    now = dt.datetime(2026, 3, 12, 17, 30, tzinfo=dt.UTC)
    [row] = review.mark_rounds([route], now=now)
    assert row.waiting_since == at and row.days_waiting == 3


def test_the_queue_marks_the_resubmission(client, w):
    resubmitted(w)
    client.force_login(w.user("deputy"))
    html = client.get(reverse("routes:review_queue")).content.decode()
    assert "повторно, 2-й круг" in html


def test_the_review_page_shows_what_changed_since_the_return_and_the_earlier_comments(client, w):
    route, rows = resubmitted(w)
    found = review.round_review(route)
    assert found.number == 2 and found.returned.comment == "Доработайте цель и сроки."
    assert [(c.label, c.old, c.new) for c in found.fields] == [
        ("Цель", "Освоить приемы формирования математической грамотности", "Научиться проектировать урок")]
    changes = {(r.kind, r.title) for r in found.rows}
    assert changes == {("changed", "«Семинар по читательской грамотности»"),
                       ("removed", "«Открытый урок для коллег»"),
                       ("added", "«Мастер-класс по смысловому чтению»")}
    changed = next(r for r in found.rows if r.kind == "changed")
    deadline = rows["kept"].deadline
    assert [(c.label, c.old, c.new) for c in changed.changes] == [
        ("Срок", f"{deadline:%d.%m.%Y}", f"{deadline + dt.timedelta(days=30):%d.%m.%Y}")]
    threads = {t.title: [(c.text, c.is_reply) for c in t.comments] for t in found.threads}
    assert threads == {
        "ИОМ в целом": [("Цель слишком общая.", False)],
        "Мероприятие «Семинар по читательской грамотности»": [("Срок нереалистичный.", False),
                                                               ("Перенесла срок на месяц.", True)],
    }
    client.force_login(w.user("deputy"))
    html = client.get(reverse("routes:route_review", args=[route.pk])).content.decode()
    assert "Повторное согласование: 2-й круг" in html and "Что изменилось после возврата" in html
    assert "Научиться проектировать урок" in html and "ответ педагога" in html and "Перенесла срок на месяц." in html


def test_a_first_round_shows_no_diff_and_the_page_names_the_deficits(client, w):
    route = RouteFactory(person=w.teacher_staff, status=S.SUBMITTED, submitted_at=timezone.now())
    ActivityFactory(route=route)
    competency = Competency.objects.first()
    deficit = Deficit.objects.create(person=w.teacher_staff, competency=competency, detected_on=dt.date(2026, 1, 10))
    route.deficits.add(deficit)
    assert review.round_review(route).returned is None
    assert review.addressed(route)["deficits"] == [deficit]
    client.force_login(w.user("deputy"))
    html = client.get(reverse("routes:route_review", args=[route.pk])).content.decode()
    assert "Повторное согласование" not in html
    assert "Дефициты и компетенции" in html and competency.name in html


def submitted(w) -> Route:
    route = RouteFactory(person=w.teacher_staff, status=S.SUBMITTED, submitted_at=timezone.now())
    ActivityFactory(route=route)
    return fresh(route)


def test_approval_below_the_municipalitys_minimum_needs_a_comment(w):
    w.municipality.express_review_minimum = 8
    w.municipality.save()
    low = {**SCORES, "realistic_goal": 1, "task_understood": 0}  # 7 of 10, below 8
    route = submitted(w)
    with pytest.raises(RouteError) as refused:
        workflow.route_approve(actor=w.user("deputy"), route=route, scores=low, comment="  ")
    assert "сумма баллов 7 из 10 ниже минимума муниципалитета (8)" in str(refused.value)
    assert fresh(route).status == S.SUBMITTED and not ExpressReview.objects.filter(route=route).exists()
    workflow.route_approve(actor=w.user("deputy"), route=fresh(route), scores=low, comment="Согласую: задачи уточним")
    assert fresh(route).status == S.AWAITING_CREDIT


def test_a_zero_on_the_concrete_competency_needs_a_comment_even_without_a_minimum(w):
    w.municipality.express_review_minimum = 0
    w.municipality.save()
    route = submitted(w)
    with pytest.raises(RouteError) as refused:
        workflow.route_approve(actor=w.user("deputy"), route=route, scores={**SCORES, "concrete_competency": 0})
    assert "по критерию «Направленность на конкретную компетенцию» поставлен 0" in str(refused.value)
    workflow.route_approve(actor=w.user("deputy"), route=fresh(route), scores={**SCORES, "short_horizon": 0})
    assert fresh(route).status == S.AWAITING_CREDIT  # no minimum, no zero on the key criterion: no comment needed


def test_the_form_refuses_in_russian_and_keeps_what_was_given(client, w):
    route = submitted(w)
    client.force_login(w.user("deputy"))
    data = {**{code: 1 for code in SCORES}, "comment": ""}
    response = client.post(reverse("routes:route_action", args=[route.pk, "approve"]), data)
    html = response.content.decode()
    assert response.status_code == 200 and "Согласовать такой ИОМ можно только с комментарием" in html
    assert fresh(route).status == S.SUBMITTED
    page = client.get(reverse("routes:route_review", args=[route.pk])).content.decode()
    assert 'data-review-minimum="6"' in page and "data-review-warning" in page
