"""LDAP / Active Directory sign-in: django-auth-ldap checks the password, schools.sso.linking picks the account.

The login form is the portal's usual one: a directory login and password that no local account
accepts reach PortalLDAPBackend (after axes' backend and the password backend). The directory
entry is found with LDAP_USER_FILTER under LDAP_USER_SEARCH_BASE, bound to with the password typed,
and its LDAP_LINK_ATTRIBUTE (mail) values go to the linking rule. A refusal's Russian sentence is
left on the request for the login form (schools.auth_forms), which shows it instead of «Неверный
логин или пароль».
"""

import ldap
import ldap.dn
from django.conf import settings
from django.dispatch import receiver
from django_auth_ldap.backend import LDAPBackend, ldap_error

from core.logging import log_security_event
from schools.sso.linking import SsoIdentity, SsoRefused, sso_sign_in

DIRECTORY_DOWN = ("Каталог учетных записей сейчас не отвечает: войти через него нельзя. Попробуйте через несколько "
                  "минут; если не выйдет — сообщите администратору портала.")


def _normalised_dn(dn: str) -> str:
    """One spelling of a DN (spaces, case), as LDAP_ROLE_MAPPING's keys are read (iom_portal/sso_settings.py)."""
    try:
        return ldap.dn.dn2str(ldap.dn.str2dn(dn)).lower()
    except ldap.DECODING_ERROR:
        return dn.lower()


class PortalLDAPBackend(LDAPBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.SSO_LDAP or username is None:
            return None
        self._request = request  # Django makes a backend for each authenticate(): this is the one request's
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_or_build_user(self, username, ldap_user):
        config = settings.SSO_LDAP
        attrs = ldap_user.attrs or {}
        mapping = config["role_mapping"]
        identity = SsoIdentity(
            source="ldap", subject=ldap_user.dn or username, emails=tuple(attrs.get(config["link_attribute"], ())),
            groups=frozenset(_normalised_dn(dn) for dn in ldap_user.group_dns) if mapping is not None else None,
        )
        request = getattr(self, "_request", None)
        try:
            user = sso_sign_in(identity=identity, role_mapping=mapping, request=request)
        except SsoRefused as refusal:
            if request is not None:
                request.sso_refusal = refusal.message
            raise ldap_user.AuthenticationFailed(refusal.reason) from refusal
        return user, False  # never "built": django-auth-ldap neither creates nor fills in accounts


@receiver(ldap_error)
def _directory_failed(sender, context, user, request=None, exception=None, **kwargs):
    """The directory unreachable or refusing the portal's own bind: the user is told so, not «wrong password»."""
    log_security_event("sso_failed", request, source="ldap", context=context, error=type(exception).__name__)
    if request is not None and isinstance(exception, ldap.SERVER_DOWN | ldap.TIMEOUT | ldap.INVALID_CREDENTIALS
                                          | ldap.UNWILLING_TO_PERFORM):
        request.sso_refusal = DIRECTORY_DOWN
