"""Time zones of regions (schools.timezones): the zone of a user, the middleware, e-mails, the reference data.

The boundary: at 2026-09-30 20:30 UTC it is already 1 October 03:30 in Krasnoyarsk (UTC+7) and
still 30 September 23:30 in Moscow (UTC+3).
"""

import datetime as dt
import io
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from routes.models import RoadmapActivity
from schools import services
from schools.middleware import RegionTimeZoneMiddleware
from schools.models import Region, TimeZone, default_time_zone
from schools.timezones import (
    before_local_today,
    local_today,
    zone_for_region_name,
    zone_of_organisation,
    zone_of_user,
)
from tests.factories import MembershipFactory, RegionFactory, StaffFactory, UserFactory
from tests.imports.factories import xlsx_bytes
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db
BOUNDARY = dt.datetime(2026, 9, 30, 20, 30, tzinfo=dt.UTC)
KRASNOYARSK, MOSCOW = ZoneInfo("Asia/Krasnoyarsk"), ZoneInfo("Europe/Moscow")


@pytest.fixture
def w():
    """Region R is Krasnoyarsk Krai's time, region S Moscow's."""
    world = World()
    Region.objects.filter(pk=world.region.pk).update(time_zone=TimeZone.KRASNOYARSK)
    world.region.refresh_from_db()
    return world


# --- the reference data ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "zone"), [
    ("Красноярский край", "Asia/Krasnoyarsk"),
    ("Республика Хакасия", "Asia/Krasnoyarsk"),
    ("Калининградская область", "Europe/Kaliningrad"),
    ("Курганская область", "Asia/Yekaterinburg"),
    ("Ханты-Мансийский автономный округ — Югра", "Asia/Yekaterinburg"),
    ("Омская область", "Asia/Omsk"),
    ("Томская область", "Asia/Tomsk"),  # «Томская» holds «омск», but not at a word's start
    ("Республика Саха (Якутия)", "Asia/Yakutsk"),
    ("Сахалинская область", "Asia/Sakhalin"),  # before «Саха»
    ("Камчатский край", "Asia/Kamchatka"),
    ("г. Москва", None),
    ("Регион R", None),
])
def test_a_region_known_by_name_has_its_zone(name, zone):
    assert zone_for_region_name(name) == zone


def test_a_region_takes_the_project_time_zone_by_default():
    assert RegionFactory(name="Новый регион").time_zone == "Europe/Moscow"
    with override_settings(TIME_ZONE="Asia/Omsk"):
        assert default_time_zone() == "Asia/Omsk"
    with override_settings(TIME_ZONE="UTC"):  # not one of Russia's: Moscow time
        assert default_time_zone() == "Europe/Moscow"


def test_the_migration_gives_existing_regions_the_zones_of_their_names():
    krai = RegionFactory(name="Красноярский край")
    other = RegionFactory(name="Регион без пояса", time_zone=TimeZone.SAMARA)
    import_module("schools.migrations.0003_region_time_zone").zones_from_names(apps, None)
    krai.refresh_from_db()
    other.refresh_from_db()
    assert (krai.time_zone, other.time_zone) == ("Asia/Krasnoyarsk", "Europe/Samara")


def test_the_organisations_import_gives_a_new_region_the_zone_of_its_name(tmp_path):
    header = ["Регион", "Муниципалитет", "Наименование", "Краткое наименование", "Тип"]
    path = tmp_path / "orgs.xlsx"
    path.write_bytes(xlsx_bytes(header, [
        ["Красноярский край", "Новоселовский район", "Школа №1 полное", "СОШ №1", "СОШ"],
        ["Тверская область", "г. Тверь", "Школа №2 полное", "СОШ №2", "СОШ"],
    ]))
    call_command("import_data", "organizations", str(path), stdout=io.StringIO())
    assert dict(Region.objects.values_list("name", "time_zone")) == {
        "Красноярский край": "Asia/Krasnoyarsk", "Тверская область": "Europe/Moscow"}


def test_an_administrator_edits_a_regions_zone(client, w):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:schools_region_change", args=[w.other_region.pk])
    assert 'name="time_zone"' in client.get(url).content.decode()
    response = client.post(url, {"name": w.other_region.name, "time_zone": "Asia/Vladivostok"})
    assert response.status_code == 302
    w.other_region.refresh_from_db()
    assert w.other_region.time_zone == "Asia/Vladivostok"


# --- whose zone -----------------------------------------------------------------------------------------------------

def test_a_user_reads_the_zone_of_the_region_of_their_memberships(w):
    assert zone_of_user(w.user("teacher")) == KRASNOYARSK  # the school of their staff record
    assert zone_of_user(w.user("municipal_methodist")) == KRASNOYARSK  # the municipality's region
    assert zone_of_user(w.user("regional_methodist")) == KRASNOYARSK
    assert zone_of_user(w.user("admin")) == MOSCOW  # no region: the project's TIME_ZONE


def test_the_school_comes_before_a_region_and_of_two_regions_the_first_by_name(w):
    user = UserFactory(username="two")
    MembershipFactory(user=user, role="regional_methodist", region=w.region)
    MembershipFactory(user=user, role="teacher", organisation=w.far_school)  # Регион S, Moscow
    assert zone_of_user(user) == MOSCOW
    both = UserFactory(username="both")
    MembershipFactory(user=both, role="regional_methodist", region=w.other_region)  # «Регион S»
    MembershipFactory(user=both, role="regional_methodist", region=w.region)  # «Регион R» comes first
    assert zone_of_user(both) == KRASNOYARSK


def test_a_user_without_a_region_reads_the_zone_given_instead(w):
    stranger = UserFactory(username="stranger")
    assert zone_of_user(stranger) == MOSCOW
    assert zone_of_user(stranger, otherwise=w.school) == KRASNOYARSK


def test_the_middleware_activates_the_users_zone_for_the_request_only(w):
    seen = []

    def view(request):
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse()

    middleware = RegionTimeZoneMiddleware(view)
    request = RequestFactory().get("/")
    request.user = w.user("teacher")
    middleware(request)
    request.user = AnonymousUser()
    middleware(request)
    assert seen == ["Asia/Krasnoyarsk", "Europe/Moscow"]
    assert timezone.get_current_timezone_name() == "Europe/Moscow"  # nothing left behind for the next request


# --- "today" of an organisation ---------------------------------------------------------------------------------------

@time_machine.travel(BOUNDARY, tick=False)
def test_today_is_the_local_date_of_the_organisation(w):
    assert local_today(w.school) == dt.date(2026, 10, 1)
    assert local_today(w.far_school) == dt.date(2026, 9, 30)
    assert zone_of_organisation(w.school) == KRASNOYARSK


@pytest.mark.parametrize(("moment", "overdue"), [
    (dt.datetime(2026, 9, 30, 16, 30, tzinfo=dt.UTC), set()),  # 23:30 in Krasnoyarsk: 30 September everywhere
    (BOUNDARY, {"Школа A1"}),  # 1 October in Krasnoyarsk, still 30 September in Moscow
    (dt.datetime(2026, 9, 30, 21, 30, tzinfo=dt.UTC), {"Школа A1", "Школа C1"}),  # 00:30 in Moscow
])
def test_an_activity_is_overdue_once_its_school_has_passed_the_deadline(w, moment, overdue):
    for staff in (w.teacher_staff, w.far_staff):
        ActivityFactory(route=RouteFactory(person=staff, academic_year="2026-2027"), deadline=dt.date(2026, 9, 30))
    ActivityFactory(route=RouteFactory(person=w.sibling_staff, academic_year="2026-2027"),
                    deadline=dt.date(2026, 10, 2))  # due later: overdue nowhere yet
    with time_machine.travel(moment, tick=False):
        late = RoadmapActivity.objects.filter(
            before_local_today("deadline", region="route__organisation__municipality__region"))
        assert set(late.values_list("route__organisation__short_name", flat=True)) == overdue


@time_machine.travel(BOUNDARY, tick=False)
def test_a_zone_outside_the_choices_counts_as_the_projects_own(w):
    Region.objects.filter(pk=w.region.pk).update(time_zone="Mars/Olympus")
    route = RouteFactory(person=w.teacher_staff, academic_year="2026-2027")
    ActivityFactory(route=route, deadline=dt.date(2026, 9, 30))
    assert not RoadmapActivity.objects.filter(
        before_local_today("deadline", region="route__organisation__municipality__region")).exists()
    w.region.refresh_from_db()
    assert local_today(w.school) == dt.date(2026, 9, 30)


# --- e-mails ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("region", "until"), [("region", "15.10.2026 03:30"), ("other_region", "14.10.2026 23:30")])
def test_the_account_link_email_says_until_when_in_the_recipients_time(
        w, region, until, django_capture_on_commit_callbacks):
    """Valid 14 days from 20:30 UTC: 03:30 on the 15th in Krasnoyarsk, 23:30 on the 14th in Moscow."""
    municipality = w.other_municipality if region == "region" else w.far_municipality
    owner = UserFactory(username="metod@example.org", email="metod@example.org")
    MembershipFactory(user=owner, role="municipal_methodist", municipality=municipality)
    staff = StaffFactory(organisation=w.school, email="metod@example.org")
    with time_machine.travel(BOUNDARY, tick=False), django_capture_on_commit_callbacks(execute=True):
        outcome = services.staff_invite(actor=w.user("deputy"), staff=staff)
    assert outcome.outcome == services.InviteOutcome.OWNER_ASKED
    [message] = mail.outbox
    assert f"Ссылка действует до {until}." in message.body
