"""The narrative of the project's report (seed 002): defaults from the project's data, the methodist's
edit, the restore, and the same texts in the PDF and the DOCX."""

import datetime as dt
import io
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from docx import Document

from methodics.models import ProjectReportText
from methodics.projects import selectors, services, texts
from methodics.services import MethodicsError
from reports.builders import ReportParams, build
from tests.methodics.factories import AttendanceFactory, EventFactory
from tests.world import World

pytestmark = pytest.mark.django_db
START, END = dt.date(2021, 10, 1), dt.date(2022, 5, 31)


@pytest.fixture
def w():
    return World()


@pytest.fixture
def project(w):
    event = EventFactory(municipality=w.municipality, held_on=dt.date(2021, 11, 19), title="Консультация по ИОМ")
    AttendanceFactory(event=event, person=w.teacher_staff)
    AttendanceFactory(event=event, person=w.colleague)
    project = services.project_create(
        actor=w.user("municipal_methodist"), municipality=w.municipality,
        data={"title": "ИОМ в действии", "starts_on": START, "ends_on": END}, organisations=[w.school],
        events=[event])
    services.participant_add(actor=w.user("municipal_methodist"), project=project, person=w.teacher_staff)
    return project


def _figures(project):
    return selectors.project_figures(project, selectors.project_participants(project))


def _report(project, fmt: str) -> bytes:
    out = io.BytesIO()
    build("project", fmt, ReportParams.from_dict({"project_id": project.pk, "municipality_id": project.municipality_id}),
          out)
    return out.getvalue()


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_defaults_are_written_from_the_projects_data(project):
    defaults = texts.default_texts(project, _figures(project))
    assert set(defaults) == set(ProjectReportText.SECTIONS)
    assert "– 19.11.2021: " in defaults["stages"] and "«Консультация по ИОМ» (2 чел.)" in defaults["stages"]
    assert "1 педагог из 1 образовательной организации" in defaults["conclusions"]
    assert "не прошедших все четыре шага (1 чел.)" in defaults["proposals"]  # the participant has no steps yet
    assert defaults["signature"].startswith("Руководитель проекта")


def test_the_methodists_text_replaces_a_default_and_an_empty_section_prints_its_default(w, project):
    methodist = w.user("municipal_methodist")
    services.project_text_save(actor=methodist, project=project, version=0,
                               data={"problem": "Педагоги не видят ценности ИОМ.", "conclusions": ""})
    printed = texts.project_texts(project, _figures(project))
    assert printed["problem"] == "Педагоги не видят ценности ИОМ."
    assert printed["conclusions"] == texts.default_texts(project, _figures(project))["conclusions"]
    for text in (_docx_text(_report(project, "docx")),):
        assert "Педагоги не видят ценности ИОМ." in text and "Предложения на будущий учебный год" in text


def test_a_stale_version_is_refused_and_a_stranger_may_not_write(w, project):
    methodist = w.user("municipal_methodist")
    services.project_text_save(actor=methodist, project=project, version=0, data={"problem": "Первая правка"})
    with pytest.raises(MethodicsError, match="уже изменил другой пользователь"):
        services.project_text_save(actor=methodist, project=project, version=0, data={"problem": "Вторая"})
    with pytest.raises(PermissionDenied):
        services.project_text_save(actor=w.user("deputy"), project=project, version=1, data={"problem": "Чужая"})
    assert ProjectReportText.objects.get().problem == "Первая правка"


def test_the_page_edits_and_restores_the_defaults(w, client, project):
    client.force_login(w.user("municipal_methodist"))
    url = reverse("methodics:project_texts", args=[project.pk])
    page = client.get(url).content.decode()
    assert "Консультация по ИОМ" in page and "Восстановить текст по умолчанию" not in page
    data = {**texts.default_texts(project, _figures(project)), "version": 0, "proposals": "Продолжить семинары."}
    assert client.post(url, data).status_code == 302
    assert ProjectReportText.objects.get().proposals == "Продолжить семинары."
    page = client.get(url).content.decode()
    assert "Продолжить семинары." in page and "Восстановить текст по умолчанию" in page
    assert client.post(url, {"restore": "1"}).status_code == 302
    assert not ProjectReportText.objects.exists()
    assert "Продолжить семинары." not in client.get(url).content.decode()


def test_pdf_and_docx_hold_the_same_narrative_figures_events_and_steps(project):
    pdf = subprocess.run(["pdftotext", "-", "-"], input=_report(project, "pdf"), capture_output=True,
                         check=True).stdout.decode()
    docx = _docx_text(_report(project, "docx"))
    for expected in ("Проблема", "Задачи проекта", "Ожидаемый результат проекта", "Продукт проекта",
                     "Ход реализации проекта", "Консультация по ИОМ", "Критерии эффективности проекта", "Выводы",
                     "Предложения на будущий учебный год", "Приложение. Участники проекта и их шаги",
                     "Руководитель проекта"):
        assert expected in docx, expected
        assert expected in " ".join(pdf.split()), expected
