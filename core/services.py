from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from core.models import Notification


def notify(*, users, text: str, url: str = "", subject: str | None = None) -> None:
    """Notify users in the portal and by e-mail, once the current transaction commits.

    Called from inside service functions: if the transaction rolls back, nobody hears of a
    change that did not happen.
    """
    recipients = [u for u in users if u is not None and u.is_active]
    if not recipients:
        return

    def _send():
        Notification.objects.bulk_create(Notification(recipient=u, text=text[:500], url=url) for u in recipients)
        from core.tasks import send_notification_email

        for user in recipients:
            if user.email:
                send_notification_email.delay(user.email, subject or "ИОМ-портал: " + text[:80], text, url)

    transaction.on_commit(_send)


def send_email_now(*, to: str, subject: str, body: str, url: str = "") -> None:
    link = f"\n\n{settings.PORTAL_BASE_URL}{url}" if url else ""
    send_mail(subject, body + link, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
