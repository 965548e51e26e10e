"""Signing in through a real OpenID provider (npm's oidc-provider on 127.0.0.1), end to end.

A client (requests, following redirects and keeping each host's cookies, as a browser does) opens
the portal's «Войти через …» address on pytest-django's live server, is sent to the provider,
submits the provider's sign-in form, and comes back through the portal's callback, which exchanges
the code with the provider and checks the ID token. One journey runs in Debian's Chromium too.
"""

import logging
import re
from urllib.parse import urlencode, urljoin

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from schools.models import Membership, StaffMember
from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory
from tests.sso import oidc_provider
from tests.sso.conftest import configure

pytestmark = pytest.mark.django_db(transaction=True)
User = get_user_model()


@pytest.fixture
def provider(oidc_server, settings):
    configure(settings, oidc_server.env())
    return oidc_server


@pytest.fixture
def school():
    return OrganisationFactory()


def teacher(school, email, **fields):
    user = UserFactory(username=email, email=email)
    MembershipFactory(user=user, role=Membership.Role.TEACHER, organisation=school)
    return StaffFactory(organisation=school, email=email, user=user, **fields)


class Journey:
    """One browser-like client: its final page and the portal account its session belongs to."""

    def __init__(self, portal_url: str):
        self.portal_url = portal_url
        self.client = requests.Session()
        self.page: requests.Response | None = None

    def start(self, next_url: str = "") -> requests.Response:
        query = f"?{urlencode({'next': next_url})}" if next_url else ""
        self.page = self.client.get(f"{self.portal_url}{reverse('sso_oidc_start')}{query}", timeout=30)
        return self.page

    def sign_in_at_provider(self, login: str, password: str | None = None) -> requests.Response:
        assert "Вход в региональную учетную запись" in self.page.text, self.page.text[:500]
        action = re.search(r'action="([^"]+)"', self.page.text).group(1)
        password = password if password is not None else oidc_provider.ACCOUNTS[login]["password"]
        self.page = self.client.post(urljoin(self.page.url, action), data={"login": login, "password": password},
                                     timeout=60)
        return self.page

    def signed_in_as(self) -> str | None:
        key = self.client.cookies.get("sessionid")
        return SessionStore(session_key=key).get("_auth_user_id") if key else None


def journey(live_server, login, next_url="") -> Journey:
    trip = Journey(live_server.url)
    trip.start(next_url)
    trip.sign_in_at_provider(login)
    return trip


def test_the_provider_s_account_signs_in_to_the_staff_record_s_account(live_server, provider, school):
    staff = teacher(school, "ivanova@school.example")
    trip = journey(live_server, "ivanova")
    assert trip.page.status_code == 200 and trip.page.url == f"{live_server.url}/"
    assert trip.signed_in_as() == str(staff.user.pk)
    key = trip.client.cookies.get("sessionid")
    assert SessionStore(session_key=key)["_auth_user_backend"] == "schools.sso.oidc.PortalOIDCBackend"
    # the provider's tokens are not kept in the portal's session
    assert not {"oidc_access_token", "oidc_id_token"} & set(SessionStore(session_key=key).keys())


def test_the_page_asked_for_is_opened_after_sign_in(live_server, provider, school):
    teacher(school, "ivanova@school.example")
    trip = journey(live_server, "ivanova", next_url="/help/")
    assert trip.page.url == f"{live_server.url}/help/"


def test_an_address_outside_the_portal_is_not_followed_after_sign_in(live_server, provider, school):
    teacher(school, "ivanova@school.example")
    trip = journey(live_server, "ivanova", next_url="https://evil.example/")
    assert trip.page.url == f"{live_server.url}/"


def test_an_account_without_a_staff_record_comes_back_to_the_login_page_with_the_reason(live_server, provider, caplog):
    accounts = User.objects.count()
    with caplog.at_level(logging.INFO, logger="iom.security"):
        trip = journey(live_server, "petrov")
    assert trip.page.url == f"{live_server.url}{reverse('login')}"
    assert "нет работающего сотрудника с e-mail petrov@school.example" in trip.page.text
    assert trip.signed_in_as() is None and User.objects.count() == accounts
    refusal = next(r for r in caplog.records if r.getMessage() == "sso_refused")
    assert refusal.source == "oidc" and refusal.reason == "no_staff" and refusal.subject == "sub-petrov"


def test_a_dismissed_staff_member_cannot_sign_in(live_server, provider, school):
    teacher(school, "ivanova@school.example", status=StaffMember.Status.DISMISSED, dismissed_on="2026-01-31")
    trip = journey(live_server, "ivanova")
    assert trip.signed_in_as() is None and "уволен" in trip.page.text


def test_an_e_mail_the_provider_does_not_vouch_for_is_refused(live_server, provider, school):
    teacher(school, "unverified@school.example")
    trip = journey(live_server, "unverified")
    assert trip.signed_in_as() is None and "не подтвержден" in trip.page.text


def test_the_administrator_keeps_the_local_password(live_server, provider, school):
    chief = UserFactory(username="chief@school.example", email="chief@school.example", is_superuser=True)
    StaffFactory(organisation=school, email="chief@school.example", user=chief)
    trip = journey(live_server, "chief")
    assert trip.signed_in_as() is None and "только по своему логину и паролю" in trip.page.text


def test_a_wrong_password_at_the_provider_signs_nobody_in(live_server, provider, school):
    teacher(school, "ivanova@school.example")
    trip = Journey(live_server.url)
    trip.start()
    trip.sign_in_at_provider("ivanova", "not-the-password")
    assert "Неверный логин или пароль" in trip.page.text and trip.signed_in_as() is None


def test_a_first_sign_in_links_a_new_account_without_roles(live_server, provider, school):
    staff = StaffFactory(organisation=school, email="ivanova@school.example")
    first = journey(live_server, "ivanova")
    staff.refresh_from_db()
    assert first.signed_in_as() == str(staff.user.pk) and staff.user.memberships.count() == 0
    second = journey(live_server, "ivanova")
    assert second.signed_in_as() == str(staff.user.pk)
    assert User.objects.filter(email__iexact="ivanova@school.example").count() == 1


def test_roles_come_from_the_provider_only_with_a_mapping(live_server, oidc_server, settings, school):
    staff = teacher(school, "kozlova@school.example")
    configure(settings, oidc_server.env(OIDC_RP_SCOPES="openid email groups"))
    journey(live_server, "kozlova")
    assert list(staff.user.memberships.values_list("role", flat=True)) == ["teacher"]
    configure(settings, oidc_server.env(OIDC_RP_SCOPES="openid email groups",
                                        OIDC_ROLE_MAPPING='{"iom-deputies": "deputy"}'))
    trip = journey(live_server, "kozlova")
    assert trip.signed_in_as() == str(staff.user.pk)
    assert set(staff.user.memberships.values_list("role", "organisation")) == {
        ("teacher", school.pk), ("deputy", school.pk)}


def test_a_callback_the_portal_did_not_start_signs_nobody_in(live_server, provider, school):
    teacher(school, "ivanova@school.example")
    trip = Journey(live_server.url)
    trip.page = trip.client.get(f"{live_server.url}{reverse('sso_oidc_callback')}?code=forged&state=forged", timeout=30)
    assert trip.page.url == f"{live_server.url}{reverse('login')}" and trip.signed_in_as() is None
    assert "не выполнен" in trip.page.text


def test_a_provider_that_does_not_answer_sends_back_to_the_login_page(client, settings):
    configure(settings, {"OIDC_RP_CLIENT_ID": "iom", "OIDC_RP_CLIENT_SECRET": "s", "OIDC_TIMEOUT": "2",
                         "OIDC_OP_DISCOVERY_URL": "http://127.0.0.1:9/.well-known/openid-configuration"})
    response = client.get(reverse("sso_oidc_start"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "сейчас не отвечает" in response.content.decode()


@pytest.mark.browser
def test_the_journey_in_chromium(live_server, provider, school, tmp_path):
    """Cookies of two sites (portal and provider), SameSite=Lax, redirects after a form: as a browser does them."""
    import os

    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    staff = teacher(school, "ivanova@school.example")
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # as tests/browser.py: the ORM beside Playwright's loop
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(locale="ru-RU").new_page()
            page.set_default_timeout(20000)
            page.goto(f"{live_server.url}{reverse('sso_oidc_start')}?next=/help/")
            page.fill("input[name=login]", "ivanova")
            page.fill("input[name=password]", oidc_provider.ACCOUNTS["ivanova"]["password"])
            page.click("button[type=submit]")
            page.wait_for_url(f"{live_server.url}/help/")
            page.screenshot(path=str(tmp_path / "after-sign-in.png"))
            cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    assert SessionStore(session_key=cookie["value"]).get("_auth_user_id") == str(staff.user.pk)
