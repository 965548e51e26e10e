"""The region's analytical report: Table 1 and the audit by municipality (reports/builders/region.py)."""

import io
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.dates import academic_year_bounds, last_completed_academic_years
from reports import services
from reports.builders import ReportError, ReportParams, build
from reports.models import ReportJob
from reports.selectors.audit import audit_figures
from reports.selectors.common import SCHOOL_KINDS
from reports.selectors.coverage import coverage_table
from routes.models import Route
from schools.models import Organisation
from tests.routes.factories import RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    w = World()
    cohort = last_completed_academic_years(1)[0]
    start, _ = academic_year_bounds(cohort)
    for person in (w.teacher_staff, w.colleague, w.other_staff):
        RouteFactory(person=person, academic_year=cohort, status=Route.Status.COMPLETED,
                     approved_on=start.replace(month=10), credited_on=start.replace(month=11))
    return w


def test_the_region_report_has_a_table_1_row_and_an_audit_row_per_municipality(w):
    cohort = last_completed_academic_years(1)[0]
    params = ReportParams.from_dict({"region_id": w.region.pk, "years": [cohort], "cohort": cohort})
    out = io.BytesIO()
    build("region", "xlsx", params, out)
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["Таблица 1", "Аудит", "Данные"]
    data = [[c.value for c in row] for row in book["Данные"].iter_rows(min_row=2)]
    for municipality in (w.municipality, w.other_municipality):
        schools = Organisation.objects.filter(municipality=municipality, kind__in=SCHOOL_KINDS)
        total = coverage_table(schools, [cohort]).total
        share_row = next(r for r in data if r[1] == municipality.name and r[0] == "coverage_share")
        assert share_row[4:6] == [total.with_route, total.staff]  # Table 1's own figures, recounted nowhere else
        audit = audit_figures(Organisation.objects.filter(municipality=municipality), cohort)
        developed = next(r for r in data if r[1] == municipality.name and r[0] == "developed")
        assert developed[4] == audit.developed
    assert next(r for r in data if r[1] == w.municipality.name and r[0] == "developed")[4] == 2
    # the far region's municipality is not in the region's report
    assert w.far_municipality.name not in {r[1] for r in data}
    audit_names = [row[0].value for row in book["Аудит"].iter_rows() if row[0].value]
    assert w.municipality.name in audit_names and w.other_municipality.name in audit_names


def test_the_region_report_builds_as_pdf(w, tmp_path):
    out = io.BytesIO()
    build("region", "pdf", ReportParams.from_dict({"region_id": w.region.pk}), out)
    pdf = tmp_path / "region.pdf"
    pdf.write_bytes(out.getvalue())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "по муниципалитетам" in text and w.municipality.name in text and w.other_municipality.name in text


def test_the_region_report_needs_a_region():
    with pytest.raises(ReportError, match="регион"):
        build("region", "xlsx", ReportParams.from_dict({}), io.BytesIO())


def test_only_the_regions_methodists_may_order_it(w):
    params = {"region_id": w.region.pk}
    assert services.may_build(w.user("regional_methodist"), "region", params)
    assert services.may_build(w.user("admin"), "region", params)
    assert not services.may_build(w.user("municipal_methodist"), "region", params)
    assert not services.may_build(w.user("regional_methodist"), "region", {"region_id": w.other_region.pk})


def test_the_region_dashboard_orders_the_region_report(w, client, django_capture_on_commit_callbacks):
    client.force_login(w.user("regional_methodist"))
    page = client.get(reverse("reports:region", args=[w.region.pk])).content.decode()
    assert f"?kind=region&amp;region={w.region.pk}&amp;years=" in page
    form = client.get(reverse("reports:index"), {"kind": "region", "region": w.region.pk}).context["form"]
    assert form["kind"].value() == "region" and form["region"].value() == w.region.pk
    cohort = last_completed_academic_years(1)[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:index"), {
            "kind": "region", "format": "xlsx", "region": w.region.pk, "municipality": w.municipality.pk,
            "years": [cohort], "cohort": cohort})
    assert response.status_code == 302
    job = ReportJob.objects.get(kind="region")
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.params["region_id"] == w.region.pk and w.region.name in job.description
    # a municipal methodist is not offered the region's report
    client.force_login(w.user("municipal_methodist"))
    form = client.get(reverse("reports:index")).context["form"]
    assert "region" not in form.fields and "region" not in dict(form.fields["kind"].choices)
