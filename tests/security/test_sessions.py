"""Session lifetime: 30 minutes idle, 12 hours in all (both from settings); a password change ends
the user's other sessions; a deactivated user's sessions end on their very next request."""

import logging
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from core.middleware import SessionLifetimeMiddleware as Lifetime
from schools import services
from tests.world import World

pytestmark = pytest.mark.django_db
PASSWORD = "pass-word-123"  # tests.factories.UserFactory


@pytest.fixture
def world():
    return World()


def _signed_in(world, role="teacher") -> Client:
    client = Client()
    client.force_login(world.user(role))
    assert client.get(reverse("home")).status_code == 200
    return client


def _travel(client, *, idle: int = 0, age: int = 0) -> None:
    """Move the session's clock: `idle` seconds since the last request, `age` since it began."""
    session = client.session
    now = int(time.time())
    session[Lifetime.LAST_SEEN] = now - idle
    session[Lifetime.STARTED] = now - age
    session.save()


def _is_sent_to_login(response, next_url) -> bool:
    location = urlsplit(response.get("Location", ""))
    return (response.status_code == 302 and location.path == reverse("login")
            and parse_qs(location.query).get("next") == [next_url])


def test_the_defaults_are_thirty_minutes_idle_and_twelve_hours_in_all(settings):
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_COOKIE_AGE == 12 * 3600


def test_a_session_idle_for_less_than_thirty_minutes_goes_on(world):
    client = _signed_in(world)
    _travel(client, idle=29 * 60, age=5 * 3600)
    assert client.get(reverse("notifications")).status_code == 200


def test_a_session_idle_for_more_than_thirty_minutes_ends(world, caplog):
    client = _signed_in(world)
    _travel(client, idle=31 * 60)

    with caplog.at_level(logging.INFO, logger="iom.security"):
        response = client.get(reverse("notifications"))

    assert _is_sent_to_login(response, reverse("notifications"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302
    expired = [r for r in caplog.records if r.getMessage() == "session_expired"]
    assert [r.reason for r in expired] == ["idle"]


def test_a_busy_session_still_ends_twelve_hours_after_it_began(world):
    client = _signed_in(world)
    _travel(client, idle=10, age=12 * 3600 - 60)
    assert client.get(reverse("home")).status_code == 200
    _travel(client, idle=10, age=12 * 3600 + 1)

    assert _is_sent_to_login(client.get(reverse("home")), reverse("home"))
    assert client.get(reverse("home")).status_code == 302


def test_both_limits_follow_the_settings(world, settings):
    settings.SESSION_IDLE_SECONDS = 120
    settings.SESSION_COOKIE_AGE = 600
    client = _signed_in(world)
    _travel(client, idle=100, age=500)
    assert client.get(reverse("home")).status_code == 200
    _travel(client, idle=121, age=500)
    assert client.get(reverse("home")).status_code == 302

    client = _signed_in(world)
    _travel(client, idle=10, age=601)
    assert client.get(reverse("home")).status_code == 302


def test_the_session_start_is_kept_while_the_user_works(world):
    client = _signed_in(world)
    _travel(client, idle=120, age=3600)
    started = client.session[Lifetime.STARTED]

    assert client.get(reverse("home")).status_code == 200

    assert client.session[Lifetime.STARTED] == started  # work does not push the absolute limit
    assert client.session[Lifetime.LAST_SEEN] >= int(time.time()) - 2  # but it does reset idleness


def test_a_password_change_ends_the_users_other_sessions_but_not_this_one(world):
    user = world.user("teacher")
    this, other = Client(), Client()
    assert this.login(username=user.username, password=PASSWORD)
    assert other.login(username=user.username, password=PASSWORD)
    assert other.get(reverse("home")).status_code == 200

    response = this.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Nov-Parol-2026!", "new_password2": "Nov-Parol-2026!",
    })

    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert this.get(reverse("home")).status_code == 200
    assert _is_sent_to_login(other.get(reverse("home")), reverse("home"))


def test_a_deactivated_users_sessions_end_at_once(world):
    user = world.user("teacher")
    client = _signed_in(world)
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert _is_sent_to_login(client.get(reverse("notifications")), reverse("notifications"))


def test_dismissing_a_teacher_ends_their_session(world):
    teacher = _signed_in(world, "teacher")
    services.staff_dismiss(actor=world.user("deputy"), staff=world.teacher_staff,
                           dismissed_on=world.teacher_staff.created_at.date())

    assert teacher.get(reverse("home")).status_code == 302
    user = world.user("teacher")
    user.refresh_from_db()
    assert not user.is_active
