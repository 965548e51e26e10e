"""django-axes: five failed logins lock that username from that address for the cool-off time,
with a Russian page; other addresses and other usernames are not locked."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = [pytest.mark.axes, pytest.mark.django_db]

PASSWORD = "pass-word-123"  # tests.factories.UserFactory
WRONG = "not-the-password"


def _login(client, username, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_failed_logins_show_the_russian_message_until_the_fifth_locks_the_account(client, settings):
    assert settings.AXES_ENABLED and settings.AXES_FAILURE_LIMIT == 5
    UserFactory(username="teacher")
    for attempt in range(4):
        response = _login(client, "teacher", WRONG)
        assert response.status_code == 200, attempt
        assert "Неверный логин или пароль" in response.content.decode()

    fifth = _login(client, "teacher", WRONG)
    assert fifth.status_code == 429
    assert "Вход временно заблокирован" in fifth.content.decode()

    # Even the right password is refused now, with the same page and the wait in minutes.
    locked = _login(client, "teacher", PASSWORD)
    page = locked.content.decode()
    assert locked.status_code == 429
    assert "Попробуйте снова через 15 мин." in page
    assert "_auth_user_id" not in client.session
    assert locked["Content-Security-Policy"] and 'nonce="' in page


def test_the_lock_holds_only_for_that_username_and_address(client):
    UserFactory(username="teacher")
    UserFactory(username="deputy")
    for _ in range(5):
        _login(client, "teacher", WRONG)

    assert _login(client, "teacher", PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()
    assert _login(client, "deputy", PASSWORD).status_code == 302
    client.logout()
    assert _login(client, "teacher", PASSWORD).status_code == 429


def test_the_lock_ends_after_the_cool_off(client, settings):
    UserFactory(username="teacher")
    for _ in range(5):
        _login(client, "teacher", WRONG)
    assert _login(client, "teacher", PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))

    response = _login(client, "teacher", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_the_username_is_matched_whatever_its_case(client):
    UserFactory(username="teacher")
    for variant in ["Teacher", "TEACHER", "teacher", " teacher", "TeAcHeR"]:
        _login(client, variant, WRONG)
    assert _login(client, "teacher", PASSWORD).status_code == 429


def test_a_success_before_the_limit_resets_the_count(client):
    UserFactory(username="teacher")
    for _ in range(4):
        _login(client, "teacher", WRONG)
    assert _login(client, "teacher", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "teacher", WRONG).status_code == 200
