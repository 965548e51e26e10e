"""The ИОМ document: what the PDF and the DOCX hold, built from one context."""

import datetime as dt
import io
import zipfile

import pytest
from django.template.loader import render_to_string
from docx import Document

from routes.documents.builders import TEMPLATE, iom_context, iom_docx, iom_filename, iom_pdf
from routes.models import Evidence, Route, RouteTask
from schools.models import Membership, StaffMember
from tests.routes.documents.factories import ActivityFactory, route_with_roadmap

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = '<script>alert("x")</script> =HYPERLINK("http://evil.example","жми")'
HOSTILE_NOTE = "«Ёлочка» \"лапки\" 'апостроф' & <b>жирный</b>"


def finished(route: Route, **fields) -> Route:
    values = dict(
        status=Route.Status.COMPLETED, reflection="Освоила критериальное оценивание, провела открытый урок.",
        outcome=Route.Outcome.PARTIAL, results_comment="Рекомендовано продолжить работу над темой.",
        results_presented_on=dt.date(2026, 5, 20), results_presented_place="ШМО учителей математики",
        completed_on=dt.date(2026, 5, 25),
    )
    values.update(fields)
    for name, value in values.items():
        setattr(route, name, value)
    route.save()
    return route


def test_pdf_holds_the_teacher_and_every_activity(read_pdf):
    route = route_with_roadmap(15)
    text = read_pdf(iom_pdf(route))
    assert route.person.full_name in text
    assert route.organisation.name in text
    for title in route.activities.values_list("title", flat=True):
        assert title in text, title
    for heading in ("Информационная справка о педагоге", "Пояснительная записка", "Дорожная карта"):
        assert heading in text
    for group in ("Предметные", "Методические", "Профессиональ"):
        assert group in text


def test_pdf_is_a4_with_pt_fonts(tmp_path):
    import subprocess

    path = tmp_path / "iom.pdf"
    path.write_bytes(iom_pdf(route_with_roadmap(4)))
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    assert "PT-Serif" in fonts and "PT-Sans" in fonts
    assert "Liberation" not in fonts and "DejaVu" not in fonts, fonts


def test_docx_holds_the_teacher_and_every_activity(read_docx):
    route = route_with_roadmap(15)
    text = read_docx(iom_docx(route))
    assert route.person.full_name in text
    for title in route.activities.values_list("title", flat=True):
        assert title in text, title
    document = Document(io.BytesIO(iom_docx(route)))
    roadmap = next(t for t in document.tables if t.rows[0].cells[0].text == "Срок")
    assert [c.text for c in roadmap.rows[0].cells] == [
        "Срок", "Мероприятие", "Подтверждающий документ", "Отметка о выполнении", "Примечание",
    ]
    assert len(roadmap.rows) == 1 + 4 + 15  # the header, a row per direction, the activities
    # no row of the roadmap runs over a page break
    assert all(r._tr.trPr is not None and r._tr.trPr.xpath("./w:cantSplit") for r in roadmap.rows[1:])
    section = document.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.5)


def test_results_appear_only_once_the_route_is_completed(read_pdf, read_docx):
    route = route_with_roadmap(4, status=Route.Status.IN_PROGRESS, reflection="Черновик рефлексии")
    assert "Результаты реализации" not in read_pdf(iom_pdf(route))
    assert "Результаты реализации" not in read_docx(iom_docx(route))

    finished(route)
    for text in (read_pdf(iom_pdf(route)), read_docx(iom_docx(route))):
        assert "Результаты реализации ИОМ" in text
        assert "Освоила критериальное оценивание" in text
        assert "Достигнут частично" in text and "Достигнут полностью" in text and "Не достигнут" in text
        assert "Рекомендовано продолжить работу над темой." in text
        assert "20.05.2026, ШМО учителей математики" in text


def test_submitted_results_show_the_teachers_outcome_as_not_yet_accepted(read_docx):
    route = route_with_roadmap(2, status=Route.Status.RESULTS_SUBMITTED, reflection="Итоги",
                               outcome_proposed=Route.Outcome.FULL)
    results = iom_context(route)["results"]
    assert [o.label for o in results["outcomes"] if o.chosen] == ["Достигнут полностью"]
    assert "ожидают решения" in read_docx(iom_docx(route))


def test_not_done_activities_are_marked_once_results_are_reported():
    route = finished(route_with_roadmap(3))
    marks = [row.mark for group in iom_context(route)["roadmap"] for row in group.rows]
    assert marks.count("Не выполнено") == 2
    assert any(mark.startswith("Выполнено ") for mark in marks)


def test_hostile_text_is_escaped_in_html_and_literal_in_pdf_and_docx(read_pdf, read_docx):
    route = route_with_roadmap(1, topic=HOSTILE_NOTE, goal=HOSTILE_TITLE)
    activity = ActivityFactory(route=route, title="<script>1</script>", note=HOSTILE_NOTE,
                               confirming_document='=HYPERLINK("http://evil.example")')
    html = render_to_string(TEMPLATE, iom_context(route))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;жирный&lt;/b&gt;" in html

    pdf = read_pdf(iom_pdf(route))
    assert "<script>1</script>" in pdf
    assert "«Ёлочка»" in pdf

    content = iom_docx(route)
    text = read_docx(content)
    assert HOSTILE_TITLE in text and HOSTILE_NOTE in text and activity.title in text
    xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    # Formula-looking text stays a plain run: no field, no hyperlink relation is created.
    assert "instrText" not in xml and "fldSimple" not in xml and "w:hyperlink" not in xml


def test_control_characters_in_user_text_do_not_break_the_docx(read_docx):
    # No NUL here: PostgreSQL refuses it in text columns before the document is ever built.
    route = route_with_roadmap(1, topic="Тема\x0bс\x0cуправляющими\x1fсимволами")
    assert "Темасуправляющимисимволами" in read_docx(iom_docx(route))


def test_draft_card_falls_back_to_the_live_staff_record():
    route = route_with_roadmap(1, card={})
    person = route.person
    person.education = "Высшее, ЗабГГПУ, 2005"
    person.qualification_category = StaffMember.Category.FIRST
    person.attested_on = dt.date(2023, 12, 15)
    person.experience_years = 21
    person.save()
    rows = {row.label: row.value for row in iom_context(route)["card_rows"]}
    assert rows["Образование"] == "Высшее, ЗабГГПУ, 2005"
    assert rows["Квалификационная категория"] == "первая"
    assert rows["Дата аттестации"] == "15.12.2023"
    assert rows["Педагогический стаж"] == "21 год"
    assert "еще не подан" in iom_context(route)["card_note"]


def test_the_card_names_the_mentor_of_the_pair_over_the_routes_period():
    from tests.factories import StaffFactory
    from tests.methodics.factories import PairFactory

    route = route_with_roadmap(1, card={})
    route.starts_on, route.ends_on = dt.date(2025, 9, 1), dt.date(2026, 5, 31)
    route.save(update_fields=["starts_on", "ends_on"])
    person = route.person
    PairFactory(mentee=person, mentor=StaffFactory(organisation=person.organisation, last_name="Прежняя"),
                starts_on=dt.date(2023, 9, 1), ends_on=dt.date(2024, 5, 31))
    assert "Наставник" not in {row.label for row in iom_context(route)["card_rows"]}
    PairFactory(mentee=person, mentor=StaffFactory(organisation=person.organisation, last_name="Нынешняя"),
                starts_on=dt.date(2025, 10, 1))
    rows = {row.label: row.value for row in iom_context(route)["card_rows"]}
    assert rows["Наставник"].startswith("Нынешняя")


def test_submitted_card_shows_the_snapshot_not_the_live_record():
    route = route_with_roadmap(1, card={
        "position": "учитель физики", "subject": "физика", "education": "Среднее специальное",
        "qualification_category": "highest", "attested_on": "2022-04-01", "experience_years": 12,
        "courses": [{"dates": "2024-03-01", "topic": "Функциональная грамотность", "hours": 36}, "2021 — ФГОС ООО"],
    })
    route.person.education = "Высшее (получено позже)"
    route.person.save()
    context = iom_context(route)
    rows = {row.label: row.value for row in context["card_rows"]}
    assert rows["Занимаемая должность, предмет"] == "учитель физики"  # the subject said once (core.words.position_label)
    assert rows["Образование"] == "Среднее специальное"
    assert rows["Квалификационная категория"] == "высшая"
    assert rows["Дата аттестации"] == "01.04.2022"
    assert rows["Педагогический стаж"] == "12 лет"
    assert context["courses"] == ["01.03.2024 — Функциональная грамотность (36 ч)", "2021 — ФГОС ООО"]


def test_confirming_column_lists_the_evidence():
    route = route_with_roadmap(1)
    activity = route.activities.get()
    Evidence.objects.create(activity=activity, kind=Evidence.Kind.CERTIFICATE, original_name="сертификат.pdf")
    Evidence.objects.create(activity=activity, kind=Evidence.Kind.LINK, url="https://school.example/report")
    rows = [row for group in iom_context(route)["roadmap"] for row in group.rows]
    assert rows[0].confirming == [
        "Сертификат участника", "Сертификат: сертификат.pdf", "Ссылка: https://school.example/report",
    ]


def test_every_roadmap_group_is_listed_even_without_activities():
    route = route_with_roadmap(1)
    groups = iom_context(route)["roadmap"]
    assert [g.name for g in groups] == ["Предметные", "Методические", "Психолого-педагогические",
                                        "Профессионально-личностные"]
    assert [len(g.rows) for g in groups] == [1, 0, 0, 0]


def test_context_makes_the_same_number_of_queries_for_5_and_40_activities(django_assert_num_queries):
    small, large = route_with_roadmap(5), route_with_roadmap(40)
    for route in (small, large):
        route = Route.objects.select_related("person", "organisation__municipality__region").get(pk=route.pk)
        # tasks, deficits with competencies, activities with group and kind, their evidence,
        # the roadmap groups of the framework, the author's mentoring pair
        # the transition log with its actors and their staff records, the earlier courses of a draft
        with django_assert_num_queries(8):
            iom_context(route)


def test_filename_is_russian_and_safe():
    route = route_with_roadmap(1)
    route.person.last_name = "Иванова/..\\"
    assert iom_filename(route, "pdf") == "ИОМ_Иванова_М_П_2025-2026.pdf"


def _take(route, action, actor, to_status, at_status):
    from routes.models import Transition

    Transition.objects.create(route=route, action=action, from_status=route.status, to_status=to_status, actor=actor)
    route.status = at_status
    route.save(update_fields=["status"])


def test_a_draft_has_an_empty_approval_block_with_lines_to_fill_by_hand(read_pdf, read_docx):
    route = route_with_roadmap(1, card={})
    context = iom_context(route)
    agreed, credited = context["approval"]
    assert (agreed.title, agreed.name, agreed.date) == ("СОГЛАСОВАНО", "", "")
    assert (credited.title, credited.name, credited.date) == ("ЗАЧТЕНО", "", "")
    for text in (read_pdf(iom_pdf(route)), read_docx(iom_docx(route))):
        assert "СОГЛАСОВАНО" in text and "ЗАЧТЕНО" in text and "«___»" in text


def test_the_approval_block_names_who_approved_and_credited_from_the_log(read_pdf, read_docx):
    from tests.factories import StaffFactory, UserFactory

    route = route_with_roadmap(1, card={})
    deputy = UserFactory(first_name="Елена", last_name="Павлова")
    StaffFactory(organisation=route.organisation, user=deputy, last_name="Павлова", first_name="Елена",
                 middle_name="Сергеевна", position="заместитель директора по УВР")
    methodist = UserFactory(first_name="Ольга", last_name="Мартынова")
    Membership.objects.create(user=methodist, role=Membership.Role.REGIONAL_METHODIST,
                              region=route.organisation.municipality.region)
    _take(route, "approve", deputy, Route.Status.AWAITING_CREDIT, Route.Status.AWAITING_CREDIT)
    route.approved_on = dt.date(2025, 9, 20)
    route.save(update_fields=["approved_on"])
    agreed, credited = iom_context(route)["approval"]
    assert (agreed.position, agreed.name, agreed.date) == ("заместитель директора по УВР", "Е.С. Павлова", "20.09.2025")
    assert credited.name == "" and credited.date == ""  # not credited yet: lines to fill
    _take(route, "credit", methodist, Route.Status.IN_PROGRESS, Route.Status.IN_PROGRESS)
    route.credited_on = dt.date(2025, 9, 25)
    route.save(update_fields=["credited_on"])
    route = Route.objects.get(pk=route.pk)  # as a download reads it: the log not yet fetched
    context = iom_context(route)
    credited = context["approval"][1]
    assert (credited.position, credited.name, credited.date) == ("региональный методист", "О. Мартынова", "25.09.2025")
    for text in (read_pdf(iom_pdf(route)), read_docx(iom_docx(route))):
        assert "Е.С. Павлова" in text and "О. Мартынова" in text and "25.09.2025" in text
    # the deputy who agreed the route signs it under the roadmap, beside the teacher
    lines = {line.title: line.name for line in context["signatures"]}
    assert lines["Педагог"].endswith(route.person.last_name)
    assert lines["Заместитель директора"] == "Е.С. Павлова"
    assert "Наставник" not in lines


def test_an_imported_route_has_the_dates_but_no_invented_names():
    route = route_with_roadmap(1, status=Route.Status.IN_PROGRESS, approved_on=dt.date(2025, 9, 10),
                               credited_on=dt.date(2025, 9, 30), card={})
    agreed, credited = iom_context(route)["approval"]
    assert (agreed.name, agreed.date) == ("", "10.09.2025")
    assert (credited.name, credited.date) == ("", "30.09.2025")


def test_the_signature_lines_add_the_mentor_of_the_period():
    from tests.factories import StaffFactory
    from tests.methodics.factories import PairFactory

    route = route_with_roadmap(1, card={})
    PairFactory(mentee=route.person, mentor=StaffFactory(organisation=route.organisation, last_name="Наставникова",
                                                        first_name="Ирина", middle_name="Петровна"),
                starts_on=dt.date(2025, 8, 1))
    lines = {line.title: line.name for line in iom_context(route)["signatures"]}
    assert lines["Наставник"] == "И.П. Наставникова"
    assert lines["Заместитель директора"] == ""


def test_an_extended_route_shows_the_extension_and_its_reason(read_pdf, read_docx):
    route = route_with_roadmap(1, status=Route.Status.IN_PROGRESS, extended_from=dt.date(2026, 5, 31),
                               ends_on=dt.date(2026, 12, 25), extension_reason="Курсы перенесены",
                               card={})
    context = iom_context(route)
    assert context["extension"]["old_end"] == "31.05.2026" and context["extension"]["new_end"] == "25.12.2026"
    for text in (read_pdf(iom_pdf(route)), read_docx(iom_docx(route))):
        assert "Курсы перенесены" in text and "продлен" in text


def test_deficits_and_tasks_are_said_once():
    from tests.diagnostics.factories import DeficitFactory

    route = route_with_roadmap(1, card={})
    route.tasks.all().delete()
    first, second = DeficitFactory(person=route.person), DeficitFactory(person=route.person)
    route.deficits.set([first, second])
    RouteTask.objects.create(route=route, deficit=first, problem="Объективность оценивания",
                             educational_task="Освоить критериальное оценивание")
    route.tasks_text = "Освоить критериальное оценивание."
    route.save(update_fields=["tasks_text"])
    context = iom_context(route)
    assert context["deficits"] == [f"{second.competency.code} {second.competency.name}"]  # the first is in the table
    assert "Задачи" not in {row.label for row in context["note_rows"]}  # the table says them


def test_the_card_lists_the_snapshot_courses_with_dates_and_hours():
    route = route_with_roadmap(1, card={"courses": [
        {"title": "КПК «Функциональная грамотность»", "done_on": "12.03.2025", "academic_year": "2024-2025",
         "hours": 36}]})
    assert iom_context(route)["courses"] == ["12.03.2025 — КПК «Функциональная грамотность» (36 ч)"]
