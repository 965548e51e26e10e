"""The whole ИОМ journey in the browser, every page looked at (screenshots/<test name>/).

The teacher drafts and submits; the deputy returns it with a comment on one row; the teacher
fixes the row and resubmits; the deputy approves with the express review; the regional
methodist credits; the teacher marks an activity done with a file and submits results; the
deputy accepts them.
"""

import pytest

from routes.models import Evidence, Route
from tests.routes.roadmap.test_uploads import PDF
from tests.world import World

# The competency groups and activity kinds come from data migrations: a transactional test must
# put them back after its flush, or the tests after it would find none.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def look(portal, page, name):
    portal.shot(page, name)
    portal.check_accessibility(page)
    # axe leaves empty style="" attributes behind; htmx would copy them onto swapped elements
    # with the same id and the CSP (rightly) refuses inline styles. Put the page back as it was.
    page.evaluate("document.querySelectorAll('[style=\"\"]').forEach(e => e.removeAttribute('style'))")


def add_activity(page, group_pk, kind, title, deadline, document):
    page.click(f"#group-{group_pk} >> text=+ Добавить мероприятие")
    page.select_option("#id_kind", label=kind)
    page.fill("#id_title", title)
    page.fill("#id_deadline", deadline)
    page.fill("#id_confirming_document", document)
    page.click("tr.activity-form-row >> text=Сохранить")
    page.locator("#roadmap .fw-semibold >> text=" + title).wait_for()


def test_the_whole_journey_of_a_route(portal, browser_page, tmp_path):
    world = World()
    from diagnostics.models import CompetencyGroup

    subject = CompetencyGroup.objects.get(code="subject").pk
    methodical = CompetencyGroup.objects.get(code="methodical").pk

    # --- the teacher drafts the route
    teacher = browser_page("teacher")
    teacher.click("nav >> text=Мой ИОМ")
    look(portal, teacher, "teacher-my-routes-empty")
    teacher.click("text=Создать ИОМ")
    route = Route.objects.get(person=world.teacher_staff)
    year_end = route.ends_on.year
    look(portal, teacher, "teacher-new-route")
    teacher.click("#note-heading + a >> text=Изменить")
    teacher.fill("#id_topic", "Формирование функциональной грамотности на уроках математики")
    teacher.fill("#id_goal", "Освоить приемы формирования математической грамотности")
    teacher.fill("#id_tasks_text", "Пройти КПК; провести открытый урок")
    teacher.fill("#id_expected_result", "Банк заданий, открытый урок")
    teacher.fill("#id_reporting_form", "выступление на ШМО")
    look(portal, teacher, "teacher-note-form")
    teacher.click("form >> text=Сохранить")
    teacher.locator("text=Пояснительная записка сохранена").wait_for()
    add_activity(teacher, subject, "Курсы повышения квалификации (КПК)",
                 "КПК «Функциональная грамотность»", f"{year_end}-02-15", "удостоверение")
    add_activity(teacher, methodical, "Открытый урок", "Открытый урок по математической грамотности",
                 f"{year_end}-08-30", "конспект урока")
    look(portal, teacher, "teacher-roadmap-filled")
    teacher.click("nav[aria-label='Действия с ИОМ'] >> text=Отправить")
    look(portal, teacher, "teacher-submit-confirm")
    teacher.click("form.action-form button[type=submit]")
    teacher.locator("text=ИОМ отправлен на согласование").wait_for()
    look(portal, teacher, "teacher-submitted")

    # --- the deputy returns it with a comment on the open-lesson row
    lesson = route.activities.get(title__startswith="Открытый урок")
    deputy = browser_page("deputy")
    deputy.click("nav >> text=Согласование")
    look(portal, deputy, "deputy-queue")
    deputy.click(f"text={world.teacher_staff.full_name}")
    deputy.locator(f"#activity-{lesson.pk}").wait_for()
    deputy.click(f"#activity-{lesson.pk} + tr.comment-row summary")
    deputy.fill(f"#comment-{lesson.pk}", "Перенесите открытый урок на апрель: в августе нет уроков")
    deputy.click(f"#activity-{lesson.pk} + tr.comment-row >> text=Отправить")
    deputy.locator("text=Комментарий добавлен").wait_for()
    look(portal, deputy, "deputy-review-commented")
    deputy.fill("#return_comment", "Исправьте срок открытого урока, см. замечание к строке")
    deputy.click("text=Вернуть на доработку >> nth=-1")
    deputy.locator("text=ИОМ возвращен на доработку.").wait_for()
    look(portal, deputy, "deputy-after-return")

    # --- the teacher sees the commented row, fixes it and resubmits
    teacher.goto(f"{portal.url}/routes/{route.pk}/")
    assert "Исправьте срок открытого урока" in teacher.content()
    look(portal, teacher, "teacher-returned")
    teacher.click(f"#activity-{lesson.pk} >> text=Изменить")
    teacher.fill("#id_deadline", f"{year_end}-04-20")
    teacher.click("tr.activity-form-row >> text=Сохранить")
    teacher.locator("text=Изменения сохранены.").wait_for()
    teacher.click(f"#activity-{lesson.pk} + tr.comment-row >> text=отметить учтенным")
    teacher.locator("text=Комментарий отмечен как учтенный.").wait_for()
    look(portal, teacher, "teacher-fixed")
    teacher.click("nav[aria-label='Действия с ИОМ'] >> text=Отправить")
    teacher.click("form.action-form button[type=submit]")
    teacher.locator("text=ИОМ отправлен на согласование").wait_for()

    # --- the deputy approves with the express review
    deputy.goto(f"{portal.url}/routes/{route.pk}/review/")
    for code in ("resources_adequate", "short_horizon", "realistic_goal", "task_understood", "concrete_competency"):
        deputy.check(f"#id_{code}_2")
    deputy.fill("#id_comment", "Маршрут реалистичен")
    look(portal, deputy, "deputy-review-form")
    deputy.click("text=Согласовать >> nth=-1")
    deputy.locator("text=ИОМ согласован.").wait_for()
    route.refresh_from_db()
    assert route.status == Route.Status.AWAITING_CREDIT

    # --- the regional methodist credits
    regional = browser_page("regional")
    regional.click("nav >> text=Зачет ИОМ")
    look(portal, regional, "regional-credit-queue")
    regional.click("table a:text-is('Зачет')")
    look(portal, regional, "regional-credit-confirm")
    regional.click("form.action-form button[type=submit]")
    regional.locator("text=ИОМ зачтен.").wait_for()
    look(portal, regional, "regional-after-credit")

    # --- the teacher marks an activity done with a file and submits results
    course = route.activities.get(title__startswith="КПК")
    certificate = tmp_path / "удостоверение.pdf"
    certificate.write_bytes(PDF)
    teacher.goto(f"{portal.url}/routes/{route.pk}/")
    look(portal, teacher, "teacher-in-progress")
    teacher.click(f"#activity-{course.pk} >> text=Выполнено")
    teacher.set_input_files("#id_file", str(certificate))
    look(portal, teacher, "teacher-mark-done-form")
    teacher.click("tr.activity-form-row >> text=Отметить выполненным")
    teacher.locator(f"#activity-{course.pk} >> text=удостоверение.pdf").wait_for()
    assert Evidence.objects.get().original_name == "удостоверение.pdf"
    look(portal, teacher, "teacher-activity-done")
    teacher.click("nav[aria-label='Действия с ИОМ'] >> text=Отправить итоги")
    teacher.fill("#id_reflection", "Прошла КПК, освоила приемы; открытый урок проведу в апреле.")
    teacher.check("#id_outcome_proposed_1")
    reasons = teacher.locator("textarea[name^=reason_]")  # every activity not done asks why
    assert reasons.count() == route.activities.filter(is_done=False).count() > 0
    for field in reasons.all():
        field.fill("Открытый урок перенесен на апрель, за пределы этих итогов.")
    look(portal, teacher, "teacher-results-form")
    teacher.click("form.action-form button[type=submit]")
    teacher.locator("text=Итоги отправлены.").wait_for()

    # --- the deputy accepts the results
    deputy.click("nav >> text=Согласование")
    look(portal, deputy, "deputy-queue-results")
    deputy.goto(f"{portal.url}/routes/{route.pk}/")
    deputy.click("nav[aria-label='Действия с ИОМ'] >> text=Принять итоги")
    deputy.check("#id_outcome_1")
    deputy.fill("#id_comment", "Итоги представлены на ШМО")
    deputy.fill("#id_presented_on", route.starts_on.isoformat())
    deputy.fill("#id_presented_place", "ШМО учителей математики")
    look(portal, deputy, "deputy-accept-form")
    deputy.click("form.action-form button[type=submit]")
    deputy.locator("text=Итоги приняты, ИОМ завершен.").wait_for()
    look(portal, deputy, "deputy-completed")
    deputy.click("text=История изменений")
    look(portal, deputy, "deputy-history")
    deputy.click("nav >> text=Реализация")
    deputy.select_option("#id_year", "")
    deputy.locator(f"table >> text={world.teacher_staff.full_name}").wait_for()
    look(portal, deputy, "deputy-monitor")
    teacher.click("nav >> text=Уведомления")
    assert "Итоги ИОМ приняты" in teacher.content()
    portal.shot(teacher, "teacher-notifications")  # core's page: looked at, its own tests check it

    route.refresh_from_db()
    assert route.status == Route.Status.COMPLETED and route.outcome == "partial"
    assert list(route.transitions.exclude(action__in=["create", "amend"]).values_list("action", flat=True)) == [
        "submit", "return", "submit", "approve", "credit", "submit_results", "accept_results"]
