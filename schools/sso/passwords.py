"""SSO_LOCAL_PASSWORDS=admins: local passwords for administrators only (docs/sso.md)."""

from django.contrib.auth.backends import ModelBackend

from schools.access import has_capability, is_privileged_account


class AdministratorPasswordBackend(ModelBackend):
    """Django's password backend that lets in only administrators: superusers, Django staff users and
    holders of the portal's administrator role. Everybody else signs in through the directory or the
    provider; their sessions opened with a password before the switch end at the next request."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and (
            is_privileged_account(user) or has_capability(user, "account.local_password"))
