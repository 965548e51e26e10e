"""The access layer as core sees it: core knows no domain app, so the policy registers itself here.

The policy (roles → capabilities, scopes, object rules) lives in `schools.access`; `SchoolsConfig.ready()`
registers it. Code in core (menus, imports, templates) asks through these functions; domain apps
import `schools.access` directly. A portal started without a registered policy fails on the first
question instead of letting everybody in.
"""

from types import ModuleType

from django.core.exceptions import ImproperlyConfigured

_policy: ModuleType | None = None


def register_policy(policy: ModuleType) -> None:
    global _policy
    _policy = policy


def _registered() -> ModuleType:
    if _policy is None:
        raise ImproperlyConfigured("No access policy is registered (schools.apps.SchoolsConfig.ready registers it).")
    return _policy


def has_capability(user, capability: str) -> bool:
    """Does the user hold the capability in some scope?"""
    return _registered().has_capability(user, capability)


def can(user, capability: str, organisation) -> bool:
    """May the user use the capability on this organisation's records?"""
    return _registered().can(user, capability, organisation)
