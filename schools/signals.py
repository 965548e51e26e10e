"""Security log of authentication events (receivers only record; they change nothing)."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from core.logging import log_security_event
from schools.models import Membership


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


# Role changes, wherever they come from (services, admin, imports, tasks): receivers only log.
def _current_request():
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


def _membership_fields(membership) -> dict:
    return {
        "membership_id": membership.pk, "target_user_id": membership.user_id, "role": membership.role,
        "organisation_id": membership.organisation_id, "municipality_id": membership.municipality_id,
        "region_id": membership.region_id,
    }


@receiver(post_save, sender=Membership)
def _membership_saved(sender, instance, created, raw=False, **kwargs):
    if not raw:
        event = "membership_created" if created else "membership_changed"
        log_security_event(event, _current_request(), **_membership_fields(instance))


@receiver(post_delete, sender=Membership)
def _membership_deleted(sender, instance, **kwargs):
    log_security_event("membership_deleted", _current_request(), **_membership_fields(instance))


_ACCOUNT_FLAGS = ("is_active", "is_staff", "is_superuser")


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _account_flags_before(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or (update_fields is not None and not set(update_fields) & set(_ACCOUNT_FLAGS)):
        return
    instance._iom_flags_before = sender.objects.filter(pk=instance.pk).values(*_ACCOUNT_FLAGS).first()


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _account_flags_after(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_iom_flags_before", None)
    instance._iom_flags_before = None
    if raw or created or not before:
        return
    changed = {flag: getattr(instance, flag) for flag in _ACCOUNT_FLAGS if before[flag] != getattr(instance, flag)}
    if changed:
        log_security_event("account_changed", _current_request(), target_user_id=instance.pk, **changed)
