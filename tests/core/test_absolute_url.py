"""Links that leave the portal (e-mails, calendar feeds) go through core.links.absolute_url: PORTAL_BASE_URL
when it is set (production must set it: tests/test_settings.py), else the host of the request that makes
them, else the embedded default's http://127.0.0.1:8000 (a task, a command)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.links import absolute_url, request_base_url
from core.models import OutgoingEmail
from core.services import queue_email
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def embedded(settings):
    settings.PORTAL_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["testserver", "school-server.local", "iom.example.ru"]
    return settings


def _teacher_with_email():
    teacher = World().user("teacher")
    teacher.email = "teacher@example.org"
    teacher.save(update_fields=["email"])


def _reset_link(client, **extra) -> str:
    _teacher_with_email()
    response = client.post(reverse("password_reset"), {"email": "teacher@example.org"}, **extra)
    assert response.status_code == 302
    body = OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.PASSWORD_RESET).body
    return next(line for line in body.splitlines() if "/accounts/reset/" in line).strip()


def test_without_a_base_url_an_email_link_uses_the_host_the_user_opened(embedded, client):
    link = _reset_link(client, HTTP_HOST="school-server.local:8771")
    assert link.startswith("http://school-server.local:8771/accounts/reset/")


def test_without_a_base_url_a_request_over_https_gives_https_links(embedded, client):
    assert _reset_link(client, HTTP_HOST="school-server.local", secure=True).startswith(
        "https://school-server.local/accounts/reset/")


def test_a_host_not_allowed_never_reaches_a_link(embedded, client):
    _teacher_with_email()
    response = client.post(reverse("password_reset"), {"email": "teacher@example.org"}, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert not OutgoingEmail.objects.exists()


def test_outside_a_request_the_embedded_default_links_to_its_own_address(embedded, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        email = queue_email(to="teacher@example.org", subject="Напоминание", body="Срок близко.", url="/routes/5/")
    assert email.body.endswith("\n\nhttp://127.0.0.1:8000/routes/5/")


def test_the_request_host_is_forgotten_when_the_request_ends(embedded):
    request = RequestFactory().get("/", HTTP_HOST="school-server.local")
    with request_base_url(request):
        assert absolute_url("/routes/5/") == "http://school-server.local/routes/5/"
    assert absolute_url("/routes/5/") == "http://127.0.0.1:8000/routes/5/"


def test_a_base_url_wins_over_the_request_host(settings, client):
    settings.PORTAL_BASE_URL = "https://iom.example.ru"
    settings.ALLOWED_HOSTS = ["testserver", "10.0.0.5"]
    assert _reset_link(client, HTTP_HOST="10.0.0.5:8000").startswith("https://iom.example.ru/accounts/reset/")
    assert absolute_url("/calendar/") == "https://iom.example.ru/calendar/"


def test_a_notification_email_links_to_the_portal_page(settings, django_capture_on_commit_callbacks):
    settings.PORTAL_BASE_URL = "https://iom.example.ru"
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email(to="teacher@example.org", subject="ИОМ утвержден", body="Ваш ИОМ утвержден.",
                            url="/routes/5/")
    assert email.body == "Ваш ИОМ утвержден.\n\nhttps://iom.example.ru/routes/5/"


@pytest.mark.parametrize("path", ["https://evil.example/", "//evil.example/x", "routes/5/", ""])
def test_only_a_path_on_the_portal_is_made_absolute(path):
    with pytest.raises(ValueError):
        absolute_url(path)
