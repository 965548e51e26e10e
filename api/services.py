"""Writes of the api app: creating and revoking integration tokens (the admin and `manage.py api_token`)."""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from api.models import IntegrationToken, secret_digest
from api.permissions import capabilities_of_role, missing_companions
from core.errors import DomainError
from core.logging import log_security_event
from schools.access import CAPABILITIES
from schools.models import Membership, Municipality, Organisation, Region

SECRET_PREFIX = "iom_"  # noqa: S105 (the visible start of every secret, not a secret)


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def check_binding(*, role: str, capabilities: list[str], organisation: Organisation | None = None,
                  municipality: Municipality | None = None, region: Region | None = None) -> Membership:
    """The membership the token's account will hold, or a ValidationError naming what is wrong (in Russian)."""
    membership = Membership(role=role, organisation=organisation, municipality=municipality, region=region)
    membership.clean()  # the scope the role needs: an organisation, a municipality, a region, or none
    allowed = capabilities_of_role(role)
    if not allowed:
        raise ValidationError({"role": "У этой роли нет прав, которыми пользуется API: токен ей не нужен."})
    if not capabilities:
        raise ValidationError({"capabilities": "Отметьте хотя бы одно право."})
    foreign = [c for c in capabilities if c not in allowed]
    if foreign:
        raise ValidationError({"capabilities": "Этих прав у роли нет (или API ими не пользуется): "
                                               + ", ".join(foreign) + "."})
    role_capabilities = {c for c, roles in CAPABILITIES.items() if role in roles}
    if missing := missing_companions(capabilities, role_capabilities):
        raise ValidationError({"capabilities": [
            f"{capability} пользуется и правом {also}: отметьте и его." for capability, also in missing
        ]})
    return membership


@transaction.atomic
def token_create(*, name: str, role: str, capabilities: list[str], created_by=None,
                 organisation: Organisation | None = None, municipality: Municipality | None = None,
                 region: Region | None = None, expires_at=None, request=None) -> tuple[IntegrationToken, str]:
    """A new token, its service account and the account's membership; the secret is returned once, never kept."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Укажите название токена."})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "Срок действия должен быть в будущем."})
    membership = check_binding(role=role, capabilities=capabilities, organisation=organisation,
                               municipality=municipality, region=region)
    account = get_user_model()(username=f"api-{secrets.token_hex(6)}", first_name=name[:150],
                               last_name="(интеграция)")
    account.set_unusable_password()  # never signs in to the browser; password reset finds no usable password
    account.save()
    membership.user = account
    membership.save()
    secret = new_secret()
    token = IntegrationToken.objects.create(
        name=name[:200], account=account, prefix=secret[:12], secret_hash=secret_digest(secret),
        capabilities=[c for c in capabilities_of_role(role) if c in set(capabilities)], created_by=created_by,
        expires_at=expires_at,
    )
    log_security_event("api_token_created", request, integration_id=token.pk, integration_prefix=token.prefix,
                       account_id=account.pk, role=role, capabilities=",".join(token.capabilities))
    return token, secret


@transaction.atomic
def token_revoke(*, token: IntegrationToken, actor=None, request=None) -> IntegrationToken:
    """Revoke the token and switch its account off: its queued import jobs are refused when they run
    (core/imports/tasks.py re-checks the requester's rights)."""
    token = IntegrationToken.objects.select_for_update().select_related("account").get(pk=token.pk)
    if token.revoked_at is not None:
        raise DomainError(f"Токен «{token.name}» уже отозван.")
    token.revoked_at, token.revoked_by = timezone.now(), actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    account = token.account
    account.is_active = False
    account.save(update_fields=["is_active"])
    log_security_event("api_token_revoked", request, integration_id=token.pk, integration_prefix=token.prefix,
                       account_id=account.pk)
    return token
