"""The demo's live routes: every role finds something, Table 1 stays as in seed 000."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.dates import current_academic_year, last_completed_academic_years
from devdata.demo import load_demo
from devdata.table1 import MUNICIPALITY, TABLE1
from diagnostics.models import Deficit
from routes import selectors
from routes.models import Route, Transition
from schools.models import Organisation, StaffMember

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_demo_routes_give_every_role_something_and_keep_table_1(client):
    load_demo()
    year = current_academic_year()
    teacher, deputy, regional = (User.objects.get(username=u) for u in ("teacher", "deputy", "regional"))

    # the teacher starts this year from a completed self-assessment: deficits, no route yet
    assert not Route.objects.filter(person__user=teacher, academic_year=year).exists()
    assert Deficit.objects.filter(person__user=teacher, status=Deficit.Status.DETECTED).exists()
    queue = selectors.review_queue(deputy)
    statuses = [r.status for r in queue]
    assert statuses.count(Route.Status.SUBMITTED) >= 2 and Route.Status.RESULTS_SUBMITTED in statuses
    resubmitted = [r for r in queue if r.transitions.filter(action="return").exists()]
    assert resubmitted and resubmitted[0].comments.exists()  # a resubmission after a return with comments
    school = StaffMember.objects.get(user=deputy).organisation
    assert Route.objects.filter(organisation=school, status=Route.Status.EXPIRED).exists()
    assert len(selectors.credit_queue(regional)) >= 1
    live = Route.objects.filter(academic_year=year)
    assert Transition.objects.filter(route__in=live, action="approve").exists()  # logged by the services

    first, second = last_completed_academic_years(2)
    for year_, column in ((first, "credited_first"), (second, "credited_second")):
        expected = sum(sum(getattr(row, column)) for row in TABLE1)
        table_1 = Route.objects.filter(organisation__municipality__name=MUNICIPALITY,
                                       organisation__kind__in=Organisation.SCHOOL_KINDS)
        assert table_1.filter(academic_year=year_, credited_on__isnull=False).count() == expected

    client.force_login(teacher)
    page = client.get(reverse("drafting:new")).content.decode()
    assert "Составить ИОМ" in page
    client.force_login(deputy)
    assert client.get(reverse("routes:monitor")).content.decode().count('class="row-overdue"') >= 1


def test_the_demo_region_has_school_holidays_and_this_years_drafted_deadlines_keep_off_them():
    from core.models import Notification, OutgoingEmail
    from routes.models import RoadmapActivity
    from schools.academic_calendar import AcademicCalendar
    from schools.models import SchoolHoliday

    load_demo()
    region = Organisation.objects.get(staff__user__username="teacher").municipality.region
    year = current_academic_year()
    start = int(year[:4])
    titles = {h.title: (h.starts_on, h.ends_on) for h in SchoolHoliday.objects.filter(
        region=region, starts_on__year__in=[start, start + 1], ends_on__lte=dt.date(start + 1, 8, 31))}
    assert titles["Осенние каникулы"] == (dt.date(start, 10, 26), dt.date(start, 11, 3))
    assert titles["Зимние каникулы"] == (dt.date(start, 12, 29), dt.date(start + 1, 1, 11))
    assert titles["Весенние каникулы"] == (dt.date(start + 1, 3, 23), dt.date(start + 1, 3, 31))
    assert titles["Летние каникулы"] == (dt.date(start + 1, 6, 1), dt.date(start + 1, 8, 31))
    calendar = AcademicCalendar(region, dt.date(start, 9, 1), dt.date(start + 1, 8, 31))
    drafted = RoadmapActivity.objects.filter(route__academic_year=year, route__organisation__municipality__region=region)
    assert drafted.exists() and not [a.deadline for a in drafted if calendar.is_vacation(a.deadline)]
    # the made-up history tells people in the portal, never by e-mail
    assert Notification.objects.exists() and not OutgoingEmail.objects.exists()
