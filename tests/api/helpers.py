"""Tokens for the API tests: a service account holding the given memberships, and a client sending its secret."""

import secrets

from django.test import Client
from django.utils import timezone

from api.models import IntegrationToken, secret_digest
from api.permissions import capabilities_of_role
from api.services import new_secret
from tests.factories import MembershipFactory, UserFactory


def make_token(*memberships: tuple, capabilities: list[str] | None = None, name: str = "Тестовая интеграция",
               **fields) -> tuple[IntegrationToken, str]:
    """memberships: (role, scope dict) pairs, e.g. ("deputy", {"organisation": school}); capabilities:
    by default every API capability the roles hold. `last_used_at` is now, so a test's requests write nothing."""
    account = UserFactory(username=f"api-{secrets.token_hex(6)}", password=None)  # None: an unusable password
    roles = []
    for role, scope in memberships:
        MembershipFactory(user=account, role=role, **scope)
        roles.append(role)
    if capabilities is None:
        capabilities = sorted({c for role in roles for c in capabilities_of_role(role)})
    secret = new_secret()
    fields.setdefault("last_used_at", timezone.now())
    token = IntegrationToken.objects.create(name=name, account=account, prefix=secret[:12],
                                            secret_hash=secret_digest(secret), capabilities=capabilities, **fields)
    return token, secret


def token_client(secret: str | None) -> Client:
    return Client(headers={"authorization": f"Bearer {secret}"}) if secret else Client()


def like(user, **kwargs) -> tuple[IntegrationToken, str]:
    """A token whose account holds the same memberships as `user` (a World role)."""
    scopes = [(m.role, {"organisation": m.organisation, "municipality": m.municipality, "region": m.region})
              for m in user.memberships.all()]
    return make_token(*scopes, **kwargs)
