"""The settings of single sign-on, read from the environment (docs/sso.md).

A function of an environment rather than statements in settings.py, so that the tests configure
their live server from variables exactly as production reads them (tests/sso/). settings.py calls it
once, in its single sign-on block. Nothing set: nothing returned but the backends it was given.
"""

import json
from collections.abc import Mapping
from urllib.parse import urlparse

import environ
from django.core.exceptions import ImproperlyConfigured

LOCAL_LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"
ADMIN_LOGIN_BACKEND = "schools.sso.passwords.AdministratorPasswordBackend"
LDAP_BACKEND = "schools.sso.directory.PortalLDAPBackend"
OIDC_BACKEND = "schools.sso.oidc.PortalOIDCBackend"
# The roles held over one organisation (schools.models.Membership.SCOPE_OF_ROLE; tests/sso/test_settings_sso.py
# holds the two equal): a mapping gives roles only in the staff record's organisation.
MAPPABLE_ROLES = ("teacher", "deputy", "director")
OIDC_ENDPOINTS = ("OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT",
                  "OIDC_OP_JWKS_ENDPOINT")
SIGN_ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "HS256")
# LDAP_GROUP_TYPE → the django-auth-ldap group type and the object class of the groups searched
GROUP_TYPES = {
    "groupOfNames": ("GroupOfNamesType", "groupOfNames"),
    "groupOfUniqueNames": ("GroupOfUniqueNamesType", "groupOfUniqueNames"),
    "posixGroup": ("PosixGroupType", "posixGroup"),
    "activeDirectory": ("NestedActiveDirectoryGroupType", "group"),
}


class _Reader:
    def __init__(self, variables: Mapping[str, str]):
        self.env = environ.Env()
        self.env.ENVIRON = variables

    def text(self, name: str, default: str = "") -> str:
        return self.env.str(name, default=default).strip()

    def required(self, name: str, because: str) -> str:
        value = self.text(name)
        if not value:
            raise ImproperlyConfigured(f"{name} is required when {because} is set")
        return value

    def flag(self, name: str, default: bool) -> bool:
        raw = self.text(name).lower()
        if raw == "":
            return default
        if raw in {"1", "true", "yes", "on"}:
            return True
        if raw in {"0", "false", "no", "off"}:
            return False
        raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")

    def number(self, name: str, default: int) -> int:
        raw = self.text(name)
        if raw == "":
            return default
        try:
            value = int(raw)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc
        if value < 1:
            raise ImproperlyConfigured(f"{name} must be at least 1")
        return value

    def role_mapping(self, name: str, normalise=str.lower) -> dict[str, frozenset[str]] | None:
        """A JSON object: group → role or list of roles. None when unset (then no role ever changes)."""
        raw = self.text(name)
        if not raw:
            return None
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} must be a JSON object (group → role), got {raw[:80]!r}") from exc
        if not isinstance(data, dict) or not data:
            raise ImproperlyConfigured(f"{name} must be a non-empty JSON object (group → role)")
        mapping: dict[str, frozenset[str]] = {}
        for group, roles in data.items():
            roles = [roles] if isinstance(roles, str) else roles
            if not isinstance(roles, list) or not roles or any(role not in MAPPABLE_ROLES for role in roles):
                raise ImproperlyConfigured(f"{name}: {group!r} must map to one of {', '.join(MAPPABLE_ROLES)} "
                                           f"or a list of them, got {roles!r}")
            key = normalise(group)
            mapping[key] = mapping.get(key, frozenset()) | frozenset(roles)
        return mapping


def _url(name: str, value: str) -> str:
    """The provider is reached over HTTPS; plain HTTP only on this machine (the tests' provider)."""
    parsed = urlparse(value)
    if parsed.scheme == "https" and parsed.hostname:
        return value
    if parsed.scheme == "http" and parsed.hostname in {"127.0.0.1", "localhost", "::1"}:
        return value
    raise ImproperlyConfigured(f"{name} must be an https:// URL, got {value!r}")


def _ldap(read: _Reader) -> tuple[dict, list[str]]:
    uri = read.text("LDAP_SERVER_URI")
    if not uri:
        return {}, []
    import ldap
    import ldap.dn
    from django_auth_ldap import config

    if not uri.startswith(("ldap://", "ldaps://")):
        raise ImproperlyConfigured(f"LDAP_SERVER_URI must be ldap://… or ldaps://…, got {uri!r}")
    base = read.required("LDAP_USER_SEARCH_BASE", "LDAP_SERVER_URI")
    user_filter = read.text("LDAP_USER_FILTER", "(uid=%(user)s)")
    if "%(user)s" not in user_filter:
        raise ImproperlyConfigured("LDAP_USER_FILTER must contain %(user)s, e.g. (sAMAccountName=%(user)s)")

    def normalise_dn(dn: str) -> str:
        try:
            return ldap.dn.dn2str(ldap.dn.str2dn(dn)).lower()
        except ldap.DECODING_ERROR as exc:
            raise ImproperlyConfigured(f"LDAP_ROLE_MAPPING: {dn!r} is not a distinguished name") from exc

    mapping = read.role_mapping("LDAP_ROLE_MAPPING", normalise_dn)
    timeout = read.number("LDAP_TIMEOUT", 5)
    settings = {
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_BIND_DN": read.text("LDAP_BIND_DN"),
        "AUTH_LDAP_BIND_PASSWORD": read.text("LDAP_BIND_PASSWORD"),
        "AUTH_LDAP_USER_SEARCH": config.LDAPSearch(base, ldap.SCOPE_SUBTREE, user_filter),
        "AUTH_LDAP_START_TLS": read.flag("LDAP_START_TLS", False),
        # The portal's account is the portal's: its login, names and e-mail are never copied from the directory.
        "AUTH_LDAP_ALWAYS_UPDATE_USER": False,
        # A directory that does not answer costs a login LDAP_TIMEOUT seconds, never a hung request;
        # referrals off: Active Directory's would send the bind to hosts the portal was not told about.
        "AUTH_LDAP_CONNECTION_OPTIONS": {ldap.OPT_NETWORK_TIMEOUT: timeout, ldap.OPT_TIMEOUT: timeout,
                                         ldap.OPT_REFERRALS: 0},
        "SSO_LDAP": {
            "link_attribute": read.text("LDAP_LINK_ATTRIBUTE", "mail"),
            "role_mapping": mapping,
            "label": read.text("LDAP_PROVIDER_NAME", "каталога организации"),
        },
    }
    if ca_file := read.text("LDAP_CA_CERT_FILE"):
        settings["AUTH_LDAP_GLOBAL_OPTIONS"] = {ldap.OPT_X_TLS_CACERTFILE: ca_file,
                                                ldap.OPT_X_TLS_REQUIRE_CERT: ldap.OPT_X_TLS_DEMAND}
    if mapping is not None:
        group_base = read.required("LDAP_GROUP_SEARCH_BASE", "LDAP_ROLE_MAPPING")
        kind = read.text("LDAP_GROUP_TYPE", "groupOfNames")
        if kind not in GROUP_TYPES:
            raise ImproperlyConfigured(f"LDAP_GROUP_TYPE must be one of {', '.join(GROUP_TYPES)}, got {kind!r}")
        type_name, object_class = GROUP_TYPES[kind]
        settings["AUTH_LDAP_GROUP_SEARCH"] = config.LDAPSearch(group_base, ldap.SCOPE_SUBTREE,
                                                               f"(objectClass={object_class})")
        settings["AUTH_LDAP_GROUP_TYPE"] = getattr(config, type_name)()
    return settings, [LDAP_BACKEND]


def _oidc(read: _Reader) -> tuple[dict, list[str]]:
    client_id = read.text("OIDC_RP_CLIENT_ID")
    if not client_id:
        return {}, []
    secret = read.required("OIDC_RP_CLIENT_SECRET", "OIDC_RP_CLIENT_ID")
    discovery = read.text("OIDC_OP_DISCOVERY_URL")
    endpoints = {name: read.text(name) for name in OIDC_ENDPOINTS}
    if discovery:
        discovery = _url("OIDC_OP_DISCOVERY_URL", discovery)
    elif not all(endpoints.values()):
        raise ImproperlyConfigured("OIDC_RP_CLIENT_ID needs OIDC_OP_DISCOVERY_URL, or all of " + ", ".join(OIDC_ENDPOINTS))
    algorithm = read.text("OIDC_RP_SIGN_ALGO", "RS256")
    if algorithm not in SIGN_ALGORITHMS:
        raise ImproperlyConfigured(f"OIDC_RP_SIGN_ALGO must be one of {', '.join(SIGN_ALGORITHMS)}, got {algorithm!r}")
    scopes = read.text("OIDC_RP_SCOPES", "openid email")
    if "openid" not in scopes.split():
        raise ImproperlyConfigured("OIDC_RP_SCOPES must include openid")
    verify: bool | str = read.flag("OIDC_VERIFY_SSL", True)
    if ca_bundle := read.text("OIDC_CA_BUNDLE"):
        verify = ca_bundle  # requests takes a CA bundle's path in `verify`
    settings = {
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": secret,
        "OIDC_RP_SIGN_ALGO": algorithm,
        "OIDC_RP_SCOPES": scopes,
        **{name: _url(name, value) for name, value in endpoints.items() if value},
        "OIDC_USE_PKCE": True,
        "OIDC_USE_NONCE": True,
        "OIDC_TIMEOUT": read.number("OIDC_TIMEOUT", 10),
        "OIDC_VERIFY_SSL": verify,
        # client_secret_basic is what OpenID Connect assumes when a client registers no method
        "OIDC_TOKEN_USE_BASIC_AUTH": read.flag("OIDC_TOKEN_USE_BASIC_AUTH", True),
        "OIDC_AUTHENTICATION_CALLBACK_URL": "sso_oidc_callback",
        "OIDC_CREATE_USER": False,  # accounts are made only by schools.sso.linking's rule
        "SSO_OIDC": {
            "discovery_url": discovery,
            "issuer": read.text("OIDC_OP_ISSUER"),
            "link_claim": read.text("OIDC_LINK_CLAIM", "email"),
            "label": read.text("OIDC_PROVIDER_NAME", "единую учетную запись региона"),
            "role_claim": read.text("OIDC_ROLE_CLAIM", "groups"),
            "role_mapping": read.role_mapping("OIDC_ROLE_MAPPING"),
        },
    }
    return settings, [OIDC_BACKEND]


def sso_settings(variables: Mapping[str, str], *, backends: list[str]) -> dict:
    """The settings of the SSO block: SSO_LDAP and SSO_OIDC (None when off), django-auth-ldap's and
    mozilla-django-oidc's own, and AUTHENTICATION_BACKENDS: `backends` (axes' first, then local passwords)
    followed by each configured integration."""
    read = _Reader(variables)
    ldap_settings, ldap_backends = _ldap(read)
    oidc_settings, oidc_backends = _oidc(read)
    backends = list(backends)
    passwords = read.text("SSO_LOCAL_PASSWORDS", "all")
    if passwords not in {"all", "admins"}:
        raise ImproperlyConfigured(f"SSO_LOCAL_PASSWORDS must be all or admins, got {passwords!r}")
    if passwords == "admins":
        if not (ldap_backends or oidc_backends):
            raise ImproperlyConfigured("SSO_LOCAL_PASSWORDS=admins needs LDAP_SERVER_URI or OIDC_RP_CLIENT_ID: "
                                       "otherwise nobody but administrators could sign in")
        backends = [ADMIN_LOGIN_BACKEND if backend == LOCAL_LOGIN_BACKEND else backend for backend in backends]
    return {
        "SSO_LDAP": None, "SSO_OIDC": None,
        **ldap_settings, **oidc_settings,
        "AUTHENTICATION_BACKENDS": [*backends, *ldap_backends, *oidc_backends],
    }
