"""The registry list and export, the dashboards' query counts, the command, snapshots and PDFs."""

import datetime as dt
import io
import re
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from devdata.demo import build_table1_records
from devdata.table1 import TABLE1
from reports import services
from reports.models import FigureSnapshot, ReportJob
from reports.selectors.audit import audit_figures
from routes.models import Route
from tests.factories import MunicipalityFactory
from tests.routes.factories import RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db
YEARS = ("2021-2022", "2022-2023")


def make_routes(w, n, **kwargs):
    from routes.models import RoadmapActivity
    from schools.models import StaffMember
    from tests.routes.factories import group, kind

    people = StaffMember.objects.bulk_create(
        StaffMember(organisation=w.school, last_name=f"Учитель{i:04d}", first_name="Анна", position="учитель",
                    position_category="teacher") for i in range(n))
    fields = {"academic_year": "2022-2023", "status": Route.Status.DRAFT, **kwargs}
    routes = Route.objects.bulk_create(Route(person=p, organisation=w.school, **fields) for p in people)
    g, k = group(), kind()
    RoadmapActivity.objects.bulk_create(
        [RoadmapActivity(route=r, group=g, kind=k, title="Семинар", deadline=dt.date(2023, 3, 1), is_done=True)
         for i, r in enumerate(routes) if i % 2 == 0]
        + [RoadmapActivity(route=r, group=g, kind=k, title="Семинар", deadline=dt.date(2023, 3, 1)) for r in routes])


@pytest.fixture
def w():
    return World()


def test_the_registry_page_makes_the_same_number_of_queries_for_10_and_1000_rows(w, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(w.user("municipal_methodist"))
    client.get(reverse("reports:registry"))  # the first request after login also writes the session
    counts = {}
    for n in (10, 1000):
        Route.objects.all().delete()
        make_routes(w, n)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("reports:registry"), {"year": "2022-2023", "sort": "-progress"})
        assert f"Найдено: {n}" in response.content.decode()
        counts[n] = len(queries)
    # session, user, memberships, the count, one page of rows with progress and deficits in subqueries,
    # the filter's municipality and organisation options, and the layout's own (notifications, menu)
    assert counts[10] == counts[1000] <= 14


def test_the_registry_filters_by_progress_range_exactly(w, client):
    make_routes(w, 6)  # even: 1 of 2 done (50 %), odd: 0 of 1
    client.force_login(w.user("deputy"))
    page = client.get(reverse("reports:registry"), {"progress_min": 50, "progress_max": 50}).content.decode()
    assert "Найдено: 3" in page
    page = client.get(reverse("reports:registry"), {"progress_min": 60, "progress_max": 10}).content.decode()
    assert "Нижняя граница выполнения больше верхней" in page


def test_the_registry_shows_only_the_users_scope(w, client):
    make_routes(w, 2)
    RouteFactory(person=w.sibling_staff, academic_year="2022-2023")
    client.force_login(w.user("deputy"))
    assert "Найдено: 2" in client.get(reverse("reports:registry")).content.decode()
    client.force_login(w.user("municipal_methodist"))
    assert "Найдено: 3" in client.get(reverse("reports:registry")).content.decode()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_writes_exactly_the_filtered_rows(w, client, fmt, django_capture_on_commit_callbacks):
    make_routes(w, 4, status=Route.Status.IN_PROGRESS)
    make_routes(w, 3, status=Route.Status.DRAFT)
    RouteFactory(person=w.colleague, academic_year="2022-2023", status=Route.Status.IN_PROGRESS)
    w.colleague.last_name = "=cmd|' /C calc'!A0"
    w.colleague.save()
    client.force_login(w.user("deputy"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:registry_export"), {"status": "in_progress", "format": fmt})
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.DONE, job.error
    content = job.file.read()
    if fmt == "xlsx":
        wb = load_workbook(io.BytesIO(content))
        shown = list(wb["Реестр ИОМ"].iter_rows(values_only=True))
        data = list(wb["Данные"].iter_rows(values_only=True))
        assert len(shown) == len(data) == 1 + 5
        assert all(r[5] == "Реализуется" for r in data[1:])
        names = [r[2] for r in data[1:]]
        # user text never becomes a formula: a text cell, written as typed
        assert all(c.data_type == "s" for ws in wb for c in ws["C"][1:])
        assert "=cmd|' /C calc'!A0 Мария Петровна" in names
    else:
        text = content.decode("utf-8-sig").splitlines()
        assert len(text) == 1 + 5 and text[0].startswith("Муниципалитет;ОО;ФИО")
        names = [line.split(";")[2] for line in text[1:]]
        assert not any(n.startswith("=") for n in names)  # CSV has no cell types: the apostrophe stays


def test_the_municipality_dashboard_shows_table_1_in_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    from schools.models import Membership
    from tests.factories import UserFactory

    municipality = MunicipalityFactory(name="Новоселовский район")
    build_table1_records(municipality, YEARS)
    user = UserFactory(username="mm")
    Membership.objects.create(user=user, role="municipal_methodist", municipality=municipality)
    client.force_login(user)
    url = reverse("reports:municipality", args=[municipality.pk]) + "?years=2021-2022,2022-2023&sort=-share"
    # session, user, memberships, municipality, Table 1 (1 + 2), target, uninvolved, 4 indicators + list,
    # statuses, buckets, deficits, snapshots, nav/attention, the period's years; the five years' trend
    # (3 figures × 5 years, one query each, the same for any number of schools)
    with django_assert_max_num_queries(46):
        response = client.get(url)
    page = response.content.decode()
    assert "84+13=97" in page and "35+1=36" in page and "39,9" in page
    assert page.index("Игрышенская") < page.index("Комская") < page.index("Барайтская")


def test_school_dashboard_names_staff_without_a_route(w, client):
    RouteFactory(person=w.colleague)
    client.force_login(w.user("director"))
    page = client.get(reverse("reports:school", args=[w.school.pk])).content.decode()
    assert w.deputy_staff.full_name in page  # no route this year


def test_school_dashboard_draws_progress_as_a_percent_and_orders_the_school_audit_in_one_click(
        w, client, django_capture_on_commit_callbacks):
    from core.dates import current_academic_year
    from tests.routes.factories import ActivityFactory

    year = current_academic_year()
    route = RouteFactory(person=w.colleague, academic_year=year, status=Route.Status.IN_PROGRESS)
    ActivityFactory(route=route, is_done=True)
    for _ in range(3):
        ActivityFactory(route=route)
    client.force_login(w.user("director"))
    page = client.get(reverse("reports:school", args=[w.school.pk]), {"year": year}).content.decode()
    assert 'value="25" max="100"' in page and "1 из 4 (25,0 %)" in page  # not «1 %» for one done activity
    form = page[page.index('action="/reports/"'):]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form[:form.index("</form>")]))
    fields.pop("csrfmiddlewaretoken")
    assert fields == {"kind": "audit", "format": "pdf", "organisation": str(w.school.pk), "cohort": year}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:index"), fields)
    assert response.status_code == 302
    job = ReportJob.objects.get(requester=w.user("director"))
    assert (job.kind, job.format, job.params["organisation_id"], job.params["cohort"]) == ("audit", "pdf", w.school.pk, year)
    listing = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:download", args=[job.pk]) in listing, job.error  # eager Celery: ready at once


def test_build_report_command_runs_the_same_builder(tmp_path):
    municipality = MunicipalityFactory(name="Новоселовский район")
    build_table1_records(municipality, YEARS)
    out = tmp_path / "t1.pdf"
    call_command("build_report", "coverage", "--municipality", "Новоселовский район", "--years",
                 "2021-2022,2022-2023", "--format", "pdf", "--out", str(out))
    text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True).stdout.decode().split())
    for row in TABLE1:
        assert row.short_name in text
    assert "84+13=97" in text and "39,9 %" in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, check=True).stdout.decode()
    assert "PT-Serif" in fonts and "PT-Sans" in fonts
    docx = tmp_path / "t1.docx"
    call_command("build_report", "coverage", "--municipality", "Новоселовский район", "--years",
                 "2021-2022,2022-2023", "--format", "docx", "--out", str(docx))
    from docx import Document

    body = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "Задачи ММЦ" in body and "Рекомендации" in body


def test_build_report_command_explains_bad_input_in_russian(tmp_path):
    MunicipalityFactory(name="Новоселовский район")
    with pytest.raises(CommandError, match="не найден"):
        call_command("build_report", "coverage", "--municipality", "Нет такого", "--out", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="2022-2023"):
        call_command("build_report", "coverage", "--municipality", "Новоселовский район", "--years", "2022",
                     "--out", str(tmp_path / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("kind,fmt", [("indicators", "pdf"), ("audit", "pdf"), ("audit", "docx")])
def test_every_pdf_is_russian_text_with_the_school_names(tmp_path, kind, fmt):
    municipality = MunicipalityFactory(name="Новоселовский район")
    build_table1_records(municipality, YEARS)
    out = tmp_path / f"r.{fmt}"
    call_command("build_report", kind, "--municipality", "Новоселовский район", "--years", "2021-2022,2022-2023",
                 "--cohort", "2022-2023", "--format", fmt, "--out", str(out))
    if fmt == "pdf":
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True).stdout.decode()
        assert "Новоселовский район" in " ".join(text.split())
        if kind == "audit":
            # the schools of the people under 50 % are named in the letter (in their own case), and only when any are
            low = audit_figures(municipality.organisations.all(), "2022-2023").low
            words = " ".join(text.split())
            for person in low:
                assert person.organisation.split()[-1] in words  # «№11» whatever the case of the name
            assert ("менее 50 %" in words) == bool(low)
    else:
        assert out.read_bytes()[:2] == b"PK"


def test_snapshots_are_taken_once_a_day(w):
    RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS, approved_on=dt.date.today())
    services.take_snapshots(day=dt.date(2026, 11, 1))
    services.take_snapshots(day=dt.date(2026, 11, 1))
    assert FigureSnapshot.objects.filter(taken_on=dt.date(2026, 11, 1)).count() == 3 * 4  # 3 municipalities


def test_report_texts_are_kept_per_municipality_and_year_and_used_by_the_report(w, client):
    client.force_login(w.user("municipal_methodist"))
    url = reverse("reports:texts", args=[w.municipality.pk]) + "?year=2022-2023"
    client.post(url, {"tasks": "Провести РМО по ИОМ", "actions": "Семинар", "problems": "",
                      "recommendations": "Завучам:\nПроверять ИОМ", "signature": "Директор ММЦ", "version": 0})
    from tests.reports.helpers import build_file

    content = build_file("coverage", "docx", municipality_id=w.municipality.pk, years=list(YEARS))
    from docx import Document

    body = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "Провести РМО по ИОМ" in body and "Проверять ИОМ" in body and "Директор ММЦ" in body
