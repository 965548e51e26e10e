"""The dashboards' period, drill-down, trend and table export (issue 18, item 5)."""

import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core import figures
from core.dates import current_academic_year
from core.figures import Period
from routes.models import Route
from schools.models import Organisation
from tests.factories import MunicipalityFactory, OrganisationFactory, StaffFactory
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db


def previous(year: str) -> str:
    start = int(year[:4]) - 1
    return f"{start}-{start + 1}"


@pytest.fixture
def w():
    w = World()
    year = current_academic_year()
    RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    RouteFactory(person=w.colleague, academic_year=previous(year), status=Route.Status.IN_PROGRESS)
    return w


def test_the_region_links_each_municipality_down_keeping_the_period(w, client):
    client.force_login(w.user("regional_methodist"))
    year = current_academic_year()
    years = [previous(year), year]
    page = client.get(reverse("reports:region", args=[w.region.pk]), {"years": years}).content.decode()
    query = f"years={previous(year)}%2C{year}&amp;year={year}"
    assert f'href="{reverse("reports:municipality", args=[w.municipality.pk])}?{query}"' in page
    # the period form: a checkbox for every year with routes and the current one, the chosen ones checked
    checked = set(re.findall(r'name="years" value="([^"]+)"[^>]*checked', page))
    assert checked == set(years)


def test_the_municipality_and_the_school_carry_the_period_down_to_the_teachers(w, client):
    client.force_login(w.user("municipal_methodist"))
    year = current_academic_year()
    old = previous(year)
    page = client.get(reverse("reports:municipality", args=[w.municipality.pk]),
                      {"years": f"{old},{year}", "year": old}).content.decode()
    query = f"years={old}%2C{year}&amp;year={old}"
    assert f'href="{reverse("reports:school", args=[w.school.pk])}?{query}"' in page
    assert f'?{query}&amp;sort=-staff"' in page  # the sort links keep the period too

    response = client.get(reverse("reports:school", args=[w.school.pk]), {"years": f"{old},{year}", "year": old})
    assert response.context["year"] == old
    page = response.content.decode()
    monitor = (f'{reverse("routes:monitor")}?municipality={w.municipality.pk}'
               f'&amp;organisation={w.school.pk}&amp;year={old}')
    assert monitor in page
    # the monitor opened from there lists that school's teachers of that year
    monitor_page = client.get(monitor.replace("&amp;", "&"))
    assert monitor_page.status_code == 200
    assert w.colleague.last_name in monitor_page.content.decode()


def test_a_year_outside_the_choice_falls_back_to_the_default(w, client):
    client.force_login(w.user("director"))
    response = client.get(reverse("reports:school", args=[w.school.pk]), {"year": "1999-2000"})
    assert response.context["year"] == current_academic_year()


def test_the_trend_shows_the_registry_figures_of_each_of_five_years(w, client):
    client.force_login(w.user("municipal_methodist"))
    year = current_academic_year()
    trend = client.get(reverse("reports:municipality", args=[w.municipality.pk]), {"year": year}).context["trend_years"]
    assert len(trend["years"]) == 5 and trend["years"][-1] == year
    everyone = Organisation.objects.filter(municipality=w.municipality)
    for figure, values in trend["rows"]:
        for y, value in zip(trend["years"], values, strict=True):
            expected = figures.read(figure.code, everyone, Period.of_years([y]))
            assert (value.count, value.base, value.period) == (expected.count, expected.base, expected.period)
    routes = dict(zip(trend["years"], next(v for f, v in trend["rows"] if f.code == "region_routes_year"),
                      strict=True))
    assert routes[year].count == 1 and routes[previous(year)].count == 1
    assert "<svg" in str(trend["chart"])


def test_the_region_trend_costs_the_same_queries_for_more_municipalities(w, client):
    client.force_login(w.user("admin"))
    url = reverse("reports:region", args=[w.region.pk])

    def queries():
        cache.clear()  # count the figures, not the figure cache (core.cache)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries()  # the first page of the session costs its own (the session, the figure cache's versions)
    before = queries()
    for n in range(4):
        municipality = MunicipalityFactory(region=w.region, name=f"Муниципалитет N{n}")
        school = OrganisationFactory(municipality=municipality, short_name=f"Школа N{n}")
        RouteFactory(person=StaffFactory(organisation=school))
    assert queries() == before


def test_the_municipality_table_downloads_as_typed_xlsx(w, client):
    client.force_login(w.user("municipal_methodist"))
    year = current_academic_year()
    response = client.get(reverse("reports:dashboard_export", args=["municipality", w.municipality.pk]),
                          {"years": year})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content))["Данные"]
    header = [c.value for c in ws[1]]
    assert header[0] == "ОУ" and header[-1] == "Доля с ИОМ, %"
    rows = {row[0].value: row for row in ws.iter_rows(min_row=2)}
    school = rows[w.school.short_name]
    assert isinstance(school[1].value, int) and school[1].value >= 3  # the staff base: a number, not text
    assert school[-1].number_format.endswith("%")
    assert header[3:5] == [f"Зачтено {year}: педагоги", f"Зачтено {year}: завучи"]
    assert all(isinstance(cell.value, int) for cell in school[1:-1])  # every count a number


def test_the_region_and_school_tables_download_with_their_numbers(w, client):
    client.force_login(w.user("regional_methodist"))
    response = client.get(reverse("reports:dashboard_export", args=["region", w.region.pk]))
    ws = load_workbook(io.BytesIO(response.content))["Данные"]
    names = [row[0].value for row in ws.iter_rows(min_row=2)]
    assert names == sorted([w.municipality.name, w.other_municipality.name])
    assert all(isinstance(row[1].value, int) for row in ws.iter_rows(min_row=2))

    ActivityFactory(route=Route.objects.get(person=w.teacher_staff), is_done=True)
    response = client.get(reverse("reports:dashboard_export", args=["school", w.school.pk]))
    ws = load_workbook(io.BytesIO(response.content))["Данные"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == w.teacher_staff.full_name)
    assert (row[3].value, row[4].value, row[5].value) == (1, 1, 1.0) and row[5].number_format.endswith("%")


def test_an_unknown_table_is_not_found(w, client):
    client.force_login(w.user("admin"))
    assert client.get(reverse("reports:dashboard_export", args=["galaxy", 1])).status_code == 404
