"""The credit queue (issue 18, item 4): each row's express review and the deputy's comment, filters by municipality
and waiting time, several routes credited at once (each its own transition, one refused leaves the others
credited), and the municipal methodist whose region credits told so, with the state of the region's queue."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from routes.models import ExpressReview, Route, Transition
from routes.workflow import services as workflow
from schools.models import Municipality
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db
S = Route.Status
SCORES = {code: 2 for code, _ in ExpressReview.CRITERIA}


@pytest.fixture
def w():
    return World()


def fresh(route: Route) -> Route:
    return Route.objects.select_related("person__user", "organisation__municipality__region").get(pk=route.pk)


def approved(w, person, *, scores=SCORES, comment="Маршрут реалистичен", days_ago: int = 0) -> Route:
    route = RouteFactory(person=person, status=S.SUBMITTED, submitted_at=timezone.now())
    ActivityFactory(route=route)
    reviewer = w.user("deputy") if person.organisation_id == w.school.pk else w.user("regional_methodist")
    if person.organisation_id == w.school.pk:
        workflow.route_approve(actor=reviewer, route=fresh(route), scores=scores, comment=comment)
    else:  # a school without a deputy account: the state and the review as the approval leaves them
        Route.objects.filter(pk=route.pk).update(status=S.AWAITING_CREDIT, approved_on=timezone.localdate())
        ExpressReview.objects.create(route=route, reviewer=reviewer, comment=comment, **scores)
    if days_ago:
        Route.objects.filter(pk=route.pk).update(approved_on=timezone.localdate() - dt.timedelta(days=days_ago))
    return fresh(route)


def test_each_row_shows_the_scores_and_the_deputys_comment(client, w):
    approved(w, w.teacher_staff, scores={**SCORES, "concrete_competency": 0}, comment="Компетенцию уточним на ШМО")
    client.force_login(w.user("regional_methodist"))
    html = client.get(reverse("routes:credit_queue")).content.decode()
    assert "8 из 10" in html and "2 · 2 · 2 · 2 · 0" in html and "0 по компетенции" in html
    assert "Компетенцию уточним на ШМО" in html and "Зачесть отмеченные" in html


def test_the_queue_filters_by_municipality_and_waiting_time(client, w):
    old = approved(w, w.teacher_staff, days_ago=20)
    new = approved(w, w.other_staff)
    client.force_login(w.user("regional_methodist"))
    url = reverse("routes:credit_queue")
    by_municipality = client.get(url, {"municipality": w.other_municipality.pk}).context["routes"]
    assert [r.pk for r in by_municipality] == [new.pk]
    waiting = client.get(url, {"waiting": "14"}).context["routes"]
    assert [r.pk for r in waiting] == [old.pk] and waiting[0].days_waiting >= 20
    assert len(client.get(url, {"waiting": "999"}).context["routes"]) == 2  # no such choice: the bar says so


def test_several_routes_are_credited_after_one_confirmation_each_by_its_own_transition(client, w):
    routes = [approved(w, w.teacher_staff), approved(w, w.colleague), approved(w, w.sibling_staff)]
    client.force_login(w.user("regional_methodist"))
    ids = [r.pk for r in routes]
    page = client.post(reverse("routes:credit_bulk"), {"route": ids})
    html = page.content.decode()
    assert page.status_code == 200 and "Зачесть ИОМ: 3" in html
    assert all(r.person.full_name in html for r in routes)
    assert all(fresh(r).status == S.AWAITING_CREDIT for r in routes)  # the confirmation page writes nothing
    done = client.post(reverse("routes:credit_bulk"), {"route": ids, "confirm": "1"}, follow=True)
    assert "Зачтено: 3 ИОМ." in done.content.decode()
    assert all(fresh(r).status == S.IN_PROGRESS and fresh(r).credited_on for r in routes)
    assert Transition.objects.filter(route__in=ids, action="credit").count() == 3


def test_one_refused_credit_leaves_the_others_credited_and_is_named(w):
    routes = [approved(w, w.teacher_staff), approved(w, w.colleague), approved(w, w.sibling_staff)]
    Route.objects.filter(pk=routes[1].pk).update(status=S.NOT_CREDITED)  # refused meanwhile by someone else
    result = workflow.route_credit_many(actor=w.user("regional_methodist"), routes=[fresh(r) for r in routes])
    assert [r.pk for r in result.done] == [routes[0].pk, routes[2].pk]
    [(failed, why)] = result.failed
    assert failed.pk == routes[1].pk and "Поставить зачет нельзя" in why and "Не зачтен" in why
    assert fresh(routes[0]).status == fresh(routes[2]).status == S.IN_PROGRESS
    assert fresh(routes[1]).status == S.NOT_CREDITED


def test_a_route_no_longer_waiting_is_named_and_the_others_go(client, w):
    waiting, gone = approved(w, w.teacher_staff), approved(w, w.colleague)
    client.force_login(w.user("regional_methodist"))
    workflow.route_credit(actor=w.user("regional_methodist"), route=fresh(gone))
    response = client.post(reverse("routes:credit_bulk"), {"route": [waiting.pk, gone.pk], "confirm": "1"},
                           follow=True)
    html = response.content.decode()
    assert "Зачтено: 1 ИОМ." in html and "Уже не ждут вашего зачета: 1 ИОМ из отмеченных." in html
    assert fresh(waiting).status == S.IN_PROGRESS


def test_nothing_chosen_says_so(client, w):
    client.force_login(w.user("regional_methodist"))
    response = client.post(reverse("routes:credit_bulk"), {"route": ["abc", "99999999999"]}, follow=True)
    assert "Отметьте в списке ИОМ, которые нужно зачесть." in response.content.decode()


def test_where_the_region_credits_the_municipal_page_says_so_and_counts_the_regions_queue(client, w):
    assert w.municipality.credit_mode == Municipality.CreditMode.REGIONAL
    approved(w, w.teacher_staff)
    approved(w, w.colleague)
    refused = approved(w, w.sibling_staff)
    Route.objects.filter(pk=refused.pk).update(status=S.NOT_CREDITED)
    client.force_login(w.user("municipal_methodist"))
    response = client.get(reverse("routes:credit_queue"))
    html = response.content.decode()
    assert "ИОМ вашего муниципалитета зачитывает региональный методист (Регион R)" in html
    assert "<title>Зачет ИОМ в регионе" in html
    assert 'data-label="Ждут зачета">2<' in html and 'data-label="Не зачтены, на доработке">1<' in html
    assert w.teacher_staff.full_name in html  # the routes waiting there, to follow
    assert "Зачесть отмеченные" not in html  # none of them is theirs to credit
    nav = [link["label"] for link in _menu(response)]
    assert "Зачет ИОМ в регионе" in nav and "Зачет ИОМ" not in nav


def _menu(response) -> list:
    from django.template import Context, Template

    template = Template("{% load portal %}{% nav_links as links %}{% for l in links %}{{ l.label }}|{% endfor %}")
    return [{"label": label} for label in
            template.render(Context({"request": response.wsgi_request})).split("|") if label]


def test_where_the_municipality_credits_itself_the_page_is_the_queue(client, w):
    w.municipality.credit_mode = Municipality.CreditMode.MUNICIPAL
    w.municipality.save()
    approved(w, w.teacher_staff)
    client.force_login(w.user("municipal_methodist"))
    response = client.get(reverse("routes:credit_queue"))
    html = response.content.decode()
    assert "зачитывает региональный методист" not in html and "Зачесть отмеченные" in html
    assert [m["label"] for m in _menu(response) if "Зачет" in m["label"]] == ["Зачет ИОМ"]
    client.force_login(w.user("regional_methodist"))
    regional = client.get(reverse("routes:credit_queue"))
    assert [m["label"] for m in _menu(regional) if "Зачет" in m["label"]] == ["Зачет ИОМ"]
