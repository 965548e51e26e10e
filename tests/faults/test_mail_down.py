"""The mail server down (issue 21): every e-mail goes through the outbox and a Celery task, the
user's action succeeds whatever the server does, attempts back off exponentially, and after the
last one the e-mail waits in the admin for «Отправить снова».

The first tests run everywhere (tasks in-process); the last one runs a real worker whose SMTP
port is closed at first, then answered by a local aiosmtpd server that receives the retried mail.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from core import services
from core.models import OutgoingEmail
from tests.faults.conftest import free_port, portal_on_redis, real_processes, wait_until
from tests.world import World


@pytest.fixture
def smtp_closed(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", free_port(), False
    settings.EMAIL_TIMEOUT = 5


def invite(client, w):
    colleague = w.colleague
    colleague.email = "colleague@example.org"
    colleague.save(update_fields=["email"])
    client.force_login(w.user("deputy"))
    return client.post(reverse("staff_invite", args=[colleague.pk]))


@pytest.mark.django_db
def test_an_invitation_succeeds_when_the_mail_server_refuses(client, smtp_closed, django_capture_on_commit_callbacks):
    w = World()
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, w)
    assert response.status_code == 302
    w.colleague.refresh_from_db()
    assert w.colleague.user is not None  # the account exists: the invitation is done
    email = OutgoingEmail.objects.get()
    assert email.kind == OutgoingEmail.Kind.INVITATION and email.status == OutgoingEmail.Status.PENDING
    assert email.attempts == 1 and "Connection" in email.last_error  # refused, to be tried again
    assert "/accounts/invitation/" in email.body


@pytest.mark.django_db
def test_a_password_reset_answers_the_same_page_whatever_the_mail_server_does(client, smtp_closed,
                                                                              django_capture_on_commit_callbacks):
    w = World()
    teacher = w.user("teacher")
    teacher.email = "teacher@example.org"
    teacher.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "teacher@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    email = OutgoingEmail.objects.get()
    assert email.kind == OutgoingEmail.Kind.PASSWORD_RESET and email.status == OutgoingEmail.Status.PENDING
    assert "/accounts/reset/" in email.body


def test_attempts_back_off_exponentially(settings):
    settings.EMAIL_RETRY_SECONDS = 60
    assert [services.retry_pause(n) for n in range(1, 8)] == [60, 120, 240, 480, 960, 1920, 3600]


@pytest.mark.django_db
def test_after_the_last_attempt_the_email_is_listed_for_the_administrator_and_sent_again(
        client, smtp_closed, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):  # the first attempt, in-process
        email = services.queue_email(to="teacher@example.org", subject="ИОМ-портал: ИОМ утвержден", body="Текст")
    assert services.deliver_email(email.pk) is None  # the second and last
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED and email.attempts == 2

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x-secret-1")
    client.force_login(admin)
    listing = client.get(reverse("admin:core_outgoingemail_changelist"), {"status__exact": "failed"})
    page = listing.content.decode()
    assert "teacher@example.org" in page and "Не отправлено" in page and "Отправить снова" in page
    assert "Текст" not in page  # the text (it may hold a password link) is not shown

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the mail server is back
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:core_outgoingemail_changelist"),
                               {"action": "send_again", "_selected_action": [email.pk]})
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and email.body == ""
    assert [m.to for m in mail.outbox] == [["teacher@example.org"]]
    # «Отправить снова» on a sent e-mail sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:core_outgoingemail_changelist"),
                    {"action": "send_again", "_selected_action": [email.pk]})
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_second_delivery_of_one_email_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = services.queue_email(to="a@example.org", subject="s", body="b")
    assert services.deliver_email(email.pk) is None
    assert len(mail.outbox) == 1


@real_processes
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_smtp_on_a_closed_port_then_a_local_server_receives_every_retried_email_once(
        module_redis, start_worker, smtp_server, settings):
    w = World()
    teacher = w.user("teacher")
    teacher.email = "teacher@example.org"
    teacher.save(update_fields=["email"])
    with portal_on_redis(settings, module_redis.url(2)):
        start_worker(module_redis.url(2), EMAIL_HOST="127.0.0.1", EMAIL_PORT=smtp_server.port, EMAIL_USE_TLS="false",
                     EMAIL_RETRY_SECONDS=1, EMAIL_MAX_ATTEMPTS=10, EMAIL_TIMEOUT=5)
        deputy, anonymous = Client(), Client()
        assert invite(deputy, w).status_code == 302
        assert anonymous.post(reverse("password_reset"), {"email": "teacher@example.org"}).status_code == 302
        invitation = OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.INVITATION)
        reset = OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.PASSWORD_RESET)
        for email in (invitation, reset):  # refused twice by the closed port: the pauses grow
            wait_until(lambda email=email: OutgoingEmail.objects.get(pk=email.pk).attempts >= 2, 60,
                       f"e-mail {email.pk} tried twice")
        assert not smtp_server.messages

        smtp_server.start()  # the mail server is back on its port
        for email in (invitation, reset):
            wait_until(lambda email=email: OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT,
                       60, f"e-mail {email.pk} sent")
        # a last e-mail behind any duplicate: once it has arrived, nothing queued before it is left
        with transaction.atomic():
            services.queue_email(to="barrier@example.org", subject="barrier", body="b")
        wait_until(lambda: smtp_server.received_by("barrier@example.org"), 60, "the barrier e-mail received")
    assert len(smtp_server.received_by("colleague@example.org")) == 1
    assert len(smtp_server.received_by("teacher@example.org")) == 1
    for email in (invitation, reset):
        email.refresh_from_db()
        assert email.status == OutgoingEmail.Status.SENT and email.attempts >= 3 and email.body == ""
