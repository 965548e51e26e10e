"""`Authorization: Bearer <secret>`: the integration token, and the service account it acts as.

An unknown, revoked or expired token, or a switched-off account, answers 401 (never 403 or 404: the
request is nobody). The secret never reaches a log: it is read from the header, hashed and dropped
(the security log drops fields named like tokens and authorisation anyway, core/logging.py).
"""

import datetime as dt

from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from api.models import IntegrationToken, secret_digest
from core.logging import log_security_event
from schools.timezones import zone_of_user

KEYWORD = b"bearer"
# A busy integration would otherwise write its token's row on every request.
LAST_USED_EVERY = dt.timedelta(minutes=1)


def _refuse(request, reason: str, message: str, token: IntegrationToken | None = None) -> AuthenticationFailed:
    """The refusal, written to the security log first (the Django request: its user is still anonymous)."""
    extra = {"integration_id": token.pk, "integration_prefix": token.prefix} if token is not None else {}
    log_security_event("api_auth_failed", request._request, reason=reason, **extra)
    return AuthenticationFailed(message)


class TokenAuthentication(BaseAuthentication):
    @sensitive_variables("header", "secret")
    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD:
            return None  # no token: DRF answers 401 for the views that need one
        if len(header) != 2:
            raise _refuse(request, "malformed", "Неверный заголовок Authorization: нужен «Bearer <токен>».")
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise _refuse(request, "unknown", "Токен не найден.") from None
        token = (IntegrationToken.objects.select_related("account")
                 .filter(secret_hash=secret_digest(secret)).first())
        if token is None:
            raise _refuse(request, "unknown", "Токен не найден.")
        now = timezone.now()
        state = token.state_at(now)
        if state == "revoked":
            raise _refuse(request, "revoked", "Токен отозван.", token)
        if state == "expired":
            raise _refuse(request, "expired", "Срок действия токена истек.", token)
        if not token.account.is_active:
            raise _refuse(request, "account_inactive", "Учетная запись токена отключена.", token)
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            IntegrationToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        # As a page for a signed-in user (schools.middleware, which deactivates it after the request): times
        # and "today" in the zone of the service account's region; the memberships read stay cached on it.
        timezone.activate(zone_of_user(token.account))
        return token.account, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
