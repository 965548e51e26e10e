"""Which capabilities a token may be given, and the check every endpoint makes before the access layer.

The capabilities are those of `schools.access.CAPABILITIES` (docs/access.md); a token lists a subset
of what its role grants. A capability a token lacks answers 403, as a role without it does in the
browser; then the access layer decides, for the token's account, 404 (outside the scope) or 403.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from schools.access import CAPABILITIES, MEANING

# What the endpoints of /api/v1/ exercise: reads, figures, and the import kinds' own capabilities.
READ_CAPABILITIES = ["org.view", "staff.view", "route.view", "diagnostics.view"]
FIGURE_CAPABILITIES = ["report.school", "report.municipal", "report.regional"]
IMPORT_CAPABILITIES = ["org.import", "staff.import", "route.import", "diagnostics.import", "catalog.manage"]
# Capabilities an import kind's rows use beyond the kind's own (docs/access.md): a staff file invites
# the staff it gives an e-mail (staff.invite), a file of organisations adds new municipalities
# (municipality.create), a registry of routes brings credit dates from the one who credits
# (route.credit), the catalog's federal and regional items are kept by catalog.keep_wide. Where the
# token's role holds one of these, the token must list it too, or the kind would use a right the
# token was not given.
ALSO_USES = {
    "staff.import": ["staff.invite"],
    "org.import": ["municipality.create"],
    "route.import": ["route.credit"],
    "catalog.manage": ["catalog.keep_wide"],
}
API_CAPABILITIES = [*READ_CAPABILITIES, *FIGURE_CAPABILITIES, *IMPORT_CAPABILITIES,
                    *sorted({c for also in ALSO_USES.values() for c in also})]


def capabilities_of_role(role: str) -> list[str]:
    """The capabilities a token of `role` may be given: the API's, as far as the role holds them."""
    return [capability for capability in API_CAPABILITIES if role in CAPABILITIES[capability]]


def choices_for_role(role: str | None = None) -> list[tuple[str, str]]:
    codes = API_CAPABILITIES if role is None else capabilities_of_role(role)
    return [(code, f"{code} — {MEANING[code]}") for code in codes]


def missing_companions(capabilities, role_capabilities) -> list[tuple[str, str]]:
    """(capability, companion) pairs where the token lists the capability but not a companion its role holds."""
    listed = set(capabilities)
    return [(capability, also) for capability in capabilities for also in ALSO_USES.get(capability, [])
            if also in role_capabilities and also not in listed]


def token_allows(token, capability: str) -> bool:
    return capability in token.capabilities


class TokenCapability(BasePermission):
    """The request is a token's, and the token lists the capability the view exercises.

    A view names it as `required_capability` (or answers `required_capability_for(request)` when it
    depends on the request: an import kind, a figure's scope). A view that names none is open to
    every valid token (the schema).
    """

    message = _("Токену не разрешено это действие.")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if token is None or not request.user or not request.user.is_authenticated:
            return False
        needed = view.required_capability_for(request) if hasattr(view, "required_capability_for") else getattr(
            view, "required_capability", None)
        if needed is None:
            return True
        if not token_allows(token, needed):
            self.message = (f"Токену не разрешено право {needed}: права токена задает администратор портала "
                            "(docs/api.md).")
            return False
        return True
