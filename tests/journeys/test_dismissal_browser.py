"""A deputy dismisses a mentor mid-year and reassigns the mentee, in a real browser (issue 16, «Done when», the
dismissal's part): the dismissal page shows what it affects (the running route, the pairs, the mentee needing a new
mentor) before anything changes; confirming withdraws the route «уволен», ends the pairs on the dismissal date and
lists the mentee on «Наставничество», whose «Нужен новый наставник» block opens the new pair's form.

A small world (tests/world.py) and the real services. Every step is screenshotted at 1366 px and 390 px and
checked with axe (tests/journeys/test_steering_browser.look).

    .venv/bin/python -m pytest tests/journeys/test_dismissal_browser.py -m browser
"""

import pytest
from django.utils import timezone

from diagnostics.models import Deficit
from methodics.mentoring.services import MENTOR_DISMISSED
from methodics.models import MentoringPair
from routes.models import Route
from schools.models import StaffMember
from tests.diagnostics.factories import DeficitFactory
from tests.factories import StaffFactory
from tests.journeys.test_role_journeys import _reference_data  # noqa: F401 (autouse: the framework after a flush)
from tests.journeys.test_steering_browser import look
from tests.methodics.factories import PairFactory
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_deputy_dismisses_a_mentor_mid_year_and_reassigns_the_mentee(portal, browser_page):
    w = World()
    mentor = w.teacher_staff
    deficit = DeficitFactory(person=mentor, status=Deficit.Status.IN_WORK)
    route = RouteFactory(person=mentor, status=Route.Status.IN_PROGRESS)
    route.deficits.add(deficit)
    ActivityFactory(route=route)
    mentee = w.colleague
    old_pair = PairFactory(mentor=mentor, mentee=mentee, organisation=w.school,
                           starts_on=route.starts_on)
    successor = StaffFactory(organisation=w.school, last_name="Григорьева", position="учитель физики",
                             experience_years=15)
    dismissed_on = timezone.localdate()  # mid-year: the route's period runs to the end of August

    page = browser_page("deputy")
    page.goto(f"{portal.url}/staff/{mentor.pk}/dismiss/")
    effects = page.locator("section:has(#dismissal-effects)").inner_text()
    assert f"ИОМ {route.academic_year}" in effects and "«уволен»" in effects
    assert f"{mentor.short_name} — наставник, {mentee.short_name} — наставляемый" in effects
    assert "нужен новый наставник" in effects
    look(portal, page, "dismissal-preview")
    route.refresh_from_db()
    assert route.status == Route.Status.IN_PROGRESS  # the preview changes nothing

    page.fill("#id_dismissed_on", dismissed_on.isoformat())
    page.click("text=Оформить увольнение")
    page.wait_for_url(lambda url: "/methodics/mentoring/" in url)
    told = page.locator(".alert-success").inner_text()
    assert "отмечено увольнение" in told and "Отозвано ИОМ: 1 (причина «уволен»)" in told
    # the last sentence ends with the mentee's initials: one full stop, not two
    assert told.strip().endswith(f"Новый наставник нужен (список на странице «Наставничество»): {mentee.short_name}")
    block = page.locator(".alert:has-text('Нужен новый наставник')")
    assert mentee.full_name in block.inner_text()
    look(portal, page, "mentoring-needs-a-mentor")

    # what the dismissal did, in one step
    mentor.refresh_from_db()
    assert (mentor.status, mentor.dismissed_on) == (StaffMember.Status.DISMISSED, dismissed_on)
    route.refresh_from_db()
    assert route.status == Route.Status.WITHDRAWN
    assert route.transitions.get(to_status=Route.Status.WITHDRAWN).comment == "уволен"
    deficit.refresh_from_db()
    assert deficit.status == Deficit.Status.DETECTED
    old_pair.refresh_from_db()
    assert (old_pair.ends_on, old_pair.end_note) == (dismissed_on, MENTOR_DISMISSED)

    block.locator("text=назначить наставника").click()
    page.wait_for_url(lambda url: "/new/" in url)
    assert page.locator("#id_mentee").input_value() == str(mentee.pk)
    candidates = page.locator("section:has(#candidates-h)").inner_text()
    assert "Григорьева" in candidates and "15 лет" in candidates
    page.select_option("#id_mentor", str(successor.pk))
    look(portal, page, "new-pair-form")
    page.click("button:has-text('Создать пару')")
    page.locator("text=Наставническая пара создана.").wait_for()
    assert page.locator(".alert:has-text('Нужен новый наставник')").count() == 0
    look(portal, page, "mentoring-reassigned")

    new_pair = MentoringPair.objects.get(mentee=mentee, mentor=successor)
    assert new_pair.ends_on is None and new_pair.starts_on == timezone.localdate()
    assert list(MentoringPair.objects.filter(mentee=mentee, ends_on__isnull=True)) == [new_pair]
    page.goto(f"{portal.url}/routes/{route.pk}/")
    assert "Отозван" in page.content() or "отозван" in page.content()
    look(portal, page, "withdrawn-route")
