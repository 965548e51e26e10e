"""Integration tokens: who a request is, creation and revocation (service, admin, command), and what never
reaches a log."""

import datetime as dt
import logging
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from api.models import IntegrationToken, secret_digest
from api.services import token_create, token_revoke
from core.errors import DomainError
from schools.access import has_capability
from tests.api.helpers import like, make_token, token_client
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def _deputy_token(world, **kwargs):
    return token_create(name="Школьная система", role="deputy", organisation=world.school,
                        capabilities=["org.view", "staff.view"], **kwargs)


# --- who the request is -------------------------------------------------------------------------------------------

def test_a_request_without_a_token_answers_401_with_the_bearer_scheme():
    response = Client().get("/api/v1/organisations/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["detail"] == "Учетные данные не были предоставлены."


@pytest.mark.parametrize("header", ["Bearer iom_unknown", "Bearer", "Bearer a b", "Token iom_x"])
def test_an_unknown_or_malformed_token_answers_401(header):
    assert Client(headers={"authorization": header}).get("/api/v1/organisations/").status_code == 401


def test_a_revoked_an_expired_token_and_a_switched_off_account_answer_401(world):
    revoked, revoked_secret = like(world.user("deputy"))
    token_revoke(token=revoked)
    _, expired_secret = like(world.user("deputy"), expires_at=timezone.now() - dt.timedelta(seconds=1))
    off, off_secret = like(world.user("deputy"))
    off.account.is_active = False
    off.account.save(update_fields=["is_active"])
    answers = {secret: token_client(secret).get("/api/v1/organisations/") for secret in
               (revoked_secret, expired_secret, off_secret)}
    assert {r.status_code for r in answers.values()} == {401}
    assert answers[revoked_secret].json()["detail"] == "Токен отозван."
    assert answers[expired_secret].json()["detail"] == "Срок действия токена истек."


def test_a_token_that_expires_later_works(world):
    _, secret = like(world.user("deputy"), expires_at=timezone.now() + dt.timedelta(days=1))
    assert token_client(secret).get("/api/v1/organisations/").status_code == 200


def test_a_browser_session_is_not_accepted_on_the_api(world):
    client = Client()
    client.force_login(world.user("admin"))
    assert client.get("/api/v1/organisations/").status_code == 401


def test_a_token_request_needs_no_csrf_token(world):
    token, secret = like(world.user("deputy"))
    client = Client(enforce_csrf_checks=True, headers={"authorization": f"Bearer {secret}"})
    response = client.post("/api/v1/imports/staff/", {})
    assert response.status_code == 400  # the form's refusal (no file), not CSRF's 403
    assert "file" in response.json()


def test_last_use_is_written_at_most_once_a_minute(world):
    token, secret = like(world.user("deputy"), last_used_at=None)
    client = token_client(secret)
    client.get("/api/v1/organisations/")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/organisations/")
    token.refresh_from_db()
    assert token.last_used_at == first
    IntegrationToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    client.get("/api/v1/organisations/")
    token.refresh_from_db()
    assert token.last_used_at > first


def test_the_secret_never_reaches_the_logs(world, caplog):
    token, secret = like(world.user("deputy"))
    client = token_client(secret)
    with caplog.at_level(logging.DEBUG):
        client.get("/api/v1/organisations/")
        client.get(f"/api/v1/organisations/{world.far_school.pk}/")  # 404: the security log records it
        client.get("/api/v1/figures/iom_share/")  # 403
        token_client(secret + "x").get("/api/v1/organisations/")  # 401
    logged = "\n".join(record.getMessage() + repr(vars(record)) for record in caplog.records)
    assert "not_found" in logged and "refused" in logged and "api_auth_failed" in logged
    assert secret not in logged
    assert secret[12:20] not in logged


# --- creating and revoking -----------------------------------------------------------------------------------------

def test_a_created_token_keeps_only_the_digest_and_acts_as_its_account(world):
    token, secret = _deputy_token(world, created_by=world.user("admin"))
    assert secret.startswith("iom_") and len(secret) > 40
    assert token.secret_hash == secret_digest(secret) and secret not in token.secret_hash
    assert token.prefix == secret[:12]
    account = token.account
    assert not account.has_usable_password() and account.is_active and not account.is_staff
    assert [(m.role, m.organisation_id) for m in account.memberships.all()] == [("deputy", world.school.pk)]
    assert has_capability(account, "staff.view")
    assert token_client(secret).get("/api/v1/staff/").status_code == 200


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"role": "deputy", "capabilities": ["route.import"]}, "Этих прав у роли нет"),
    ({"role": "deputy", "capabilities": []}, "хотя бы одно право"),
    ({"role": "deputy", "capabilities": ["staff.import"]}, "staff.import пользуется и правом staff.invite"),
    ({"role": "teacher", "capabilities": ["org.view"]}, "токен ей не нужен"),
    ({"role": "municipal_methodist", "capabilities": ["org.view"]}, "Для этой роли укажите только муниципалитет"),
])
def test_a_token_gets_only_what_its_role_holds_in_its_scope(world, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        token_create(name="x", organisation=world.school, **kwargs)
    assert not IntegrationToken.objects.exists()


def test_a_token_with_an_import_and_its_companion_is_accepted(world):
    token, _ = token_create(name="Кадры", role="deputy", organisation=world.school,
                            capabilities=["staff.invite", "staff.import"])
    assert token.capabilities == ["staff.import", "staff.invite"]  # in the API's order


def test_revoking_switches_the_account_off_and_cannot_be_done_twice(world):
    token, secret = _deputy_token(world)
    token_revoke(token=token, actor=world.user("admin"))
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == world.user("admin")
    assert not token.account.is_active
    assert token_client(secret).get("/api/v1/organisations/").status_code == 401
    with pytest.raises(DomainError, match="уже отозван"):
        token_revoke(token=token)


# --- the administrator's pages ------------------------------------------------------------------------------------

@pytest.fixture
def admin_client(world):
    user = world.user("admin")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_creates_a_token_and_shows_its_secret_once(world, admin_client):
    response = admin_client.post("/admin/api/integrationtoken/add/", {
        "name": "Мониторинг", "role": "municipal_methodist", "municipality": world.municipality.pk,
        "capabilities": ["org.view", "route.view"], "expires_at": "",
    })
    assert response.status_code == 200
    token = IntegrationToken.objects.get()
    page = response.content.decode()
    secret = page.split('id="integration-secret">')[1].split("<")[0]
    assert token.secret_hash == secret_digest(secret) and token.created_by == world.user("admin")
    assert response["Cache-Control"] == "no-store"
    listing = admin_client.get("/admin/api/integrationtoken/").content.decode()
    assert "Мониторинг" in listing and token.prefix in listing and secret not in listing
    assert secret not in admin_client.get(f"/admin/api/integrationtoken/{token.pk}/change/").content.decode()


def test_the_admin_form_says_what_is_wrong(world, admin_client):
    response = admin_client.post("/admin/api/integrationtoken/add/", {
        "name": "Кадры", "role": "deputy", "organisation": world.school.pk, "capabilities": ["staff.import"]})
    assert response.status_code == 200
    assert "staff.import пользуется и правом staff.invite" in response.content.decode()
    assert not IntegrationToken.objects.exists()


def test_the_admin_revokes_tokens_and_never_deletes_them(world, admin_client):
    token, secret = _deputy_token(world)
    response = admin_client.post("/admin/api/integrationtoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert admin_client.get(f"/admin/api/integrationtoken/{token.pk}/delete/").status_code == 403


def test_staff_users_who_do_not_grant_roles_see_no_tokens(world):
    user = UserFactory(username="helpdesk", is_staff=True)
    MembershipFactory(user=user, role="municipal_methodist", municipality=world.municipality)
    client = Client()
    client.force_login(user)
    assert client.get("/admin/api/integrationtoken/").status_code == 403
    assert client.get("/admin/api/integrationtoken/add/").status_code == 403


# --- the command line ------------------------------------------------------------------------------------------------

def test_the_command_creates_lists_and_revokes():
    school = OrganisationFactory()
    out, err = StringIO(), StringIO()
    call_command("api_token", "create", "--name", "Журнал", "--role", "director", "--organisation", str(school.pk),
                 "--capability", "org.view", "--capability", "route.view", "--expires", "31.12.2099",
                 stdout=out, stderr=err)
    secret = out.getvalue().strip()
    token = IntegrationToken.objects.get()
    assert token.secret_hash == secret_digest(secret) and token.expires_at.year == 2099
    assert token_client(secret).get("/api/v1/routes/").status_code == 200
    listing = StringIO()
    call_command("api_token", "list", stdout=listing)
    assert f"{token.pk}\t{token.prefix}…\tactive\tЖурнал\tdirector:" in listing.getvalue()
    assert secret not in listing.getvalue()
    call_command("api_token", "revoke", str(token.pk), stdout=StringIO())
    assert token_client(secret).get("/api/v1/routes/").status_code == 401
    with pytest.raises(CommandError, match="уже отозван"):
        call_command("api_token", "revoke", str(token.pk), stdout=StringIO())


def test_the_command_refuses_what_the_role_does_not_hold():
    school = OrganisationFactory()
    with pytest.raises(CommandError, match="Этих прав у роли нет"):
        call_command("api_token", "create", "--name", "x", "--role", "director", "--organisation", str(school.pk),
                     "--capability", "staff.import", stdout=StringIO(), stderr=StringIO())


def test_make_token_builds_what_the_service_builds(world):
    # the tests' shortcut and the service agree on what a token is
    token, secret = make_token(("deputy", {"organisation": world.school}), capabilities=["org.view"])
    assert token_client(secret).get("/api/v1/organisations/").status_code == 200
    assert token_client(secret).get("/api/v1/staff/").status_code == 403
