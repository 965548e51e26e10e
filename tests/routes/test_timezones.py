"""A route's "today" is its school's local date, and its pages and documents show the school's times.

At 2026-09-30 20:30 UTC it is already 1 October 03:30 in Krasnoyarsk (UTC+7) and still 30 September
23:30 in Moscow (UTC+3): an activity due 30.09 is overdue for the Krasnoyarsk school only.
"""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Notification
from routes import attention
from routes.documents.builders import iom_context, iom_docx, iom_pdf
from routes.models import Comment, ExpressReview, Route
from routes.roadmap import services as roadmap
from routes.selectors import roadmap_for, route_list_for, set_progress, with_progress
from routes.tasks import send_reminders
from routes.workflow import services as workflow
from schools.models import Region, TimeZone
from tests.factories import MembershipFactory, UserFactory
from tests.routes.documents.conftest import docx_text, pdf_text
from tests.routes.factories import ActivityFactory, CommentFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db
S = Route.Status
BOUNDARY = dt.datetime(2026, 9, 30, 20, 30, tzinfo=dt.UTC)
DUE = dt.date(2026, 9, 30)
YEAR = "2026-2027"
SCORES = {code: 2 for code, _ in ExpressReview.CRITERIA}


@pytest.fixture
def w():
    """Region R (schools A1, A2, B1) keeps Krasnoyarsk time, region S (school C1) Moscow time."""
    world = World()
    Region.objects.filter(pk=world.region.pk).update(time_zone=TimeZone.KRASNOYARSK)
    world.region.refresh_from_db()
    return world


def set_zone(w, zone: str) -> None:
    Region.objects.filter(pk=w.region.pk).update(time_zone=zone)
    w.region.refresh_from_db()


def in_progress(staff) -> Route:
    route = RouteFactory(person=staff, academic_year=YEAR, status=S.IN_PROGRESS)
    ActivityFactory(route=route, deadline=DUE, title="Семинар 30 сентября")
    return route


def fresh(route: Route) -> Route:
    """The route as the pages read it (route_get_for: with its organisation's region)."""
    return Route.objects.select_related("person__user", "organisation__municipality__region").get(pk=route.pk)


@time_machine.travel(BOUNDARY, tick=False)
def test_an_activity_due_30_september_is_overdue_in_krasnoyarsk_and_not_in_moscow(w):
    krasnoyarsk, moscow = in_progress(w.teacher_staff), in_progress(w.far_staff)
    both = Route.objects.filter(pk__in=[krasnoyarsk.pk, moscow.pk])
    # one query over both zones (the lists, the queues, the monitor) ...
    assert {r.pk: r.activities_overdue for r in with_progress(both)} == {krasnoyarsk.pk: 1, moscow.pk: 0}
    # ... the page of a list, counted afterwards ...
    assert {r.pk: r.activities_overdue for r in set_progress(both)} == {krasnoyarsk.pk: 1, moscow.pk: 0}
    # ... and the route page
    assert (roadmap_for(fresh(krasnoyarsk)).overdue, roadmap_for(fresh(moscow)).overdue) == (1, 0)


def test_the_route_page_marks_the_activity_overdue_for_krasnoyarsk_only(client, w):
    krasnoyarsk, moscow = in_progress(w.teacher_staff), in_progress(w.far_staff)
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))  # sees both regions
    with time_machine.travel(BOUNDARY, tick=False):
        pages = [client.get(reverse("routes:route_detail", args=[r.pk])).content.decode()
                 for r in (krasnoyarsk, moscow)]
    assert "просрочено: 1" in pages[0]
    assert "просрочено" not in pages[1]


@time_machine.travel(BOUNDARY, tick=False)
def test_the_teachers_home_page_item_counts_by_the_schools_date(w):
    in_progress(w.teacher_staff)
    items = attention.own_routes(w.user("teacher"))
    assert [i.count for i in items if "просроченные" in i.title] == [1]
    set_zone(w, TimeZone.MOSCOW)
    assert not [i for i in attention.own_routes(UserFactory(username="teacher")) if "просроченные" in i.title]


def test_the_monitor_counts_overdue_by_each_schools_date(client, w):
    in_progress(w.teacher_staff)
    in_progress(w.other_staff)  # municipality B, same region: Krasnoyarsk too
    client.force_login(w.user("regional_methodist"))
    with time_machine.travel(BOUNDARY, tick=False):
        rows = set_progress(with_progress(route_list_for(w.user("regional_methodist"))))
    assert [r.activities_overdue for r in rows] == [1, 1]


def test_reminders_count_overdue_by_the_schools_date(w, django_capture_on_commit_callbacks):
    in_progress(w.teacher_staff)
    moscow_teacher = UserFactory(username="far")
    w.far_staff.user = moscow_teacher
    w.far_staff.save()
    MembershipFactory(user=moscow_teacher, role="teacher", organisation=w.far_school)
    in_progress(w.far_staff)
    with time_machine.travel(BOUNDARY, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert send_reminders()["teachers"] == 2
    assert "просрочено мероприятий: 1" in Notification.objects.get(recipient=w.user("teacher")).text
    moscow = Notification.objects.get(recipient=moscow_teacher).text
    assert "просрочено" not in moscow and "срок в ближайшие 7 дней: 1" in moscow


@pytest.mark.parametrize(("zone", "allowed"), [(TimeZone.KRASNOYARSK, True), (TimeZone.MOSCOW, False)])
def test_an_activity_may_be_marked_done_on_1_october_where_it_is_1_october(w, zone, allowed):
    set_zone(w, zone)
    activity = in_progress(w.teacher_staff).activities.get()
    activity = type(activity).objects.select_related("route__organisation__municipality__region").get(pk=activity.pk)
    with time_machine.travel(BOUNDARY, tick=False):
        if allowed:
            roadmap.activity_mark_done(actor=w.user("teacher"), activity=activity, done_on=dt.date(2026, 10, 1),
                                       url="https://example.org/certificate")
        else:
            with pytest.raises(ValidationError, match="в будущем"):
                roadmap.activity_mark_done(actor=w.user("teacher"), activity=activity, done_on=dt.date(2026, 10, 1),
                                           url="https://example.org/certificate")
    activity.refresh_from_db()
    assert activity.is_done is allowed


@pytest.mark.parametrize(("zone", "day"), [(TimeZone.KRASNOYARSK, dt.date(2026, 10, 1)),
                                           (TimeZone.MOSCOW, dt.date(2026, 9, 30))])
def test_the_approval_records_the_schools_date(w, zone, day):
    set_zone(w, zone)
    route = RouteFactory(person=w.teacher_staff, academic_year=YEAR, status=S.SUBMITTED)
    ActivityFactory(route=route, deadline=dt.date(2026, 12, 1))
    with time_machine.travel(BOUNDARY, tick=False):
        workflow.route_approve(actor=w.user("deputy"), route=fresh(route), scores=SCORES)
    route.refresh_from_db()
    assert route.approved_on == day


def test_a_route_begun_on_the_night_of_31_august_belongs_to_the_schools_academic_year(w):
    """20:30 UTC on 31 August is 1 September in Krasnoyarsk: the new academic year has begun there."""
    with time_machine.travel(dt.datetime(2026, 8, 31, 20, 30, tzinfo=dt.UTC), tick=False):
        route = roadmap.route_create(actor=w.user("teacher"), person=w.teacher_staff)
    assert (route.academic_year, route.starts_on) == ("2026-2027", dt.date(2026, 9, 1))


def test_a_comment_shows_at_07_53_to_a_krasnoyarsk_teacher_and_03_53_in_moscow(client, w):
    """Stored at 00:53 UTC: 07:53 in Krasnoyarsk; an administrator without a region reads Moscow time."""
    route = RouteFactory(person=w.teacher_staff, academic_year=YEAR)
    comment = CommentFactory(route=route, author=w.user("deputy"), text="Уточните срок семинара")
    Comment.objects.filter(pk=comment.pk).update(created_at=dt.datetime(2026, 10, 1, 0, 53, tzinfo=dt.UTC))
    url = reverse("routes:route_detail", args=[route.pk])
    client.force_login(w.user("teacher"))
    page = client.get(url).content.decode()
    assert "01.10.2026 07:53" in page and "03:53" not in page
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert "01.10.2026 03:53" in client.get(url).content.decode()


@pytest.mark.parametrize(("zone", "day"), [(TimeZone.KRASNOYARSK, "01.10.2026"), (TimeZone.MOSCOW, "30.09.2026")])
def test_the_iom_document_is_dated_by_the_schools_date(w, zone, day, tmp_path):
    set_zone(w, zone)
    route = fresh(in_progress(w.teacher_staff))
    with time_machine.travel(BOUNDARY, tick=False):
        assert iom_context(route)["generated_on"] == day
        docx, pdf = iom_docx(route), iom_pdf(route)
    assert f"Документ сформирован на ИОМ-портале {day}." in docx_text(docx)
    assert f"сформирован на ИОМ-портале {day}" in " ".join(pdf_text(pdf, tmp_path).split())


@pytest.mark.parametrize(("zone", "year"), [(TimeZone.KRASNOYARSK, "2027"), (TimeZone.MOSCOW, "2026")])
def test_the_iom_title_page_year_is_the_schools(w, zone, year):
    """Created at 20:00 UTC on 31 December: already the new year in Krasnoyarsk, not yet in Moscow."""
    set_zone(w, zone)
    route = RouteFactory(person=w.teacher_staff, academic_year=YEAR)
    Route.objects.filter(pk=route.pk).update(created_at=dt.datetime(2026, 12, 31, 20, 0, tzinfo=dt.UTC))
    assert iom_context(fresh(route))["year"] == year
