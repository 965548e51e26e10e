"""In the browser: «Справка» in the header leads to the role's guide, with its pictures, light and accessible."""

import pytest

from tests.world import World

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("username, guide", [("teacher", "Педагог"), ("deputy", "Заместитель директора")])
def test_the_user_opens_the_guide_of_their_role_from_the_header(portal, browser_page, username, guide):
    World()
    page = browser_page(username)
    page.click("nav >> text=Справка")
    assert page.locator("h1").inner_text() == "Справка"
    portal.shot(page, "help")
    portal.check_accessibility(page)
    page.click(f"nav[aria-label='Руководства'] >> text={guide}")
    assert page.locator("h1").inner_text() == f"Руководство: {guide}"
    pictures = page.locator("img.guide-shot")
    assert pictures.count() >= 2
    # The first picture is shown at once; the others load lazily as the user scrolls (first load ≤ 300 KB).
    page.wait_for_function("(i => i.complete && i.naturalWidth > 0)(document.querySelector('img.guide-shot'))")
    page.screenshot(path=str(portal.folder / "guide.png"))  # what the user sees; a full-page shot would load every picture
    portal.check_accessibility(page)
