"""The end of a route's period (docs/spec/workflow.md): «Срок истек», the one extension, the close as not
implemented, honest completion of the results, and completion marks inside the period only.

Region R (school A1, the teacher's) keeps Krasnoyarsk time (UTC+7), region S (school C1) Moscow time (UTC+3).
Both routes end on 31.08.2027: at 20:30 UTC that day it is already 1 September in Krasnoyarsk and still
31 August in Moscow.
"""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse

from core.models import Notification
from iom_portal.celery import app
from routes.models import Route, Transition
from routes.roadmap import services as roadmap
from routes.roadmap.forms import ActivityForm, DoneForm
from routes.services import RouteError
from routes.tasks import expire_due, expire_routes
from routes.workflow import services as workflow
from schools.models import TimeZone
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db
S = Route.Status
YEAR = "2026-2027"
END = dt.date(2027, 8, 31)
KRASNOYARSK_NEXT_DAY = dt.datetime(2027, 8, 31, 20, 30, tzinfo=dt.UTC)  # 01.09 03:30 there, 31.08 23:30 in Moscow
MOSCOW_NEXT_DAY = dt.datetime(2027, 8, 31, 21, 30, tzinfo=dt.UTC)  # 01.09 00:30 in Moscow
LATER = dt.datetime(2027, 9, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def w():
    world = World()
    for region, zone in ((world.region, TimeZone.KRASNOYARSK), (world.other_region, TimeZone.MOSCOW)):
        region.time_zone = zone
        region.save(update_fields=["time_zone"])
    return world


def in_progress(person, **extra) -> Route:
    route = RouteFactory(person=person, academic_year=YEAR, status=S.IN_PROGRESS, **extra)
    ActivityFactory(route=route, title="Курсы ДПП", deadline=dt.date(2027, 3, 1))
    ActivityFactory(route=route, title="Открытый урок", deadline=dt.date(2027, 5, 1))
    return Route.objects.select_related("organisation__municipality__region", "person__user").get(pk=route.pk)


def expired(w) -> Route:
    route = expired_of(w.teacher_staff)
    route.refresh_from_db()
    return route


def texts(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("text", flat=True))


# ---------------------------------------------------------------- the task


def test_the_expiry_job_runs_every_hour():
    entry = app.conf.beat_schedule["routes-expire-periods"]
    assert entry["task"] == "routes.tasks.expire_routes"
    assert entry["schedule"].hour == set(range(24))


def test_a_period_expires_on_the_next_local_day_of_each_school(w, django_capture_on_commit_callbacks):
    krasnoyarsk = in_progress(w.teacher_staff)
    moscow = in_progress(w.far_staff)
    with time_machine.travel(KRASNOYARSK_NEXT_DAY - dt.timedelta(hours=4), tick=False):  # 31.08 23:30 there
        assert expire_routes() == {"expired": 0, "escalated": 0}
    with time_machine.travel(KRASNOYARSK_NEXT_DAY, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert expire_routes()["expired"] == 1
    krasnoyarsk.refresh_from_db()
    moscow.refresh_from_db()
    assert (krasnoyarsk.status, krasnoyarsk.expired_on) == (S.EXPIRED, dt.date(2027, 9, 1))
    assert moscow.status == S.IN_PROGRESS
    log = Transition.objects.get(route=krasnoyarsk, action="expire")
    assert (log.from_status, log.to_status, log.actor) == (S.IN_PROGRESS, S.EXPIRED, None)
    with time_machine.travel(MOSCOW_NEXT_DAY, tick=False):
        assert expire_due(MOSCOW_NEXT_DAY) == 1  # Moscow's turn; Krasnoyarsk's is not expired twice
    moscow.refresh_from_db()
    assert (moscow.status, moscow.expired_on) == (S.EXPIRED, dt.date(2027, 9, 1))
    assert Transition.objects.filter(action="expire").count() == 2


def test_the_teacher_and_the_deputy_are_told_and_the_methodist_after_the_set_days(
        w, django_capture_on_commit_callbacks):
    route = in_progress(w.teacher_staff)
    methodist = w.user("municipal_methodist")
    with time_machine.travel(KRASNOYARSK_NEXT_DAY, tick=False), django_capture_on_commit_callbacks(execute=True):
        expire_routes()
    assert any("Срок реализации ИОМ истек: отметьте выполненное" in t for t in texts(w.user("teacher")))
    assert any("Срок реализации ИОМ истек: ждем итоги педагога" in t for t in texts(w.user("deputy")))
    assert texts(methodist) == []
    day_13 = KRASNOYARSK_NEXT_DAY + dt.timedelta(days=13)
    with time_machine.travel(day_13, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert expire_routes()["escalated"] == 0
    with time_machine.travel(day_13 + dt.timedelta(days=1), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        assert expire_routes()["escalated"] == 1
        assert expire_routes()["escalated"] == 0  # once
    [text] = texts(methodist)
    assert "Срок реализации ИОМ истек 31.08.2027, прошло больше 14 дней" in text
    route.refresh_from_db()
    assert route.expiry_escalated_at is not None


@override_settings(ROUTE_EXPIRED_METHODIST_DAYS=3)
def test_the_days_before_the_methodist_is_told_are_a_setting(w, django_capture_on_commit_callbacks):
    in_progress(w.teacher_staff)
    with time_machine.travel(KRASNOYARSK_NEXT_DAY, tick=False):
        expire_routes()
    with time_machine.travel(KRASNOYARSK_NEXT_DAY + dt.timedelta(days=3), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        assert expire_routes()["escalated"] == 1
    assert len(texts(w.user("municipal_methodist"))) == 1


def test_a_route_not_past_its_end_is_not_expired_by_hand(w):
    route = in_progress(w.teacher_staff)
    with time_machine.travel(dt.datetime(2027, 8, 31, 10, 0, tzinfo=dt.UTC), tick=False), \
            pytest.raises(RouteError, match="еще не истек"):
        workflow.route_expire(route=route)
    route.refresh_from_db()
    assert route.status == S.IN_PROGRESS


# ---------------------------------------------------------------- extend once, or close


def test_the_deputy_extends_the_period_once_with_a_reason(w, django_capture_on_commit_callbacks):
    route = expired(w)
    deputy = w.user("deputy")
    with time_machine.travel(LATER, tick=False), django_capture_on_commit_callbacks(execute=True):
        workflow.route_extend(actor=deputy, route=route, reason="Курсы перенесены на осень",
                              ends_on=dt.date(2027, 12, 31))
    route.refresh_from_db()
    assert (route.status, route.ends_on, route.extended_from) == (S.IN_PROGRESS, dt.date(2027, 12, 31), END)
    assert route.extension_reason == "Курсы перенесены на осень" and route.expired_on is None
    log = Transition.objects.get(route=route, action="extend")
    assert log.comment == "Срок продлен: 31.08.2027 → 31.12.2027. Причина: Курсы перенесены на осень"
    assert any("продлен до 31.12.2027" in t for t in texts(w.user("teacher")))
    # the next end: expired again, and no second extension
    with time_machine.travel(dt.datetime(2028, 1, 2, 3, 0, tzinfo=dt.UTC), tick=False):
        assert expire_due(dt.datetime(2028, 1, 2, 3, 0, tzinfo=dt.UTC)) == 1
        route.refresh_from_db()
        assert route.status == S.EXPIRED
        assert "extend" not in workflow.available_actions(deputy, route)
        with pytest.raises(RouteError, match="только один раз"):
            workflow.route_extend(actor=deputy, route=route, reason="Еще раз", ends_on=dt.date(2028, 6, 30))
    route.refresh_from_db()
    assert (route.status, route.ends_on) == (S.EXPIRED, dt.date(2027, 12, 31))


@pytest.mark.parametrize(("ends_on", "message"), [
    (END, "позже прежней"),
    (dt.date(2027, 9, 5), "уже прошла"),
    (dt.date(2031, 9, 1), "не больше пяти лет"),
    (None, "Укажите новую дату"),
])
def test_an_extension_to_a_wrong_date_is_refused(w, ends_on, message):
    route = expired(w)
    with time_machine.travel(LATER, tick=False), pytest.raises(ValidationError, match=message):
        workflow.route_extend(actor=w.user("deputy"), route=route, reason="Болезнь", ends_on=ends_on)
    route.refresh_from_db()
    assert (route.status, route.ends_on, route.extended_from) == (S.EXPIRED, END, None)


def test_the_teacher_cannot_extend_their_own_route(w):
    route = expired(w)
    with time_machine.travel(LATER, tick=False), pytest.raises(PermissionDenied):
        workflow.route_extend(actor=w.user("teacher"), route=route, reason="Хочу", ends_on=dt.date(2027, 12, 31))


def test_the_deputy_closes_an_expired_route_as_not_implemented(w, django_capture_on_commit_callbacks):
    route = expired(w)
    with time_machine.travel(LATER, tick=False), django_capture_on_commit_callbacks(execute=True):
        workflow.route_close_unrealised(actor=w.user("deputy"), route=route, comment="Педагог на больничном")
    route.refresh_from_db()
    assert (route.status, route.outcome, route.completed_on) == (S.COMPLETED, "not_achieved", dt.date(2027, 9, 10))
    assert route.results_comment == "Педагог на больничном"
    assert any("закрыт как не реализованный" in t for t in texts(w.user("teacher")))
    with time_machine.travel(LATER, tick=False), pytest.raises(RouteError, match="обязателен"):
        workflow.route_close_unrealised(actor=w.user("deputy"), route=expired_of(w.colleague), comment="  ")


def expired_of(person) -> Route:
    route = in_progress(person)
    with time_machine.travel(KRASNOYARSK_NEXT_DAY, tick=False):
        workflow.route_expire(route=route)
    return route


# ---------------------------------------------------------------- honest results


def test_results_with_an_activity_neither_done_nor_explained_are_refused(w):
    route = expired(w)
    first, second = route.activities.order_by("deadline")
    with time_machine.travel(LATER, tick=False):
        with pytest.raises(RouteError, match="не объяснено мероприятий — 1 \\(«Открытый урок»\\)"):
            workflow.route_submit_results(actor=w.user("teacher"), route=route, reflection="Итоги",
                                          outcome_proposed="partial", not_done_reasons={first.pk: "Курс отменили"})
        route.refresh_from_db()
        assert route.status == S.EXPIRED
        first.refresh_from_db()
        assert first.not_done_reason == ""  # the refusal kept nothing
        workflow.route_submit_results(actor=w.user("teacher"), route=route, reflection="Итоги",
                                      outcome_proposed="partial",
                                      not_done_reasons={first.pk: "Курс отменили", second.pk: "Карантин"})
    route.refresh_from_db()
    second.refresh_from_db()
    assert (route.status, second.not_done_reason) == (S.RESULTS_SUBMITTED, "Карантин")


def test_full_outcome_with_activities_not_done_needs_a_comment(w):
    route = expired(w)
    reasons = {a.pk: "Не состоялось" for a in route.activities.all()}
    deputy = w.user("deputy")
    with time_machine.travel(LATER, tick=False):
        workflow.route_submit_results(actor=w.user("teacher"), route=route, reflection="Итоги",
                                      outcome_proposed="full", not_done_reasons=reasons)
        with pytest.raises(RouteError, match="«Достигнут полностью» при невыполненных мероприятиях \\(2"):
            workflow.route_accept_results(actor=deputy, route=route, outcome="full")
        route.refresh_from_db()
        assert route.status == S.RESULTS_SUBMITTED
        workflow.route_accept_results(actor=deputy, route=route, outcome="full",
                                      comment="Цель достигнута другими мероприятиями школы")
    route.refresh_from_db()
    assert (route.status, route.outcome) == (S.COMPLETED, "full")


def test_results_returned_after_the_end_go_back_to_expired(w):
    route = expired(w)
    with time_machine.travel(LATER, tick=False):
        workflow.route_submit_results(actor=w.user("teacher"), route=route, reflection="Итоги",
                                      outcome_proposed="partial",
                                      not_done_reasons={a.pk: "Нет" for a in route.activities.all()})
        workflow.route_return_results(actor=w.user("deputy"), route=route, comment="Подробнее")
    route.refresh_from_db()
    assert route.status == S.EXPIRED


# ---------------------------------------------------------------- completion marks inside the period


def test_a_done_date_after_the_end_is_refused_like_one_before_the_start(w):
    route = expired(w)
    activity = route.activities.first()
    with time_machine.travel(LATER, tick=False):
        for day, message in ((dt.date(2027, 9, 2), "позже окончания ИОМ \\(31.08.2027\\)"),
                             (dt.date(2026, 8, 1), "раньше начала ИОМ")):
            with pytest.raises(ValidationError, match=message):
                roadmap.activity_mark_done(actor=w.user("teacher"), activity=activity, done_on=day,
                                           url="https://example.org/cert")
        roadmap.activity_mark_done(actor=w.user("teacher"), activity=activity, done_on=END,
                                   url="https://example.org/cert")  # still taken from «Срок истек»
        form = DoneForm({"done_on": "2027-09-03", "evidence_kind": "certificate"}, route=route)
        assert not form.is_valid()
        assert "позже окончания" in form.errors["done_on"][0]
        assert "file" in form.errors  # both errors at once
        assert DoneForm(route=route).initial["done_on"] == END  # the last day of the period, not today
    activity.refresh_from_db()
    assert activity.is_done and activity.done_on == END


# ---------------------------------------------------------------- every error at once


def test_the_activity_form_shows_the_required_field_and_the_period_together(w):
    route = RouteFactory(person=w.teacher_staff, academic_year=YEAR)
    form = ActivityForm({"version": 1, "group": route.activities.model._meta.get_field("group")
                         .related_model.objects.filter(in_roadmap=True).first().pk,
                         "kind": ActivityFactory.build().kind.pk, "level": "school", "title": "",
                         "deadline": "2028-01-15"}, route=route)
    assert not form.is_valid()
    assert "title" in form.errors
    assert "внутри периода ИОМ: с 01.09.2026 по 31.08.2027" in form.errors["deadline"][0]


def test_a_period_change_lists_every_row_that_falls_outside(w, client):
    route = RouteFactory(person=w.teacher_staff, academic_year=YEAR)
    for title, day in (("Курсы", dt.date(2027, 6, 1)), ("Семинар", dt.date(2027, 7, 1)),
                       ("Вебинар", dt.date(2027, 8, 1)), ("Урок", dt.date(2026, 10, 1))):
        ActivityFactory(route=route, title=title, deadline=day)
    client.force_login(w.user("teacher"))
    data = {name: getattr(route, name) or "" for name in ("city", "diagnostics_summary", "topic", "goal",
                                                           "tasks_text", "self_education_form",
                                                           "expected_result", "reporting_form")}
    data.update(version=route.version, starts_on="2026-09-01", ends_on="2027-03-31")
    response = client.post(reverse("routes:route_note", args=[route.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    for row in ("«Курсы» (01.06.2027)", "«Семинар» (01.07.2027)", "«Вебинар» (01.08.2027)"):
        assert row in page
    assert "«Урок»" not in page
    data.update(ends_on="2026-10-01")  # too short: that error, not the rows
    page = client.post(reverse("routes:route_note", args=[route.pk]), data).content.decode()
    assert "не меньше полугода" in page


def test_the_results_page_asks_why_for_each_activity_not_done(w, client):
    route = expired(w)
    url = reverse("routes:route_action", args=[route.pk, "submit_results"])
    with time_machine.travel(LATER, tick=False):
        client.force_login(w.user("teacher"))
        page = client.get(url).content.decode()
        assert "Почему не выполнено: «Курсы ДПП»" in page and "Почему не выполнено: «Открытый урок»" in page
        response = client.post(url, {"reflection": "", "outcome_proposed": "partial"})
    page = response.content.decode()
    assert page.count("Мероприятие не выполнено: укажите причину") == 2
    assert "Напишите рефлексию" in page or "Обязательное поле" in page
    route.refresh_from_db()
    assert route.status == S.EXPIRED


def test_the_deputy_accepting_results_sees_the_completion_and_the_reasons(w, client):
    route = expired(w)
    first, second = route.activities.order_by("deadline")
    first.is_done, first.done_on = True, dt.date(2027, 3, 1)
    first.save()
    with time_machine.travel(LATER, tick=False):
        workflow.route_submit_results(actor=w.user("teacher"), route=route, reflection="Итоги",
                                      outcome_proposed="partial", not_done_reasons={second.pk: "Карантин в школе"})
        client.force_login(w.user("deputy"))
        page = client.get(reverse("routes:route_action", args=[route.pk, "accept_results"])).content.decode()
    assert "1 из 2" in page and "50" in page
    assert "Открытый урок" in page and "Карантин в школе" in page


def test_the_expired_route_page_says_what_to_do(w, client):
    route = expired(w)
    with time_machine.travel(LATER, tick=False):
        client.force_login(w.user("teacher"))
        page = client.get(reverse("routes:route_detail", args=[route.pk])).content.decode()
        assert "route-status-expired" in page and "Срок реализации истек 31.08.2027" in page
        assert "Отправить итоги" in page and "Продлить срок" not in page
        client.force_login(w.user("deputy"))
        page = client.get(reverse("routes:route_detail", args=[route.pk])).content.decode()
        assert "Продлить срок" in page and "Закрыть как не реализованный" in page
        response = client.post(reverse("routes:route_action", args=[route.pk, "extend"]),
                               {"ends_on": "2027-08-01", "reason": ""})
        page = response.content.decode()
        assert "Укажите причину продления" in page and "позже прежней (31.08.2027)" in page  # both at once
        client.post(reverse("routes:route_action", args=[route.pk, "extend"]),
                    {"ends_on": "2027-12-31", "reason": "Курсы перенесены"})
        page = client.get(reverse("routes:route_detail", args=[route.pk])).content.decode()
    assert "Срок продлен: 31.08.2027 → 31.12.2027. Причина: Курсы перенесены" in page
