"""Every role signs in through the login form and lands on its home page."""

import pytest

from tests.world import World

pytestmark = pytest.mark.browser


def test_every_role_signs_in_and_sees_its_home_page(portal, browser_page):
    World()
    for role, username in [("teacher", "teacher"), ("deputy", "deputy"), ("director", "director"),
                           ("municipal_methodist", "methodist"), ("regional_methodist", "regional"),
                           ("admin", "admin")]:
        page = browser_page(username)
        assert page.locator("h1").inner_text().startswith("Здравствуйте")
        portal.shot(page, f"home-{role}")
        portal.check_accessibility(page)


def test_a_wrong_password_is_answered_in_russian(portal, browser_page):
    World()
    page = browser_page()
    page.goto(portal.url + "/accounts/login/")
    page.fill("#id_username", "deputy")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    assert "Неверный логин или пароль" in page.content()
    portal.shot(page, "login-error")
    portal.check_accessibility(page)


def test_the_deputy_manages_staff_on_a_phone(portal, browser_page):
    world = World()
    page = browser_page("deputy", viewport=(390, 844))
    page.goto(f"{portal.url}/organisations/{world.school.pk}/")
    portal.assert_no_horizontal_scroll(page)
    portal.shot(page, "organisation-phone")
    page.goto(f"{portal.url}/staff/{world.colleague.pk}/")
    portal.assert_no_horizontal_scroll(page)
    portal.check_accessibility(page)
    portal.shot(page, "staff-phone")
