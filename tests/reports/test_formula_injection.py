"""No workbook the portal writes turns user text into a formula.

Every text field that reaches a sheet (names, titles, organisation and municipality names,
positions, competencies, the methodist's problems and recommendations, indicator names) starts
with each prefix a spreadsheet may read as a formula. Every cell of every sheet of every report
kind must be text or a number, never a formula or an error value; text starting with such a
prefix carries quotePrefix (editing the cell keeps it text); and the text reads as it was written,
with no apostrophe added.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.dates import academic_year_bounds, last_completed_academic_years
from core.files import write_cell, write_row
from core.imports.files import export_xlsx
from core.imports.registry import get_kind
from diagnostics.models import Competency, Deficit
from methodics.models import Project
from reports.builders import BUILDERS, ReportParams, build
from reports.models import Indicator, MunicipalReportText, ReportJob
from reports.selectors.registry import registry_queryset
from routes.models import Route
from routes.monitor.selectors import monitor_rows
from schools.models import Membership
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    StaffFactory,
)
from tests.methodics.factories import AttendanceFactory, EventFactory, ParticipantFactory
from tests.routes.factories import ActivityFactory, RouteFactory, group
from tests.world import World

pytestmark = pytest.mark.django_db

PREFIXES = ["=", "+", "-", "@", "\t", "\r"]
PREFIX_IDS = ["equals", "plus", "minus", "at", "tab", "cr"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def hostile(prefix: str, label: str) -> str:
    return f'{prefix}HYPERLINK("http://evil.example/{label}";"{label}")'


@dataclass
class HostileData:
    """What was planted: `exact` must be some cell's whole value, `within` part of one
    (a title or a numbered line that starts with the portal's own words)."""

    params: dict
    exact: list[str] = field(default_factory=list)
    within: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def plant(prefix: str) -> dict[str, HostileData]:
    """One municipality whose every text field is hostile, and what each report must show of it."""
    h = lambda label: hostile(prefix, label)  # noqa: E731
    cohort = last_completed_academic_years(1)[0]
    start, _end = academic_year_bounds(cohort)
    region = RegionFactory(name=h("region"))
    municipality = MunicipalityFactory(region=region, name=h("municipality"), methodical_centre=h("centre"))
    school = OrganisationFactory(municipality=municipality, short_name=h("school"), name=h("school-full"))
    teacher = StaffFactory(organisation=school, last_name=h("last"), first_name=h("first"), middle_name=h("middle"),
                           position=h("position"))
    route = RouteFactory(person=teacher, academic_year=cohort, status=Route.Status.IN_PROGRESS,
                         approved_on=start + dt.timedelta(days=30), topic=h("topic"), goal=h("route-goal"))
    for i in range(3):  # none done: the teacher is named among those under 50 %
        ActivityFactory(route=route, title=h(f"activity{i}"), note=h(f"note{i}"))
    competency = Competency.objects.create(group=group(), code=f"X{PREFIXES.index(prefix)}", name=h("competency"))
    route.deficits.add(Deficit.objects.create(person=teacher, competency=competency, detected_on=start))
    MunicipalReportText.objects.create(
        municipality=municipality, academic_year=cohort, tasks=h("tasks"), actions=h("actions"),
        problems=h("problem"), recommendations=f"{h('heading')}:\n{h('advice')}", signature=h("signature"))
    project = Project.objects.create(municipality=municipality, title=h("project"), goal=h("goal"),
                                     starts_on=start, ends_on=start + dt.timedelta(days=240))
    project.organisations.set([school])
    ParticipantFactory(project=project, person=teacher, route=route)
    event = EventFactory(municipality=municipality, title=h("event"), held_on=start + dt.timedelta(days=45))
    AttendanceFactory(event=event, person=teacher)
    project.events.set([event])
    unit = f"{prefix}A1"  # the unit field holds 20 characters
    Indicator.objects.update(name=h("indicator"), unit=unit)

    # `lines()` strips what the methodist typed, so those texts come back without a leading tab or CR
    stripped = [h("problem").strip(), h("heading").strip(), h("advice").strip()]
    return {
        "coverage": HostileData({"municipality_id": municipality.pk, "years": [cohort]}, exact=[school.short_name],
                                within=[municipality.name, *stripped]),
        "audit": HostileData({"municipality_id": municipality.pk, "cohort": cohort},
                             exact=[school.short_name, teacher.short_name], within=[municipality.name]),
        "project": HostileData({"project_id": project.pk},
                               exact=[project.goal, event.title, municipality.methodical_centre, teacher.full_name,
                                      teacher.position, school.short_name],
                               within=[project.title, municipality.name]),
        "indicators": HostileData({"municipality_id": municipality.pk}, exact=[h("indicator"), unit],
                                  within=[municipality.name]),
        "region": HostileData({"region_id": region.pk, "years": [cohort], "cohort": cohort},
                              exact=[municipality.name], within=[region.name]),
        "monitor": HostileData({}, exact=[municipality.name, school.short_name, teacher.full_name, teacher.position],
                               extra={"queryset": monitor_rows(MembershipFactory(
                                   role=Membership.Role.MUNICIPAL_METHODIST, municipality=municipality).user, cohort)}),
        "registry": HostileData({}, exact=[municipality.name, school.short_name, teacher.full_name, teacher.position,
                                           competency.name],
                                extra={"queryset": registry_queryset(Route.objects.filter(
                                    organisation__municipality=municipality))}),
    }


def assert_every_cell_is_text_or_a_value(content: bytes, planted: HostileData) -> None:
    book = load_workbook(io.BytesIO(content))  # not read-only: quotePrefix is a cell style
    texts = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                where = f"{ws.title}!{cell.coordinate} = {cell.value!r}"
                assert cell.data_type not in ("f", "e"), where
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value.startswith(FORMULA_START):
                        assert cell.data_type == "s" and cell.quotePrefix, where
    for text in planted.exact:
        assert text in texts, f"{text!r} is not a cell of its own"
    for text in planted.within:
        assert any(text in t for t in texts), f"{text!r} is in no cell"


def test_every_report_kind_is_covered():
    assert set(BUILDERS) == {"coverage", "audit", "project", "indicators", "registry", "region", "monitor"}
    assert {kind for kind in BUILDERS if "xlsx" in BUILDERS[kind].formats} == set(BUILDERS)


@pytest.mark.parametrize("prefix", PREFIXES, ids=PREFIX_IDS)
@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_no_report_workbook_cell_is_a_formula(kind, prefix):
    planted = plant(prefix)[kind]
    out = io.BytesIO()
    build(kind, "xlsx", ReportParams.from_dict(planted.params), out, **planted.extra)
    assert_every_cell_is_text_or_a_value(out.getvalue(), planted)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_registry_export_writes_user_text_as_text(fmt, client, django_capture_on_commit_callbacks):
    w = World()
    names = [hostile(p, "name") for p in PREFIXES] + ["=cmd|' /C calc'!A0", "#N/A"]
    for i, name in enumerate(names):
        person = StaffFactory(organisation=w.school, last_name=name, first_name="Анна", middle_name="",
                              position=hostile(PREFIXES[i % len(PREFIXES)], "position"))
        RouteFactory(person=person, status=Route.Status.IN_PROGRESS)
    client.force_login(w.user("deputy"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:registry_export"), {"status": "in_progress", "format": fmt})
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.DONE, job.error
    content = job.file.read()
    expected = [f"{name} Анна" for name in names]
    if fmt == "xlsx":
        assert_every_cell_is_text_or_a_value(content, HostileData({}, exact=expected))
    else:
        # CSV has no cell types: the OWASP apostrophe, which the portal's import strips again
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
        shown = {row[2] for row in rows[1:]}
        assert shown == {("'" + n) if n.startswith(FORMULA_START) else n for n in expected}
        assert not any(field.startswith(FORMULA_START) for row in rows[1:] for field in row)


@pytest.mark.parametrize("prefix", PREFIXES, ids=PREFIX_IDS)
def test_the_staff_export_in_import_format_has_no_formula(prefix):
    """core.imports.files writes through core.files.write_row like every workbook: the text is kept as
    written, in a text cell, and the export loads back unchanged."""
    w = World()
    StaffFactory(organisation=w.school, last_name=hostile(prefix, "last"), position=hostile(prefix, "position"))
    kind = get_kind("staff")
    content = export_xlsx(kind, kind.export_queryset(w.user("admin"), {}))
    book = load_workbook(io.BytesIO(content))
    values = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.data_type in ("f", "e")]
    assert hostile(prefix, "last").strip() in [v.strip() for v in values if isinstance(v, str)]


@pytest.mark.parametrize("write_only", [False, True], ids=["normal", "write-only"])
def test_the_cell_helper_keeps_numbers_dates_and_plain_text_as_they_are(write_only):
    book = Workbook(write_only=write_only)
    ws = book.create_sheet("Лист")
    write_row(ws, [12, 1.5, dt.date(2023, 3, 1), None, "Иванова Мария", "=1+1", "#DIV/0!", "-5"])
    if not write_only:
        write_cell(ws, 2, 1, "=SUM(A1:B1)")
        write_cell(ws, 2, 2, 7)
    out = io.BytesIO()
    book.save(out)
    ws = load_workbook(io.BytesIO(out.getvalue()))["Лист"]
    first = [(c.value, c.data_type, bool(c.quotePrefix)) for c in ws[1]]
    assert first == [(12, "n", False), (1.5, "n", False), (dt.datetime(2023, 3, 1), "d", False), (None, "n", False),
                     ("Иванова Мария", "s", False), ("=1+1", "s", True), ("#DIV/0!", "s", True), ("-5", "s", True)]
    if not write_only:
        assert [(c.value, c.data_type) for c in ws[2][:2]] == [("=SUM(A1:B1)", "s"), (7, "n")]
