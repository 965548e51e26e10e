"""The roadmap of an ИОМ on a phone: each row a card, «Выполнено» and its form within the screen.

A teacher marks activities done from a phone with a photo of the certificate (issue 9). At
390×844 the roadmap rows are stacked cards (each cell under its column's label), the buttons full
width, and the «Выполнено» form opens below its card without the page scrolling sideways. At
1366×900 the roadmap is the table it always was.

    .venv/bin/python -m pytest tests/journeys/test_phone_roadmap.py -m browser
"""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from devdata.demo import load_demo
from routes.drafting import services as drafting
from routes.models import Evidence, Route
from routes.roadmap import services as roadmap
from routes.workflow import services as workflow
from tests.journeys.test_role_journeys import (  # noqa: F401 (_reference_data is an autouse fixture)
    CRITERIA,
    _reference_data,
    certificate_photo,
    demo_page,
    look,
    no_sideways_scroll,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = (390, 844)
DESKTOP = (1366, 900)


def route_in_progress() -> Route:
    """The demo teacher's route drafted from her self-assessment (the demo leaves her none this year), approved
    and credited, its earliest activity done."""
    load_demo()
    users = get_user_model().objects
    teacher = users.get(username="teacher")
    route = drafting.draft_route_from_deficits(actor=teacher, person=teacher.staff_member)
    workflow.route_submit(actor=route.person.user, route=route)
    workflow.route_approve(actor=users.get(username="deputy"), route=route,
                           scores={code: 2 for code in CRITERIA}, comment="Маршрут реалистичен")
    workflow.route_credit(actor=users.get(username="regional"), route=route)
    route.refresh_from_db()
    assert route.status == Route.Status.IN_PROGRESS
    first = route.activities.order_by("deadline", "pk").first()
    roadmap.activity_mark_done(actor=route.person.user, activity=first, done_on=min(first.deadline, timezone.localdate()),
                               url="https://example.org/certificate", evidence_kind="certificate")
    second = route.activities.order_by("deadline", "pk")[1]
    roadmap.comment_add(actor=users.get(username="deputy"), route=route, activity=second,
                        text="Уточните, какие КПК: номер приказа о зачислении.")
    return route


def box(page, selector):
    return page.locator(selector).bounding_box()


def roadmap_shot(portal, page, name):
    """The roadmap alone, at its real size, to look at beside the full-page screenshot."""
    portal.counter += 1
    page.locator("#roadmap").screenshot(path=str(portal.folder / f"{portal.counter:02d}-{name}.png"))
    # Playwright leaves empty style="" attributes on the inputs it hid the caret of; htmx would
    # copy them onto the swapped roadmap and the CSP (rightly) refuses inline styles.
    page.evaluate("document.querySelectorAll('[style=\"\"]').forEach(e => e.removeAttribute('style'))")


def test_a_teacher_marks_an_activity_done_on_a_phone_from_a_roadmap_card(portal, browser_page, tmp_path):
    route = route_in_progress()
    activities = list(route.activities.order_by("deadline", "pk"))
    assert len(activities) >= 4
    activity = activities[2]
    photo = certificate_photo(tmp_path / "сертификат.jpg")

    page = demo_page(browser_page, "teacher", viewport=PHONE)
    page.goto(f"{portal.url}/routes/{route.pk}/")
    no_sideways_scroll(portal, page)
    look(portal, page, "route-on-a-phone")
    roadmap_shot(portal, page, "roadmap-cards")

    row = f"#activity-{activity.pk}"
    # A card: the cells stacked, each under its column's label; the table header out of sight.
    assert page.eval_on_selector(row, "e => getComputedStyle(e).display") == "block"
    assert page.eval_on_selector(f"{row} td[data-label='Срок']",
                                 "e => getComputedStyle(e, '::before').content") == '"Срок"'
    assert box(page, "#roadmap thead")["height"] <= 1
    # «Выполнено» spans the card and sits within the screen, big enough for a thumb.
    done = box(page, f"{row} .btn-done")
    card = box(page, row)
    assert done["x"] >= 0 and done["x"] + done["width"] <= PHONE[0]
    assert done["width"] >= card["width"] - 40 and done["height"] >= 44

    # By keyboard: the form opens below the card, focus on its heading, the button out of the way.
    page.focus(f"{row} .btn-done")
    page.keyboard.press("Enter")
    form_row = f"{row} + tr.done-form-row"
    page.locator(form_row).wait_for()
    # htmx moves focus to the [autofocus] heading once the swap has settled, a moment after it appears
    # (polled from here: wait_for_function evaluates a string, which the page's CSP forbids)
    for _ in range(50):
        if page.evaluate("document.activeElement.textContent").startswith("Выполнение:"):
            break
        page.wait_for_timeout(100)
    assert page.evaluate("document.activeElement.textContent").startswith("Выполнение:")
    assert not page.locator(f"{row} .btn-done").is_visible()
    for label in ("id_done_on", "id_evidence_kind", "id_file", "id_url"):
        field = box(page, f"{form_row} label[for={label}]")
        assert field["x"] >= 0 and field["x"] + field["width"] <= PHONE[0], label
    # Without a document: the message shows in the form, which stays below its card.
    page.click(f"{form_row} >> text=Отметить выполненным")
    page.locator(f"{form_row} >> text=Приложите подтверждающий документ").wait_for()
    assert page.locator(f"{row} + tr.done-form-row").count() == 1
    no_sideways_scroll(portal, page)
    look(portal, page, "done-form-without-a-document")
    page.select_option("#id_evidence_kind", Evidence.Kind.CERTIFICATE)
    page.set_input_files("#id_file", str(photo))
    page.locator("#id_done_on").scroll_into_view_if_needed()
    no_sideways_scroll(portal, page)
    look(portal, page, "done-form-below-the-card")
    roadmap_shot(portal, page, "done-form")
    submit = box(page, f"{form_row} button[type=submit]")
    assert submit["x"] + submit["width"] <= PHONE[0]

    page.click(f"{form_row} >> text=Отметить выполненным")
    page.locator(f"{row} >> text=сертификат.jpg").wait_for()
    no_sideways_scroll(portal, page)
    look(portal, page, "activity-done")
    roadmap_shot(portal, page, "roadmap-after")
    activity.refresh_from_db()
    evidence = Evidence.objects.get(activity=activity)
    assert activity.is_done and activity.done_on is not None
    assert evidence.original_name == "сертификат.jpg"


def test_on_a_wide_screen_the_roadmap_stays_a_table(portal, browser_page):
    route = route_in_progress()
    activity = route.activities.order_by("deadline", "pk")[1]
    page = demo_page(browser_page, "teacher", viewport=DESKTOP)
    page.goto(f"{portal.url}/routes/{route.pk}/")
    no_sideways_scroll(portal, page)
    row = f"#activity-{activity.pk}"
    assert page.eval_on_selector(row, "e => getComputedStyle(e).display") == "table-row"
    assert page.eval_on_selector("#roadmap thead", "e => getComputedStyle(e).display") == "table-header-group"
    assert page.eval_on_selector(f"{row} td[data-label='Срок']",
                                 "e => getComputedStyle(e, '::before').content") == "none"
    # The cells of a row side by side: the deadline left of the title, «Выполнено» at the right.
    assert box(page, f"{row} td[data-label='Срок']")["x"] < box(page, f"{row} td[data-label='Мероприятие']")["x"]
    assert box(page, f"{row} .btn-done")["y"] < box(page, f"{row} td[data-label='Мероприятие']")["y"] + 40
    look(portal, page, "route-on-a-desktop")
    roadmap_shot(portal, page, "roadmap-table")
    page.click(f"{row} .btn-done")
    page.locator(f"{row} + tr.done-form-row").wait_for()
    look(portal, page, "done-form-on-a-desktop")
    roadmap_shot(portal, page, "done-form-table")


def test_a_deputy_reads_the_roadmap_cards_and_comments_a_row_on_a_phone(portal, browser_page):
    route = route_in_progress()
    commented = route.activities.order_by("deadline", "pk")[1]
    page = demo_page(browser_page, "deputy", viewport=PHONE)
    page.goto(f"{portal.url}/routes/{route.pk}/")
    no_sideways_scroll(portal, page)
    # Nothing to do on the rows but comment: no empty button strip under the cards.
    assert page.locator("#roadmap td.roadmap-actions:visible").count() == 0
    page.click(f"#activity-{commented.pk} + tr.comment-row summary")
    page.fill(f"#comment-{commented.pk}", "Приложите удостоверение после курсов.")
    no_sideways_scroll(portal, page)
    look(portal, page, "deputy-roadmap-on-a-phone")
    roadmap_shot(portal, page, "deputy-roadmap-cards")
    page.click(f"#activity-{commented.pk} + tr.comment-row >> text=Отправить")
    page.locator("#roadmap >> text=Приложите удостоверение после курсов.").wait_for()
    no_sideways_scroll(portal, page)
    assert commented.comments.count() == 2
