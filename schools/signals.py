"""Security log of authentication events (receivers only record; they change nothing)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.logging import log_security_event


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    log_security_event("login", request, user_id=user.pk)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        log_security_event("logout", request, user_id=user.pk)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the username: never the password.
    log_security_event("login_failed", request, username=str(credentials.get("username", ""))[:150])
