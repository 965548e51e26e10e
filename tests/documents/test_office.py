"""Every DOCX and XLSX the portal builds, opened in a real office suite (LibreOffice headless):
converted to PDF in one soffice call, no table header word is broken across lines, and the ИОМ
runs to as many pages from Word as from WeasyPrint (within one page).

Skipped only when soffice is absent and IOM_REQUIRE_SERVICES is unset (`make system-packages`
installs libreoffice-writer-nogui and libreoffice-calc-nogui)."""

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import uuid

import pytest
from docx import Document
from openpyxl import load_workbook

from core import xlsx_tools
from devdata.demo import build_table1_records
from methodics.models import Project
from reports.builders import ReportParams, build
from reports.selectors.registry import registry_queryset, registry_sorted
from routes.documents.builders import iom_docx, iom_pdf
from routes.models import Route
from tests.conftest import REQUIRE_SERVICES
from tests.factories import MunicipalityFactory
from tests.routes.documents.factories import route_with_roadmap

SOFFICE = shutil.which("soffice")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(SOFFICE is None and not REQUIRE_SERVICES,
                       reason="LibreOffice (soffice) is not installed: make system-packages installs it"),
]
YEARS = ["2021-2022", "2022-2023"]
WORD = re.compile(r"[A-Za-zА-Яа-яЁё]{4,}")


def _report(kind: str, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    params = ReportParams.from_dict(params)
    extra = {"queryset": registry_sorted(registry_queryset(Route.objects.all()), "municipality")} if kind == "registry" else {}
    build(kind, fmt, params, out, **extra)
    return out.getvalue()


def docx_header_words(content: bytes) -> set[str]:
    """Words of each table's header: the rows repeated on every page, or the first row."""
    words = set()
    for table in Document(io.BytesIO(content)).tables:
        rows = [r for r in table.rows if r._tr.trPr is not None and r._tr.trPr.xpath("./w:tblHeader")]
        for row in rows or table.rows[:1]:
            for cell in row.cells:
                if any(run.bold for p in cell.paragraphs for run in p.runs):
                    words |= set(WORD.findall(cell.text))
    return words


def xlsx_header_words(content: bytes) -> set[str]:
    words = set()
    for ws in load_workbook(io.BytesIO(content)).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.fill.fgColor.rgb in ("00E9EEF5", "FFE9EEF5"):
                    words |= set(WORD.findall(cell.value))
    return words


def to_pdf(files: dict[str, bytes], tmp_path) -> dict[str, bytes]:
    """All files in one soffice call (it is slow to start), with a private profile."""
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    profile = f"file:///tmp/iom-office-{uuid.uuid4().hex}"
    subprocess.run([SOFFICE or "soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "pdf"), *(str(tmp_path / n) for n in files)],
                   check=True, capture_output=True, timeout=300)
    shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    if os.environ.get("IOM_OFFICE_KEEP"):  # a folder to keep the files and their PDFs in, to look at them
        shutil.copytree(tmp_path, os.environ["IOM_OFFICE_KEEP"], dirs_exist_ok=True)
    return {name: (tmp_path / "pdf" / f"{name.rsplit('.', 1)[0]}.pdf").read_bytes() for name in files}


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


@pytest.fixture
def documents():
    municipality = MunicipalityFactory(name="Новоселовский район")
    build_table1_records(municipality, YEARS)
    project = Project.objects.create(municipality=municipality, title="ИОМ в действии", starts_on=dt.date(2021, 10, 1),
                                     ends_on=dt.date(2022, 5, 31), goal="Апробировать механизмы работы с ИОМ")
    route = route_with_roadmap(15)
    m, school = municipality.pk, municipality.organisations.order_by("pk").first().pk
    return {
        "iom_docx.docx": iom_docx(route),
        "coverage_docx.docx": _report("coverage", "docx", municipality_id=m, years=YEARS),
        "coverage_xlsx.xlsx": _report("coverage", "xlsx", municipality_id=m, years=YEARS),
        "audit_docx.docx": _report("audit", "docx", municipality_id=m, cohort=YEARS[0]),
        "audit_xlsx.xlsx": _report("audit", "xlsx", municipality_id=m, cohort=YEARS[0]),
        "school_audit_docx.docx": _report("audit", "docx", organisation_id=school, cohort=YEARS[0]),
        "school_audit_xlsx.xlsx": _report("audit", "xlsx", organisation_id=school, cohort=YEARS[0]),
        "indicators_xlsx.xlsx": _report("indicators", "xlsx", municipality_id=m, years=YEARS),
        "project_xlsx.xlsx": _report("project", "xlsx", project_id=project.pk),
        "project_docx.docx": _report("project", "docx", project_id=project.pk),
        "registry_xlsx.xlsx": _report("registry", "xlsx"),
        "region_xlsx.xlsx": _report("region", "xlsx", region_id=municipality.region_id, years=YEARS),
    }, iom_pdf(route)


def test_office_suite_opens_every_document_without_breaking_header_words(documents, tmp_path):
    files, iom_weasy = documents
    pdfs = to_pdf(files, tmp_path)
    for name, content in files.items():
        words = docx_header_words(content) if name.endswith(".docx") else xlsx_header_words(content)
        if name.startswith(("iom", "coverage", "registry", "indicators", "project", "region")):
            assert words, f"{name}: no table header found"  # the audit letter to a municipality has no table
        text = pdf_text(pdfs[name])
        broken = sorted(w for w in words if w not in text)
        assert not broken, f"{name}: header words broken across lines in LibreOffice: {broken}"
    from_word, from_weasy = pages(pdfs["iom_docx.docx"]), pages(iom_weasy)
    assert abs(from_word - from_weasy) <= 1, f"ИОМ: {from_word} pages from DOCX, {from_weasy} from WeasyPrint"


def test_the_percent_format_shows_a_share_as_per_cent():
    assert xlsx_tools.percent(47.6) == 0.476 and xlsx_tools.number_format(xlsx_tools.percent(47.6)) == "0.0 %"
