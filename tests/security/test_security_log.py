"""The security log: one JSON object per event, with who, from where and what — and never a
password, a session id or a reset token."""

import io
import json
import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from core.logging import JsonFormatter, log_security_event, redact_path
from core.middleware import SecurityAuditMiddleware
from schools import services
from schools.models import Membership
from tests.matrix import all_cases
from tests.world import ROLES, World

PASSWORD = "pass-word-123"  # tests.factories.UserFactory


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.INFO)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))

    def events(self, name=None) -> list[dict]:
        parsed = [json.loads(line) for line in self.lines]
        return [e for e in parsed if name is None or e["event"] == name]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def security_log():
    handler = _Capture()
    logger = logging.getLogger("iom.security")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


@pytest.fixture
def world(db):
    return World()


def _assert_no_secrets(log: _Capture, client: Client, *secrets: str):
    session_id = client.cookies.get("sessionid")
    csrf = client.cookies.get("csrftoken")
    for value in [*secrets, session_id.value if session_id else None, csrf.value if csrf else None]:
        if value:
            assert value not in log.text
    for event in log.events():
        assert not {key for key in event if "password" in key or "session" in key or "token" in key}


def test_a_login_is_logged_with_user_and_address_but_no_password_or_session_id(world, security_log):
    client = Client(REMOTE_ADDR="10.1.2.3")
    response = client.post(reverse("login"), {"username": "teacher", "password": PASSWORD})

    assert response.status_code == 302
    [login] = security_log.events("login")
    assert login["user_id"] == world.user("teacher").pk
    assert login["ip"] == "10.1.2.3"
    assert login["path"] == reverse("login")
    assert login["level"] == "INFO" and login["time"]
    _assert_no_secrets(security_log, client, PASSWORD)


def test_behind_a_trusted_proxy_the_log_names_the_client_not_the_proxy(world, security_log, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.9.8.7")
    client.post(reverse("login"), {"username": "teacher", "password": PASSWORD})
    [login] = security_log.events("login")
    assert login["ip"] == "10.9.8.7"  # what nginx saw; the left entry comes from the client and is not believed


def test_a_failed_login_is_logged_with_the_username_only(world, security_log):
    client = Client()
    client.post(reverse("login"), {"username": "teacher", "password": "Secret-Guess-42"})

    [failed] = security_log.events("login_failed")
    assert failed["username"] == "teacher"
    assert failed["user_id"] is None
    _assert_no_secrets(security_log, client, "Secret-Guess-42")


def test_refusals_are_logged_with_their_reason(world, security_log):
    client = Client()
    client.force_login(world.user("teacher"))

    assert client.get(reverse("organisation_list")).status_code == 403
    assert client.get(reverse("staff_detail", args=[world.far_staff.pk])).status_code == 404
    assert client.get("/no-such-page/").status_code == 404

    [refused] = security_log.events("refused")
    assert refused["status"] == 403 and refused["exception"] == "PermissionDenied"
    assert refused["user_id"] == world.user("teacher").pk and refused["path"] == reverse("organisation_list")
    assert refused["reason"]  # the Russian message the user saw
    not_found = security_log.events("not_found")
    assert [e["path"] for e in not_found] == [reverse("staff_detail", args=[world.far_staff.pk]), "/no-such-page/"]
    assert not_found[0]["exception"] == "Http404"
    _assert_no_secrets(security_log, client)


def test_a_post_refused_for_its_missing_csrf_token_is_logged(world, security_log):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("teacher"))
    assert client.post(reverse("notification_read_all")).status_code == 403
    [refused] = security_log.events("refused")
    assert refused["method"] == "POST" and refused["user_id"] == world.user("teacher").pk


def test_an_upload_is_logged_with_name_size_and_type_not_content(security_log, db):
    def view(request):
        request.FILES["file"].read()
        return HttpResponse("ok")

    request = RequestFactory().post("/routes/1/evidence/", {
        "file": SimpleUploadedFile("справка.pdf", b"%PDF-1.4 private content", content_type="application/pdf"),
    }, REMOTE_ADDR="10.0.0.9")
    request.user = AnonymousUser()
    SecurityAuditMiddleware(view)(request)

    [upload] = security_log.events("upload")
    assert upload == {**upload, "file_name": "справка.pdf", "size": 24, "content_type": "application/pdf",
                      "field": "file", "status": 200, "ip": "10.0.0.9"}
    assert "private content" not in security_log.text


def test_a_view_that_ignores_the_body_is_not_logged_as_an_upload(security_log, db):
    request = RequestFactory().post("/x/", {"file": SimpleUploadedFile("a.txt", b"abc")})
    request.user = AnonymousUser()
    SecurityAuditMiddleware(lambda r: HttpResponse("ok"))(request)
    assert security_log.events("upload") == []


def test_a_download_is_logged_as_an_export(security_log, db):
    request = RequestFactory().get("/reports/7/download/")
    request.user = AnonymousUser()
    SecurityAuditMiddleware(lambda r: FileResponse(io.BytesIO(b"x"), as_attachment=True, filename="кадры.xlsx"))(request)

    [export] = security_log.events("export")
    assert export["path"] == "/reports/7/download/" and "attachment" in export["disposition"]


@pytest.mark.parametrize("case", [c for c in all_cases() if c.method == "get"], ids=lambda c: c.id)
def test_every_download_of_the_matrix_is_logged_as_an_export(case, world, security_log):
    client = Client()
    for role in ROLES[1:]:
        if case.expect[role] != 200:
            continue
        client.force_login(world.user(role))
        before = len(security_log.events("export"))
        response = client.get(case.url(world))
        if response.get("Content-Disposition", "").startswith("attachment"):
            exports = security_log.events("export")[before:]
            assert len(exports) == 1 and exports[0]["user_id"] == world.user(role).pk


def test_role_changes_from_the_admin_are_logged_with_the_actor(world, security_log):
    admin = world.user("admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    target = world.user("teacher")

    response = client.post(reverse("admin:schools_membership_add"), {
        "user": target.pk, "role": "deputy", "organisation": world.school.pk, "municipality": "", "region": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=target, role="deputy")
    response = client.post(reverse("admin:schools_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert response.status_code == 302

    [created] = security_log.events("membership_created")
    [deleted] = security_log.events("membership_deleted")
    for event in (created, deleted):
        assert event["user_id"] == admin.pk  # who did it
        assert event["target_user_id"] == target.pk and event["role"] == "deputy"
        assert event["organisation_id"] == world.school.pk
    _assert_no_secrets(security_log, client)


def test_role_changes_outside_a_request_are_logged_too(world, security_log):
    services.grant_role(actor=world.user("admin"), user=world.user("teacher"), role="deputy",
                        organisation=world.school)
    [created] = security_log.events("membership_created")
    assert created["target_user_id"] == world.user("teacher").pk and created["role"] == "deputy"
    assert "user_id" not in created  # no request: the service's own role_granted event names the actor
    [granted] = security_log.events("role_granted")
    assert granted["actor_id"] == world.user("admin").pk


def test_deactivating_an_account_is_logged(world, security_log):
    user = world.user("teacher")
    user.is_active = False
    user.save()
    [changed] = security_log.events("account_changed")
    assert changed["target_user_id"] == user.pk and changed["is_active"] is False


def test_secrets_passed_by_mistake_are_dropped_and_reset_tokens_masked(security_log):
    log_security_event("test_event", None, password="p4ss", new_password1="p4ss", session_key="abc123sess",
                       csrfmiddlewaretoken="tok", Authorization="Bearer x", path="/accounts/reset/MQ/cz7-abc123def/",
                       name="kept")
    [event] = security_log.events("test_event")
    assert event["path"] == "/accounts/reset/MQ/***/"
    assert event["x_name"] == "kept"
    for secret in ("p4ss", "abc123sess", "tok\"", "Bearer", "cz7-abc123def"):
        assert secret not in security_log.text
    assert redact_path("/accounts/invitation/MTI/set-password/") == "/accounts/invitation/MTI/***/"
    assert redact_path("/staff/12/") == "/staff/12/"
