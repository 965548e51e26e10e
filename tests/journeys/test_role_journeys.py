"""The journey of each role through the portal in a real browser, on the demo data.

Every page is looked at (screenshots/<test name>/), checked with axe (no serious or critical
violation) and watched by tests/browser.py (no request to another host, no JavaScript error, no
first load over 300 KB). With IOM_GUIDE_SHOTS=1 (`make guide-screenshots`) the pages the user
guides show are also saved under screenshots/guide/ by the names iom_portal/guides.py gives them;
tests/journeys/guide_shots.py then downsizes them into static/help/.

    .venv/bin/python -m pytest tests/journeys -m browser
"""

import datetime as dt
import io
import os
from urllib.parse import urljoin

import pytest
from openpyxl import load_workbook
from PIL import Image

from core.dates import academic_year_bounds, current_academic_year
from devdata.demo import DEMO_PASSWORD, load_demo
from diagnostics.models import Deficit
from routes.models import Evidence, RoadmapActivity, Route
from routes.workflow import services as workflow
from schools.models import StaffMember
from tests.browser import SCREENSHOTS
from tests.imports.factories import STAFF_HEADER, staff_row, xlsx_bytes

# Reference data (competency framework, activity kinds, indicators) come from data migrations:
# a transactional test must put them back after its flush.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

GUIDE = SCREENSHOTS / "guide"


@pytest.fixture(autouse=True)
def _reference_data(portal):
    """Put back the data migrations' reference data when the serialized rollback did not.

    Once Playwright runs, the test's DB connection object is no longer the one that holds the
    serialized test database (Playwright's greenlets give the ORM another context), so Django's
    serialized_rollback finds nothing to restore after an earlier test's flush. The contents are
    still on the first connection object; load them from there.
    """
    import gc

    from django.db import connection
    from django.db.backends.base.base import BaseDatabaseWrapper

    from diagnostics.models import CompetencyGroup

    if CompetencyGroup.objects.exists():
        return
    from django.contrib.contenttypes.models import ContentType

    saved = next(o._test_serialized_contents for o in gc.get_objects()
                 if isinstance(o, BaseDatabaseWrapper) and getattr(o, "_test_serialized_contents", None))
    ContentType.objects.all().delete()  # post_migrate made them again after the flush, under other ids
    ContentType.objects.clear_cache()
    connection.creation.deserialize_db_from_string(saved)
CRITERIA = ("resources_adequate", "short_horizon", "realistic_goal", "task_understood", "concrete_competency")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def look(portal, page, name, guide: str = "", focus: str = ""):
    """Screenshot, axe, and (for `make guide-screenshots`) the guide's picture of this page:
    the visible part from the top, or from the `focus` element the guide step is about."""
    portal.shot(page, name)
    if guide and os.environ.get("IOM_GUIDE_SHOTS"):
        GUIDE.mkdir(parents=True, exist_ok=True)
        # Bootstrap scrolls smoothly; the picture is taken where the scroll ends, at once.
        page.evaluate("""s => s ? document.querySelector(s).scrollIntoView({behavior: 'instant'})
                               : window.scrollTo({top: 0, behavior: 'instant'})""", focus)
        page.screenshot(path=str(GUIDE / guide))
    portal.check_accessibility(page)
    # axe leaves empty style="" attributes behind; htmx would copy them onto swapped elements
    # and the CSP (rightly) refuses inline styles. Put the page back as it was.
    page.evaluate("document.querySelectorAll('[style=\"\"]').forEach(e => e.removeAttribute('style'))")


def demo_page(browser_page, username, **kwargs):
    return browser_page(username, password=DEMO_PASSWORD, **kwargs)


def fetch(page, href):
    """GET a link with the page's session, as the browser would download it: (content type, body)."""
    response = page.context.request.get(urljoin(page.url, href))
    assert response.ok, f"{href}: {response.status}"
    return response.headers["content-type"], response.body()


# --- teacher -----------------------------------------------------------------------------------

def test_teacher_assesses_herself_drafts_the_route_edits_the_roadmap_and_submits(portal, browser_page):
    load_demo()
    teacher = StaffMember.objects.get(user__username="teacher")
    # The demo teacher took the self-assessment last week and has no route of this year yet.
    assert not Route.objects.filter(person=teacher, academic_year=current_academic_year()).exists()

    page = browser_page()
    page.goto(portal.url + "/accounts/login/")
    look(portal, page, "login", guide="teacher-01-login.png")
    page.fill("#id_username", "teacher")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(portal.url + "/")
    look(portal, page, "home")

    page.click("nav >> text=Диагностика")
    # the deficits of the demo's self-assessment (М1, ПЛ2, ИКТ1) are open: the route is drafted from them
    assert {"М1", "ПЛ2", "ИКТ1"} <= set(teacher.deficits.filter(status__in=Deficit.OPEN_STATUSES)
                                        .values_list("competency__code", flat=True))
    assert page.get_by_role("link", name="Составить ИОМ по результатам диагностики").is_visible()
    look(portal, page, "profile-and-deficits", guide="teacher-02-diagnostics.png")
    # The questionnaire is there to take again; the journey drafts from last week's answers.
    page.click("text=Пройти самооценку еще раз")
    assert page.locator("input[type=radio][value='4']").count() > 10
    look(portal, page, "self-assessment")
    page.go_back()

    page.click("text=Составить ИОМ по результатам диагностики")
    assert page.locator("table.table-roadmap tbody tr").count() >= 3
    look(portal, page, "draft-preview", guide="teacher-03-draft.png")
    page.click("text=Создать черновик ИОМ")
    page.wait_for_url(lambda url: "/routes/" in url and "/draft/" not in url)
    route = Route.objects.get(person=teacher, status=Route.Status.DRAFT)
    assert route.activities.count() >= 3
    look(portal, page, "drafted-route")

    # A row edited inline: a more precise title and an earlier deadline.
    first = route.activities.order_by("deadline", "pk").first()
    new_deadline = route.starts_on + dt.timedelta(days=45)
    page.click(f"#activity-{first.pk} >> text=Изменить")
    page.fill("#id_title", "Изучение банка заданий по функциональной грамотности")
    page.fill("#id_deadline", new_deadline.isoformat())
    look(portal, page, "row-edit-form")
    page.click("tr.activity-form-row >> text=Сохранить")
    page.locator("text=Изменения сохранены.").wait_for()
    first.refresh_from_db()
    assert first.title == "Изучение банка заданий по функциональной грамотности" and first.deadline == new_deadline

    # A row added: an open lesson in the methodical section.
    from diagnostics.models import CompetencyGroup

    methodical = CompetencyGroup.objects.get(code="methodical").pk
    lesson_day = route.starts_on + dt.timedelta(days=120)
    page.click(f"#group-{methodical} >> text=+ Добавить мероприятие")
    page.select_option("#id_kind", label="Открытый урок")
    page.fill("#id_title", "Открытый урок с заданиями на функциональную грамотность")
    page.fill("#id_deadline", lesson_day.isoformat())
    page.fill("#id_confirming_document", "конспект урока")
    look(portal, page, "row-add-form")
    page.click("tr.activity-form-row >> text=Сохранить")
    page.locator("#roadmap .fw-semibold >> text=Открытый урок с заданиями на функциональную грамотность").wait_for()
    look(portal, page, "roadmap-edited", guide="teacher-04-roadmap.png", focus="#roadmap")

    page.click("nav[aria-label='Действия с ИОМ'] >> text=Отправить")
    look(portal, page, "submit-confirm")
    page.click("form.action-form button[type=submit]")
    page.locator("text=ИОМ отправлен на согласование").wait_for()
    look(portal, page, "submitted", guide="teacher-05-submitted.png")
    route.refresh_from_db()
    assert route.status == Route.Status.SUBMITTED
    assert route.activities.filter(title__startswith="Открытый урок с заданиями").exists()


# --- deputy ------------------------------------------------------------------------------------

def test_deputy_imports_staff_reviews_comments_and_approves(portal, browser_page, tmp_path):
    load_demo()
    school = StaffMember.objects.get(user__username="deputy").organisation
    staff_file = tmp_path / "сотрудники.xlsx"
    staff_file.write_bytes(xlsx_bytes(STAFF_HEADER, [
        staff_row(school.short_name, "Белоусова", **{"Имя": "Дарья", "Дата рождения": "12.04.1994",
                                                     "Должность": "учитель химии", "Предмет": "химия"}),
        staff_row(school.short_name, "Гончаров", **{"Имя": "Илья", "Отчество": "Петрович",
                                                    "Дата рождения": "03.09.1988"}),
    ]))

    page = demo_page(browser_page, "deputy")
    look(portal, page, "home")
    page.goto(f"{portal.url}/organisations/{school.pk}/")
    look(portal, page, "staff", guide="deputy-01-staff.png")

    page.click("nav >> text=Загрузка данных")
    look(portal, page, "imports")
    page.get_by_role("row", name="Педагогические работники").get_by_role("link", name="Загрузить файл").click()
    look(portal, page, "import-upload")
    page.set_input_files("input[type=file]", str(staff_file))
    page.get_by_role("button", name="Проверить файл").click()
    page.wait_for_url("**/imports/staff/*-*/")
    confirm = page.get_by_role("button", name="Подтвердить загрузку: создать 2, обновить 0")
    confirm.wait_for()
    look(portal, page, "import-preview", guide="deputy-02-import.png")
    confirm.click()
    page.wait_for_selector("text=создано: 2")
    look(portal, page, "import-done")
    assert set(StaffMember.objects.filter(organisation=school, last_name__in=["Белоусова", "Гончаров"])
               .values_list("first_name", flat=True)) == {"Дарья", "Илья"}

    page.click("nav >> text=Согласование")
    assert "повторно, 2-й круг" in page.content()  # the demo's resubmission after a return
    look(portal, page, "review-queue", guide="deputy-03-queue.png")
    # a fresh submission (the resubmitted one already has the earlier round's comments)
    route = (Route.objects.filter(person__organisation=school, status=Route.Status.SUBMITTED)
             .exclude(transitions__action="return").order_by("pk").first())
    page.click(f"text={route.person.full_name}")
    row = route.activities.order_by("deadline", "pk").last()
    page.locator(f"#activity-{row.pk}").wait_for()
    page.click(f"#activity-{row.pk} + tr.comment-row summary")
    page.fill(f"#comment-{row.pk}", "Уточните, где будет опубликована разработка")
    page.click(f"#activity-{row.pk} + tr.comment-row >> text=Отправить")
    page.locator("text=Комментарий добавлен").wait_for()
    look(portal, page, "route-commented")
    assert row.comments.filter(text="Уточните, где будет опубликована разработка").exists()

    page.goto(f"{portal.url}/routes/{route.pk}/review/")
    for code in CRITERIA:
        page.check(f"#id_{code}_2")
    page.fill("#id_comment", "Маршрут реалистичен; замечание к публикации учтите в ходе работы")
    look(portal, page, "express-review", guide="deputy-03-review.png")
    page.click("text=Согласовать >> nth=-1")
    page.locator("text=ИОМ согласован.").wait_for()
    look(portal, page, "approved")
    route.refresh_from_db()
    assert route.status == Route.Status.AWAITING_CREDIT  # the demo municipality credits regionally

    page.click("nav >> text=Реализация")
    assert "Напомнить отмеченным" in page.content()
    look(portal, page, "monitor", guide="deputy-04-monitor.png")

    # Last year's route that ran out without results: extended once with a reason, or closed as not achieved.
    expired = Route.objects.filter(organisation=school, status=Route.Status.EXPIRED).order_by("pk").first()
    page.goto(f"{portal.url}/routes/{expired.pk}/")
    assert "срок можно продлить один раз" in page.content()
    look(portal, page, "expired-route", guide="deputy-05-expired.png")

    # Results to accept: the final diagnostics of each deficit, the deputy's own score where needed.
    results = Route.objects.filter(organisation=school, status=Route.Status.RESULTS_SUBMITTED).order_by("pk").first()
    page.goto(f"{portal.url}/routes/{results.pk}/action/accept_results/")
    assert "Итоговая диагностика дефицитов" in page.content()
    look(portal, page, "accept-results", guide="deputy-06-results.png")


# --- municipal methodist -----------------------------------------------------------------------

def order(page, kind, fmt, organisation=None):
    page.select_option("#id_kind", kind)
    page.select_option("#id_format", fmt)
    if organisation is not None:
        page.select_option("#id_organisation", str(organisation))
    page.click("button:has-text('Сформировать')")


def test_methodist_orders_the_analytical_report_and_downloads_xlsx_and_pdf(portal, browser_page):
    load_demo()
    page = demo_page(browser_page, "methodist")
    page.click("nav >> text=Статистика")
    assert "Таблица 1" in page.content()
    look(portal, page, "dashboard", guide="methodist-01-dashboard.png")

    page.click("nav >> text=Отчеты")
    look(portal, page, "reports-empty")
    order(page, "coverage", "xlsx")
    page.locator("#report-jobs >> text=Скачать").first.wait_for()
    order(page, "coverage", "pdf")
    page.locator("#report-jobs tbody tr").nth(1).wait_for()
    page.wait_for_function("document.querySelectorAll('#report-jobs a:not([href=\"\"])').length >= 2")
    look(portal, page, "reports-ready", guide="methodist-02-reports.png")

    links = page.locator("#report-jobs a", has_text="Скачать")
    assert links.count() == 2
    kinds = {}
    for i in range(2):
        content_type, body = fetch(page, links.nth(i).get_attribute("href"))
        kinds[content_type.split(";")[0]] = body
    assert set(kinds) == {XLSX, "application/pdf"}
    book = load_workbook(io.BytesIO(kinds[XLSX]), read_only=True)
    cells = [str(c) for row in book.worksheets[0].iter_rows(values_only=True) for c in row if c is not None]
    assert any("Новоселовский" in c for c in cells)
    assert kinds["application/pdf"].startswith(b"%PDF")
    with page.expect_download() as download:
        links.first.click()
    assert download.value.suggested_filename.endswith((".pdf", ".xlsx"))

    page.click("nav >> text=Реестр ИОМ")
    look(portal, page, "registry", guide="methodist-03-registry.png")


# --- director ----------------------------------------------------------------------------------

def test_director_downloads_the_school_audit_pdf(portal, browser_page):
    load_demo()
    school = StaffMember.objects.get(user__username="director").organisation
    page = demo_page(browser_page, "director")
    page.click("nav >> text=Статистика")
    look(portal, page, "dashboard", guide="director-01-dashboard.png")
    page.click("nav >> text=Отчеты")
    look(portal, page, "reports-empty")
    order(page, "audit", "pdf", organisation=school.pk)
    link = page.locator("#report-jobs a", has_text="Скачать")
    link.wait_for()
    look(portal, page, "audit-ready", guide="director-02-reports.png")
    content_type, body = fetch(page, link.get_attribute("href"))
    assert content_type.startswith("application/pdf") and body.startswith(b"%PDF")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")


# --- regional methodist ------------------------------------------------------------------------

def test_regional_methodist_credits_a_route_from_the_queue(portal, browser_page):
    load_demo()
    waiting = Route.objects.filter(status=Route.Status.AWAITING_CREDIT).order_by("approved_on", "pk").first()
    page = demo_page(browser_page, "regional")
    page.click("nav >> text=Зачет ИОМ")
    assert waiting.person.full_name in page.content() and "Зачесть отмеченные" in page.content()
    look(portal, page, "credit-queue", guide="regional-01-credit.png")
    page.click(f"table a[href='/routes/{waiting.pk}/action/credit/']")
    look(portal, page, "credit-confirm")
    page.click("form.action-form button[type=submit]")
    page.locator("text=ИОМ зачтен.").wait_for()
    look(portal, page, "credited")
    waiting.refresh_from_db()
    assert waiting.status == Route.Status.IN_PROGRESS


# --- phone -------------------------------------------------------------------------------------

def no_sideways_scroll(portal, page):
    """assert_no_horizontal_scroll, naming the elements that stick out when it fails."""
    wide = page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        const out = e => e.getBoundingClientRect().right > width + 1;
        return [...document.querySelectorAll('body *')].filter(e => out(e) && !out(e.parentElement))
            .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') +
                ' → ' + Math.round(e.getBoundingClientRect().right) + 'px');
    }""")
    try:
        portal.assert_no_horizontal_scroll(page)
    except AssertionError as error:
        raise AssertionError(f"{error}; sticking out: {wide}") from None


def certificate_photo(path):
    """A small JPEG, the way a phone camera sends it."""
    image = Image.new("RGB", (640, 480), (236, 230, 214))
    for x in range(40, 600):
        for y in (80, 81, 82, 400, 401):
            image.putpixel((x, y), (120, 40, 40))
    image.save(path, "JPEG", quality=80)
    return path


def teacher_draft() -> Route:
    """The demo teacher's route of this year, drafted from her self-assessment as the drafting page drafts it."""
    from routes.drafting.services import draft_route_from_deficits

    person = StaffMember.objects.select_related("user").get(user__username="teacher")
    start, _end = academic_year_bounds(current_academic_year())
    return draft_route_from_deficits(actor=person.user, person=person, starts_on=start,
                                     ends_on=dt.date(start.year + 1, 5, 31))


def test_teacher_on_a_phone_marks_an_activity_done_with_a_photo(portal, browser_page, tmp_path):
    load_demo()
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    route = teacher_draft()
    workflow.route_submit(actor=route.person.user, route=route)
    workflow.route_approve(actor=users.get(username="deputy"), route=route,
                           scores={code: 2 for code in CRITERIA}, comment="Маршрут реалистичен")
    workflow.route_credit(actor=users.get(username="regional"), route=route)
    route.refresh_from_db()
    assert route.status == Route.Status.IN_PROGRESS
    activity = route.activities.order_by("deadline", "pk").first()
    photo = certificate_photo(tmp_path / "сертификат.jpg")

    page = demo_page(browser_page, "teacher", viewport=(390, 844))
    no_sideways_scroll(portal, page)
    look(portal, page, "home")
    page.click("button.navbar-toggler")
    page.click("nav >> text=Мой ИОМ")
    no_sideways_scroll(portal, page)
    look(portal, page, "my-routes")
    page.click(f"a[href='/routes/{route.pk}/']")
    page.wait_for_url(f"**/routes/{route.pk}/")
    no_sideways_scroll(portal, page)
    look(portal, page, "route")
    page.click(f"#activity-{activity.pk} >> text=Выполнено")
    page.select_option("#id_evidence_kind", Evidence.Kind.CERTIFICATE)
    page.set_input_files("#id_file", str(photo))
    no_sideways_scroll(portal, page)
    look(portal, page, "done-form")
    page.click("tr.activity-form-row >> text=Отметить выполненным")
    page.locator(f"#activity-{activity.pk} >> text=сертификат.jpg").wait_for()
    no_sideways_scroll(portal, page)
    look(portal, page, "activity-done", guide="teacher-06-phone.png", focus="#roadmap")
    activity.refresh_from_db()
    evidence = Evidence.objects.get(activity=activity)
    assert activity.is_done and evidence.original_name == "сертификат.jpg"


# --- keyboard ----------------------------------------------------------------------------------

def tab_to(page, selector, limit=200):
    """Press Tab until the focused element matches `selector` (the keyboard user's way there)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def choose(page, option: str, limit=60):
    """On the focused closed select, press the down arrow until `option` is chosen."""
    for _ in range(limit):
        if page.evaluate("document.activeElement.selectedOptions[0].text") == option:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {option!r}")


def type_date(page, day: dt.date):
    """Type a date into the focused date field. Chromium orders its parts by its own interface
    language (day first in Russian, month first in English): if the first order does not give the
    date, go back to the first part with Shift+Tab and type the other."""
    page.keyboard.type(day.strftime("%d%m%Y"))
    if page.evaluate("document.activeElement.value") != day.isoformat():
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.type(day.strftime("%m%d%Y"))
    assert page.evaluate("document.activeElement.value") == day.isoformat()


def test_the_roadmap_editor_works_from_the_keyboard(portal, browser_page):
    load_demo()
    route = teacher_draft()
    before = route.activities.count()
    page = demo_page(browser_page, "teacher")
    page.goto(f"{portal.url}/routes/{route.pk}/")

    tab_to(page, "#roadmap button[hx-get*='/activities/new/']")
    page.keyboard.press("Enter")
    page.locator("tr.activity-form-row").wait_for()
    tab_to(page, "#id_kind")
    choose(page, "Открытый урок")
    tab_to(page, "#id_deadline")
    deadline = route.starts_on + dt.timedelta(days=100)
    type_date(page, deadline)
    tab_to(page, "#id_title")
    page.keyboard.type("Открытый урок для коллег параллели")
    tab_to(page, "#id_confirming_document")
    page.keyboard.type("лист наблюдения")
    look(portal, page, "keyboard-form")
    tab_to(page, "tr.activity-form-row button[type=submit]")
    page.keyboard.press("Enter")
    page.locator("#roadmap .fw-semibold >> text=Открытый урок для коллег параллели").wait_for()
    look(portal, page, "keyboard-saved")
    added = RoadmapActivity.objects.get(route=route, title="Открытый урок для коллег параллели")
    assert added.kind.name == "Открытый урок" and added.deadline == deadline
    assert route.activities.count() == before + 1

    # The row is edited the same way: Tab to its «Изменить», Space, change the title, Enter.
    tab_to(page, f"#activity-{added.pk} button[hx-get*='/edit/']")
    page.keyboard.press("Space")
    page.locator("tr.activity-form-row").wait_for()
    tab_to(page, "#id_title")
    page.keyboard.press("Control+A")
    page.keyboard.type("Открытый урок для коллег параллели 7-х классов")
    page.keyboard.press("Enter")
    page.locator("text=Изменения сохранены.").wait_for()
    added.refresh_from_db()
    assert added.title == "Открытый урок для коллег параллели 7-х классов"
