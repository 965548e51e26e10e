"""Writes of `core`: notifications and the outbox every e-mail of the portal goes through.

An e-mail is a row (`OutgoingEmail`) written in the transaction of the action that sends it, so
the action and its e-mail commit or roll back together; a Celery task sends it after the commit.
Whatever the mail server does — refuses, hangs, is not there — the action has already succeeded:
the task tries again with growing pauses (EMAIL_RETRY_SECONDS × 2ⁿ), and after EMAIL_MAX_ATTEMPTS
the message waits in the admin («Письма», state «Не отправлено») for «Отправить снова».
"""

import contextlib
import contextvars
import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from core.links import absolute_url
from core.logging import operations_log
from core.models import Notification, OutgoingEmail
from core.queue import publish
from core.words import shorten

MAX_RETRY_PAUSE_SECONDS = 60 * 60
_MADE_UP = contextvars.ContextVar("made_up_history", default=False)


@contextlib.contextmanager
def made_up_history():
    """While a loader writes a history that did not happen (the demo): notifications are written at once in the
    loader's transaction, and no e-mail goes out — nobody is to hear by e-mail of made-up events (and thousands
    of them would only slow the loader down)."""
    token = _MADE_UP.set(True)
    try:
        yield
    finally:
        _MADE_UP.reset(token)


def notify(*, users, text: str, url: str = "", subject: str | None = None) -> None:
    """Notify users in the portal and by e-mail, once the current transaction commits.

    Called from inside service functions: if the transaction rolls back, nobody hears of a
    change that did not happen.
    """
    recipients = [u for u in users if u is not None and u.is_active]
    if not recipients:
        return

    def _notifications():
        Notification.objects.bulk_create(Notification(recipient=u, text=shorten(text, 500), url=url) for u in recipients)

    if _MADE_UP.get():
        _notifications()
        return

    def _send():
        _notifications()
        for user in recipients:
            if user.email:
                queue_email(to=user.email, subject=subject or notification_subject(text), body=text, url=url)

    # robust: the action has committed; a failure here (the database blinking) is logged, not a 500
    transaction.on_commit(_send, robust=True)


def notification_subject(text: str) -> str:
    """The subject of a notification's e-mail: the portal's name and the start of the text."""
    return "ИОМ-портал: " + shorten(text, 80)


def queue_email(*, to: str, subject: str, body: str, url: str = "", html_body: str = "",
                kind: str = OutgoingEmail.Kind.NOTIFICATION) -> OutgoingEmail:
    """Keep the e-mail in the outbox (in the current transaction) and send it once that commits."""
    link = f"\n\n{absolute_url(url)}" if url else ""
    email = OutgoingEmail.objects.create(kind=kind, to=to, subject=shorten(subject, 300), body=body + link,
                                         html_body=html_body)
    _publish_on_commit(email.pk)
    return email


def _publish_on_commit(pk: int) -> None:
    from core.tasks import send_email

    # Not core.queue.publish_on_commit: the row has no dispatched_at; its next_attempt_at tells the
    # re-queue (core.tasks.requeue_emails) that nobody sent it.
    def _publish():
        if not publish(send_email, pk):  # the broker is down: due at once for the next re-queue
            overdue = timezone.now() - dt.timedelta(minutes=settings.QUEUE_REQUEUE_MINUTES)
            OutgoingEmail.objects.filter(pk=pk, status=OutgoingEmail.Status.PENDING).update(next_attempt_at=overdue)

    transaction.on_commit(_publish, robust=not send_email.app.conf.task_always_eager)


def _claim(pk: int) -> OutgoingEmail | None:
    """Mark the e-mail as being sent, unless it is sent, given up on, or being sent by another delivery."""
    now = timezone.now()
    stale = now - dt.timedelta(seconds=2 * settings.EMAIL_TIMEOUT + 60)
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=pk).first()
        if email is None or email.status in (OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED):
            return None
        if email.status == OutgoingEmail.Status.SENDING and email.claimed_at and email.claimed_at > stale:
            return None
        email.status, email.claimed_at = OutgoingEmail.Status.SENDING, now
        email.attempts += 1
        email.save(update_fields=["status", "claimed_at", "attempts"])
    return email


def retry_pause(attempts: int) -> float:
    """Seconds before the next attempt after `attempts` failed ones: 1×, 2×, 4× … EMAIL_RETRY_SECONDS."""
    return float(min(MAX_RETRY_PAUSE_SECONDS, settings.EMAIL_RETRY_SECONDS * 2 ** max(0, attempts - 1)))


def deliver_email(pk: int) -> float | None:
    """Send one e-mail of the outbox now. Returns the pause before the next attempt if it failed and
    attempts remain, else None (sent, given up on, or nothing to do: a duplicate delivery)."""
    email = _claim(pk)
    if email is None:
        return None
    message = EmailMultiAlternatives(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to])
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # smtplib's errors, refused and timed-out sockets, a bad address: all the same here
        return _failed(email, exc)
    # The text may hold a link that sets a password: it is not kept once it has left.
    OutgoingEmail.objects.filter(pk=email.pk).update(status=OutgoingEmail.Status.SENT, sent_at=timezone.now(),
                                                     body="", html_body="", last_error="")
    return None


def _failed(email: OutgoingEmail, exc: Exception) -> float | None:
    error = f"{type(exc).__name__}: {exc}"[:500]
    if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        OutgoingEmail.objects.filter(pk=email.pk).update(status=OutgoingEmail.Status.FAILED, last_error=error)
        operations_log.error("mail_failed", extra={"email_id": email.pk, "attempts": email.attempts, "error": error})
        return None
    pause = retry_pause(email.attempts)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.PENDING, last_error=error,
        next_attempt_at=timezone.now() + dt.timedelta(seconds=pause))
    return pause


@transaction.atomic
def resend_emails(*, emails) -> int:
    """«Отправить снова» (the admin): undelivered e-mails get their attempts back and go out at once."""
    pks = list(emails.exclude(status=OutgoingEmail.Status.SENT).values_list("pk", flat=True))
    OutgoingEmail.objects.filter(pk__in=pks).update(status=OutgoingEmail.Status.PENDING, attempts=0,
                                                    next_attempt_at=timezone.now(), claimed_at=None)
    for pk in pks:
        _publish_on_commit(pk)
    return len(pks)

