"""In the browser, on a desktop and a phone: the login page, the organisation list with its filter bar,
the staff form and the assessment form, rendered by crispy, pass axe and never scroll sideways,
with their errors too. Screenshots go to screenshots/<test>/."""

import pytest
from django.urls import reverse

from tests.diagnostics.factories import instrument
from tests.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def check(portal, page, name):
    portal.shot(page, name)
    portal.check_accessibility(page)
    portal.assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("width", [1366, 390])
def test_the_forms_hold_together_on_a_desktop_and_a_phone(portal, browser_page, width):
    w = World()
    tool = instrument()
    visitor = browser_page(viewport=(width, 900))
    visitor.goto(portal.url + reverse("login"))
    check(portal, visitor, "login")
    visitor.fill("#id_username", "nobody")
    visitor.fill("#id_password", "wrong")
    visitor.click("button[type=submit]")
    assert visitor.locator(".alert-danger").is_visible()
    check(portal, visitor, "login-refused")

    admin = browser_page("admin", viewport=(width, 900))
    admin.goto(portal.url + reverse("organisation_list"))
    check(portal, admin, "organisations")
    admin.select_option("#id_municipality", str(w.other_municipality.pk))  # the bar sends itself
    admin.wait_for_url(f"**municipality={w.other_municipality.pk}**")
    assert admin.locator("tbody tr").count() == 1
    check(portal, admin, "organisations-filtered")
    admin.goto(portal.url + reverse("import_upload", args=["staff"]))
    check(portal, admin, "upload")

    deputy = browser_page("deputy", viewport=(width, 900))
    deputy.goto(portal.url + reverse("staff_edit", args=[w.colleague.pk]))
    check(portal, deputy, "staff-form")
    deputy.fill("#id_last_name", "")
    deputy.click("text=Сохранить")
    assert deputy.locator("#id_last_name.is-invalid").is_visible()
    check(portal, deputy, "staff-form-refused")
    deputy.goto(portal.url + reverse("diagnostics:assessment_create", args=[w.colleague.pk])
                + f"?instrument={tool.pk}")
    check(portal, deputy, "assessment")
    deputy.locator(".score-input").first.fill("150")
    deputy.click("text=Сохранить результаты")
    assert deputy.locator(".score-input.is-invalid").count() == 1
    check(portal, deputy, "assessment-refused")
    deputy.goto(portal.url + reverse("diagnostics:person", args=[w.colleague.pk]))
    portal.assert_no_horizontal_scroll(deputy)
