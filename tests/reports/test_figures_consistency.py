"""One number, one definition: every figure a surface shows equals the registry's value for the same scope and period.

Random municipalities from the deterministic generator (devdata.generator, several seeds: routes in every state
over several academic years, staff dismissed and on leave, deficits dismissed) are read through every surface:
the rendered HTML of the school, municipality and region dashboards and of the monitor (each figure rendered by
the {% figure %} tag carries data-figure / data-count / data-base), the XLSX `Данные` sheets, the PDF text
(pdftotext) and the DOCX. A figure rendered with a code the registry does not know fails, and so does one whose
count or base differs from core.figures.read.
"""

import io
import re
import subprocess

import docx
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from core import figures
from core.dates import last_completed_academic_years
from core.figures import Period
from core.numbers import format_percent
from devdata import generator
from devdata.generator import Size, generate
from methodics.models import HelpPlan
from reports.selectors.common import SCHOOL_KINDS
from schools.models import Membership, Municipality, Organisation
from tests.reports.helpers import build_file, data_sheet

pytestmark = pytest.mark.django_db
SEEDS = [1, 2, 3, 4]
FIGURE_SPAN = re.compile(r'<span class="figure[^"]*" data-figure="([^"]+)"(?: data-part="([^"]*)")? '
                         r'data-count="(-?\d+)" data-base="(\d*)"')


@pytest.fixture
def region(monkeypatch, request):
    monkeypatch.setitem(generator.SIZES, "T", Size("T", municipalities=1, organisations=5, staff=90,
                                                   activities_per_route=6, scores_per_person=6))
    generate("T", seed=request.param, history=False)
    return Municipality.objects.get()


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_user("figures-admin", password="x")
    Membership.objects.create(user=user, role=Membership.Role.ADMIN)
    client.force_login(user)
    return client

# a dashboard's five years' trend: each cell one figure of one academic year (reports/_trend.html)
TREND_CELL = re.compile(r'data-year="([^"]+)">' + FIGURE_SPAN.pattern)
TREND_START = '<section class="mb-4" aria-labelledby="trend-h">'


def split_trend(html: str) -> tuple[str, str]:
    """The page without its trend, and the trend: the trend's figures are of other periods than the page's."""
    before, _, rest = html.partition(TREND_START)
    trend, _, after = rest.partition("</section>")
    return before + after, trend


def assert_trend_agrees(trend: str, scope, codes: set[str]) -> None:
    cells = TREND_CELL.findall(trend)
    assert {code for _, code, *_ in cells} == codes and len(cells) == 5 * len(codes)
    for year, code, part, count, base in cells:
        assert (int(count), int(base) if base else None) == expected(code, part, scope, Period.of_years([year])), (
            code, year)


def shown(html: str) -> list[tuple[str, str, int, int | None]]:
    found = [(code, part or "", int(count), int(base) if base else None)
             for code, part, count, base in FIGURE_SPAN.findall(html)]
    codes = {f.code for f in figures.all_figures()}
    assert {code for code, *_ in found} <= codes, "a page shows a figure the registry does not know"
    return found


def expected(code: str, part: str, scope, period) -> tuple[int, int | None]:
    value = figures.read(code, scope, period)
    if part:
        p = value.part(part)
        return p.count, p.base
    return value.count, value.base


def assert_page_agrees(html: str, scope, periods: dict[str, Period]) -> set[str]:
    seen = set()
    for code, part, count, base in shown(html):
        if code not in periods:
            continue
        assert (count, base) == expected(code, part, scope, periods[code]), (code, part)
        seen.add(code)
    return seen


@pytest.mark.parametrize("region", SEEDS, indirect=True)
def test_every_surface_shows_the_registrys_value(region, admin_client):
    municipality = region
    everyone = Organisation.objects.filter(municipality=municipality)
    years = last_completed_academic_years(2)
    this_year = years[-1]
    today = timezone.localdate()
    period, one_year = Period.of_years(years), Period.of_years([this_year])
    query = f"?years={','.join(years)}&year={this_year}"

    # the municipality dashboard: Table 1's cards and total, statuses, implementation, the indicators panel
    html, trend = split_trend(admin_client.get(f"/reports/municipality/{municipality.pk}/{query}").content.decode())
    assert_trend_agrees(trend, everyone, {"iom_share", "region_routes_year", "region_credited_year"})
    seen = assert_page_agrees(html, everyone, {
        "coverage_staff": period, "coverage_registered": period, "coverage_credited": period,
        "coverage_share": period, "iom_share": period, "registry_courses_share": period,
        "young_supported_share": Period.day(today), "mentoring_schools_share": Period.day(today),
        "route_statuses": one_year, "implementation": one_year,
    })
    assert {"coverage_share", "iom_share", "route_statuses", "implementation", "young_supported_share",
            "mentoring_schools_share"} <= seen

    # the region dashboard: the regional indicator per municipality and in total
    html, trend = split_trend(
        admin_client.get(f"/reports/region/{municipality.region_id}/?years={','.join(years)}").content.decode())
    assert_trend_agrees(trend, everyone, {"iom_share", "region_routes_year", "region_credited_year"})
    seen = assert_page_agrees(html, everyone, {"iom_share": period, "region_routes_year": one_year,
                                               "region_credited_year": one_year})
    assert "iom_share" in seen

    # each school's dashboard and the implementation monitor over that school
    for school in everyone.filter(kind__in=SCHOOL_KINDS):
        scope = Organisation.objects.filter(pk=school.pk)
        html, trend = split_trend(admin_client.get(f"/reports/school/{school.pk}/?year={this_year}").content.decode())
        assert_trend_agrees(trend, scope, {"school_route_share", "assessed_share", "attested_share"})
        overdue = Period(years=(this_year,), on=today, kind="year")
        seen = assert_page_agrees(html, scope, {"school_route_share": one_year, "overdue_activities": overdue,
                                                "route_statuses": one_year, "implementation": one_year})
        assert {"school_route_share", "overdue_activities"} <= seen
        monitor = admin_client.get(f"/routes/monitor/?municipality={municipality.pk}&organisation={school.pk}"
                                   f"&year={this_year}").content.decode()
        assert_page_agrees(monitor, scope, {"overdue_activities": overdue})

    # the programme of help of each school: its stages' facts for the plan's year
    for school in everyone.filter(kind__in=SCHOOL_KINDS)[:2]:
        plan = HelpPlan.objects.create(organisation=school, academic_year=this_year, title="Программа помощи")
        html = admin_client.get(reverse("methodics:plan_detail", args=[plan.pk])).content.decode()
        seen = assert_page_agrees(html, Organisation.objects.filter(pk=school.pk), {
            code: one_year for code in ("assessed_share", "school_route_share", "iom_share", "mentoring_pairs_year",
                                        "route_statuses", "roadmap_activities_done", "routes_results_presented",
                                        "attested_share")})
        assert {"assessed_share", "route_statuses", "roadmap_activities_done", "attested_share"} <= seen

    # «Наставничество» over each organisation: the mentoring figure as the dashboards and the indicators read it;
    # its organisations add up to the municipality's (the same young staff, the same pairs)
    supported = [0, 0]
    for organisation in everyone:
        html = admin_client.get(f"/methodics/mentoring/?municipality={municipality.pk}"
                                f"&organisation={organisation.pk}").content.decode()
        scope = Organisation.objects.filter(pk=organisation.pk)
        assert "young_supported_share" in assert_page_agrees(html, scope, {"young_supported_share": Period.day(today)})
        value = figures.read("young_supported_share", scope, Period.day(today))
        supported = [supported[0] + value.count, supported[1] + value.base]
    whole = figures.read("young_supported_share", everyone, Period.day(today))
    assert supported == [whole.count, whole.base] and whole.count > 0

    # the files: Table 1 (XLSX Данные, PDF, DOCX), the indicators, the audit
    share = figures.read("coverage_share", everyone, period)
    total = next(r for r in data_sheet(build_file("coverage", municipality_id=municipality.pk, years=years))
                 if r["ОО"] == "Итого")
    assert total["Сотрудники"] == share.base
    assert total["Доля с ИОМ, %"] == (float(share.percent) if share.percent is not None else None)
    pdf = build_file("coverage", "pdf", municipality_id=municipality.pk, years=years)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert f"{share.count} из {share.base}" in " ".join(text.split())
    document = docx.Document(io.BytesIO(build_file("coverage", "docx", municipality_id=municipality.pk, years=years)))
    words = " ".join(p.text for p in document.paragraphs)
    assert format_percent(share.percent) in words

    indicators = {r["Код"]: r for r in data_sheet(build_file("indicators", municipality_id=municipality.pk,
                                                             years=years))}
    assert {"young_supported_share", "mentoring_schools_share"} <= set(indicators)
    for code, row in indicators.items():
        computation = "iom_share" if code == "iom_share" else code
        if figures.get(computation).period_kind == "years":
            assert (row["Числитель"], row["Знаменатель"]) == expected(computation, "", everyone, period), code
        elif figures.get(computation).period_kind == "day":  # the mentoring indicators, read today
            assert (row["Числитель"], row["Знаменатель"]) == expected(computation, "", everyone, Period.day(today)), code

    audit = figures.read("audit", everyone, Period.cohort(years[0]))
    for row in data_sheet(build_file("audit", municipality_id=municipality.pk, cohort=years[0])):
        part = audit.part(row["Код"])
        assert (row["Количество"], row["База"]) == (part.count, part.base), row["Код"]
