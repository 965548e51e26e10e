"""The project report (seed 002): figures of a small project built from raw records, read back
from `Данные`, the PDF's text and pages, who may order it, the job and the command."""

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from methodics.models import ParticipantStep, Project, Step
from reports import services
from reports.models import ReportJob
from routes.models import ExpressReview, Route
from tests.factories import OrganisationFactory, StaffFactory
from tests.methodics.factories import AttendanceFactory, EventFactory, ParticipantFactory
from tests.reports.helpers import build_file, data_sheet
from tests.routes.factories import RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db
START, END = dt.date(2021, 10, 1), dt.date(2022, 5, 31)  # seed 002: October 2021 – May 2022
SCREENSHOTS = Path("screenshots")


def _route(person, **fields):
    return RouteFactory(person=person, academic_year="2021-2022", approved_on=dt.date(2021, 10, 20), **fields)


def _review(route, reviewer, scores):
    return ExpressReview.objects.create(route=route, reviewer=reviewer, **dict(zip(
        [code for code, _ in ExpressReview.CRITERIA], scores, strict=True)))


@pytest.fixture
def w():
    return World()


@pytest.fixture
def project(w):
    """Three organisations (one without a route), four participants, two events, three reviews."""
    third = OrganisationFactory(municipality=w.municipality, short_name="ДОУ № 26")
    project = Project.objects.create(municipality=w.municipality, title="ИОМ в действии", starts_on=START,
                                     ends_on=END, goal="Разработать и апробировать механизмы работы с ИОМ на уровне ОО")
    project.organisations.set([w.school, w.sibling_school, third])
    full = _route(w.teacher_staff, status=Route.Status.COMPLETED, outcome=Route.Outcome.FULL,
                  defended_on=dt.date(2021, 11, 2), defended_place="ШМО", completed_on=dt.date(2022, 5, 10),
                  results_presented_on=dt.date(2022, 5, 20), results_presented_place="Педсовет")
    partial = _route(w.colleague, status=Route.Status.COMPLETED, outcome=Route.Outcome.PARTIAL,
                     defended_on=dt.date(2021, 11, 3), defended_place="ШМО", completed_on=dt.date(2022, 5, 12))
    going = _route(w.sibling_staff, status=Route.Status.IN_PROGRESS)
    RouteFactory(person=w.deputy_staff, academic_year="2021-2022", status=Route.Status.DRAFT)  # not approved
    _route(w.other_staff, status=Route.Status.COMPLETED, outcome=Route.Outcome.FULL)  # another municipality
    ParticipantFactory(project=project, person=w.teacher_staff, route=full)
    second = ParticipantFactory(project=project, person=w.colleague, route=partial)
    ParticipantStep.objects.create(participant=second, step=Step.PRESENTED, done_on=dt.date(2022, 5, 25),
                                   place="Круглый стол ГМФ")
    ParticipantFactory(project=project, person=w.sibling_staff, route=going)
    ParticipantFactory(project=project, person=StaffFactory(organisation=third, last_name="Безмаршрутная"))
    seminar = EventFactory(municipality=w.municipality, title="Проектирование ИОМ педагога", held_on=dt.date(2021, 11, 15))
    consultation = EventFactory(municipality=w.municipality, kind="consultation", title="Методическая консультация по ИОМ",
                                held_on=dt.date(2021, 12, 1))
    outside = EventFactory(municipality=w.municipality, title="Не в проекте", held_on=dt.date(2021, 12, 2))
    for person in (w.teacher_staff, w.colleague, w.sibling_staff):
        AttendanceFactory(event=seminar, person=person)
    for person in (w.teacher_staff, w.deputy_staff):
        AttendanceFactory(event=consultation, person=person)
    AttendanceFactory(event=outside, person=w.director_staff)
    project.events.set([seminar, consultation])
    reviewer = w.user("deputy")
    _review(full, reviewer, [0, 0, 0, 0, 0])  # superseded by the later review of the same route
    _review(full, reviewer, [2, 2, 2, 1, 0])
    _review(partial, reviewer, [2, 1, 2, 0, 1])
    return project


def test_the_project_figures_are_read_back_from_the_data_sheet(project):
    rows = {r["Код"]: r for r in data_sheet(build_file("project", project_id=project.pk))}
    values = {code: (r["Значение"], r["База"], r["Доля, %"]) for code, r in rows.items() if code != "event"}
    assert values["organisations_total"] == (3, None, None)
    assert values["organisations_with_route"] == (2, 3, 66.7)
    assert values["routes_developed"] == (3, None, None)
    assert values["routes_completed"] == (2, 3, 66.7)
    assert values["routes_completed_full"] == (1, 3, 33.3)
    assert values["routes_completed_partial"] == (1, 3, 33.3)
    assert values["participants"] == (4, None, None)
    assert values["participants_all_steps"] == (2, 4, 50.0)
    assert values["events"] == (2, None, None)
    assert values["attendance_total"] == (5, None, None)
    assert values["people_attended"] == (4, None, None)
    assert [values[f"step_{s}"][0] for s in Step.values] == [3, 2, 2, 2]
    assert values["review_resources_adequate"] == (2.0, 2, 100.0)
    assert values["review_short_horizon"] == (1.5, 2, 75.0)
    assert values["review_task_understood"] == (0.5, 2, 25.0)
    events = [r for r in data_sheet(build_file("project", project_id=project.pk)) if r["Код"] == "event"]
    assert [(e["Показатель"], e["Значение"]) for e in events] == [
        ("15.11.2021 Семинар-практикум «Проектирование ИОМ педагога»", 3),
        ("01.12.2021 Методическая консультация по ИОМ", 2),  # the kind is named once (core.words)
    ]


def test_the_project_pdf_reads_like_the_analytical_note(project):
    pdf = build_file("project", "pdf", project_id=project.pk)
    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
                    .stdout.decode().split())
    assert "Аналитическая справка по итогам реализации муниципального проекта «ИОМ в действии»" in text
    assert "Октябрь 2021 – май 2022 года" in text
    assert "Количество разработанных ИОМ — 3" in text
    assert "Количество успешно реализованных ИОМ — 2 (66,7 % от разработанных)" in text
    assert "участников проекта муниципального уровня" in text and "— 2 из 4" in text
    assert "Проектирование ИОМ педагога" in text and "Безмаршрутная" in text and "ДОУ № 26" in text
    assert "наиболее сложными остаются" in text.lower()
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / "report_project.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(SCREENSHOTS / "report_project.pdf"),
                    str(SCREENSHOTS / "report_project")], check=True)
    assert list(SCREENSHOTS.glob("report_project-*.png"))


def test_a_project_without_events_or_reviews_still_gives_its_report(w):
    project = Project.objects.create(municipality=w.municipality, title="Пустой", starts_on=START, ends_on=END)
    rows = {r["Код"]: r for r in data_sheet(build_file("project", project_id=project.pk))}
    assert rows["participants"]["Значение"] == 0 and rows["participants_all_steps"]["Доля, %"] is None
    pdf = build_file("project", "pdf", project_id=project.pk)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Мероприятия проекта не отмечены" in text and "не проводилась" in text


@pytest.mark.parametrize(("role", "allowed"), [
    ("municipal_methodist", True), ("regional_methodist", True), ("admin", True),
    ("director", False), ("deputy", False), ("teacher", False),
])
def test_the_project_report_is_for_the_methodists_of_its_municipality_and_admins(w, project, role, allowed):
    assert services.may_build(w.user(role), "project", {"project_id": project.pk}) is allowed


def test_a_methodist_of_another_municipality_may_not_order_it(w):
    other = Project.objects.create(municipality=w.other_municipality, title="Чужой", starts_on=START, ends_on=END)
    assert not services.may_build(w.user("municipal_methodist"), "project", {"project_id": other.pk})
    assert not services.may_build(w.user("municipal_methodist"), "project", {"project_id": 999999})


def test_a_methodist_orders_the_project_report_from_the_reports_page(w, project, client,
                                                                    django_capture_on_commit_callbacks):
    client.force_login(w.user("municipal_methodist"))
    page = client.get(reverse("reports:index"))
    assert "ИОМ в действии" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:index"), {"kind": "project", "format": "pdf",
                                                          "project": project.pk, "cohort": "2021-2022"})
    assert response.status_code == 302
    job = ReportJob.objects.get(requester=w.user("municipal_methodist"))
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.params["project_id"] == project.pk and "ИОМ в действии" in job.description
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 200


def test_ordering_the_project_report_without_a_project_says_so(w, client):
    client.force_login(w.user("municipal_methodist"))
    response = client.post(reverse("reports:index"), {"kind": "project", "format": "xlsx",
                                                      "municipality": w.municipality.pk, "cohort": "2021-2022"})
    assert "Выберите муниципальный проект." in response.content.decode()
    assert not ReportJob.objects.exists()


def test_the_command_builds_the_project_report_by_its_title(w, project, tmp_path):
    out = tmp_path / "project.xlsx"
    call_command("build_report", "project", "--municipality", w.municipality.name, "--project", "иом в действии",
                 "--out", str(out))
    rows = {r["Код"]: r["Значение"] for r in data_sheet(out.read_bytes())}
    assert rows["routes_developed"] == 3
    with pytest.raises(CommandError, match="укажите --project"):
        call_command("build_report", "project", "--municipality", w.municipality.name, "--out", str(out))
    with pytest.raises(CommandError, match="не найден"):
        call_command("build_report", "project", "--municipality", w.municipality.name, "--project", "Нет такого",
                     "--out", str(out))
