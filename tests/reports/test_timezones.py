"""Reports are dated and count overdue activities by the local date of their school or municipality.

At 2026-09-30 20:30 UTC it is already 1 October in Krasnoyarsk (UTC+7) and still 30 September in
Moscow (UTC+3). A report job runs in Celery, with no user's zone.
"""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from reports.builders import ReportParams, build
from reports.models import FigureSnapshot
from reports.services import take_snapshots
from routes.models import Route
from routes.selectors import overdue_activities
from schools.models import Organisation, Region, TimeZone
from schools.timezones import local_today
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db
BOUNDARY = dt.datetime(2026, 9, 30, 20, 30, tzinfo=dt.UTC)
YEAR = "2026-2027"


@pytest.fixture
def w():
    """Region R keeps Krasnoyarsk time, region S Moscow time."""
    world = World()
    Region.objects.filter(pk=world.region.pk).update(time_zone=TimeZone.KRASNOYARSK)
    world.region.refresh_from_db()
    return world


def overdue_route(staff) -> Route:
    route = RouteFactory(person=staff, academic_year=YEAR, status=Route.Status.IN_PROGRESS)
    ActivityFactory(route=route, deadline=dt.date(2026, 9, 30))
    return route


@time_machine.travel(BOUNDARY, tick=False)
def test_overdue_activities_are_counted_on_the_schools_own_date(w):
    overdue_route(w.teacher_staff)
    overdue_route(w.far_staff)

    def overdue(school):
        return overdue_activities(Organisation.objects.filter(pk=school.pk), YEAR, local_today(school))

    assert overdue(w.school) == 1
    assert overdue(w.far_school) == 0


def test_the_school_dashboard_shows_the_overdue_count_to_a_krasnoyarsk_director(client, w):
    overdue_route(w.teacher_staff)
    client.force_login(w.user("director"))
    with time_machine.travel(BOUNDARY, tick=False):
        response = client.get(reverse("reports:school", args=[w.school.pk]) + f"?year={YEAR}")
    assert response.context["values"]["overdue"].count == 1
    assert "просроченных мероприятий" in response.content.decode()


@pytest.mark.parametrize(("municipality", "day"), [("municipality", "01.10.2026"), ("far_municipality", "30.09.2026")])
def test_a_report_is_dated_by_its_municipalitys_date(w, municipality, day):
    out = io.BytesIO()
    with time_machine.travel(BOUNDARY, tick=False):
        params = ReportParams(municipality=getattr(w, municipality), years=["2025-2026"])
        report = build("coverage", "xlsx", params, out)
    assert report.filename("xlsx") == f"{report.kind}_{dt.datetime.strptime(day, '%d.%m.%Y'):%Y-%m-%d}.xlsx"
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    texts = [str(cell.value) for row in sheet.iter_rows(max_row=5) for cell in row if cell.value]
    assert any(f"Дата отчета: {day}" in text for text in texts), texts


@time_machine.travel(BOUNDARY, tick=False)
def test_the_nightly_snapshot_is_taken_on_each_municipalitys_date(w):
    take_snapshots()
    days = dict(FigureSnapshot.objects.filter(code="iom_share").values_list("municipality__name", "taken_on"))
    assert days["Муниципалитет A"] == dt.date(2026, 10, 1)
    assert days["Муниципалитет C"] == dt.date(2026, 9, 30)
