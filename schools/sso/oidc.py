"""OpenID Connect sign-in: mozilla-django-oidc talks to the provider, schools.sso.linking picks the account.

«Войти через …» on the login page opens OidcStartView, which sends the browser to the provider
(authorization code flow with PKCE, state and nonce); the provider sends it back to OidcCallbackView,
which exchanges the code, checks the ID token (signature, issuer, audience, expiry, nonce) and hands
the claims to PortalOIDCBackend. The provider's endpoints come from OIDC_OP_DISCOVERY_URL, fetched
when first needed and kept for an hour, or from the OIDC_OP_* variables. A refusal or a failure
brings the user back to the login page with a Russian message; nothing here runs for a password login.
"""

import threading
import time

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from core.logging import log_security_event
from schools.sso.linking import SsoIdentity, SsoRefused, sso_sign_in

DISCOVERY_SECONDS = 3600
_discovered: dict[str, tuple[float, dict]] = {}
_lock = threading.Lock()


class ProviderUnavailable(Exception):
    pass


def _label() -> str:
    return settings.SSO_OIDC["label"]


def provider_down() -> str:
    return (f"Сервис входа через {_label()} сейчас не отвечает. Попробуйте через несколько минут или войдите по "
            "логину и паролю портала.")


def provider_metadata() -> dict:
    """The provider's endpoints and issuer: from the discovery document (kept an hour) or the OIDC_OP_* settings."""
    config = settings.SSO_OIDC
    url = config["discovery_url"]
    if not url:
        return {"authorization_endpoint": settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
                "token_endpoint": settings.OIDC_OP_TOKEN_ENDPOINT, "userinfo_endpoint": settings.OIDC_OP_USER_ENDPOINT,
                "jwks_uri": settings.OIDC_OP_JWKS_ENDPOINT, "issuer": config["issuer"]}
    with _lock:
        kept = _discovered.get(url)
        if kept and kept[0] > time.monotonic():
            return kept[1]
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT, verify=settings.OIDC_VERIFY_SSL)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        log_security_event("sso_failed", None, source="oidc", context="discovery", error=type(exc).__name__)
        raise ProviderUnavailable(str(exc)) from exc
    keys = ("issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
    if not isinstance(document, dict) or any(not isinstance(document.get(key), str) for key in keys):
        log_security_event("sso_failed", None, source="oidc", context="discovery", error="incomplete document")
        raise ProviderUnavailable("the discovery document lacks " + ", ".join(keys))
    if config["issuer"] and document["issuer"] != config["issuer"]:
        log_security_event("sso_failed", None, source="oidc", context="discovery", error="issuer differs")
        raise ProviderUnavailable(f"the provider's issuer is {document['issuer']!r}, OIDC_OP_ISSUER says otherwise")
    metadata = {key: document[key] for key in keys}
    with _lock:
        _discovered[url] = (time.monotonic() + DISCOVERY_SECONDS, metadata)
    return metadata


def _values(claim) -> tuple[str, ...]:
    if isinstance(claim, str):
        return (claim,)
    if isinstance(claim, list):
        return tuple(value for value in claim if isinstance(value, str))
    return ()


class PortalOIDCBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # mozilla-django-oidc reads the endpoints here; ours may need the discovery document, which a
        # password login (this backend is asked too) must never wait for: they are read in authenticate().
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        # Only OidcCallbackView passes a nonce: a code in any other request's address is ignored.
        if not settings.SSO_OIDC or request is None or "nonce" not in kwargs:
            return None
        self.request = request
        try:
            metadata = provider_metadata()
        except ProviderUnavailable:
            request.sso_refusal = provider_down()
            return None
        self.OIDC_OP_TOKEN_ENDPOINT = metadata["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = metadata["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = metadata["jwks_uri"]
        self.issuer = metadata["issuer"]
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, SuspiciousOperation, jwt.PyJWTError) as exc:
            log_security_event("sso_failed", request, source="oidc", context="callback", error=type(exc).__name__)
            request.sso_refusal = provider_down() if isinstance(exc, requests.ConnectionError | requests.Timeout) else (
                f"Вход через {_label()} не выполнен: ответ сервиса входа не прошел проверку. Попробуйте еще раз.")
            return None

    def _verify_jws(self, payload, key):
        """mozilla-django-oidc checks the signature only; the issuer and the audience are checked too."""
        algorithm = jwt.get_unverified_header(payload).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"the token is signed with {algorithm!r}, not {self.OIDC_RP_SIGN_ALGO}")
        try:
            return jwt.decode(payload, key, algorithms=[algorithm], audience=self.OIDC_RP_CLIENT_ID,
                              issuer=self.issuer or None, leeway=60, options={"require": ["exp", "iat", "sub"]})
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"the token was rejected: {exc}") from exc

    def get_or_create_user(self, access_token, id_token, payload):
        config = settings.SSO_OIDC
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("the userinfo answer is about another subject than the ID token")
        claims = {**payload, **userinfo}
        if config["link_claim"] == "email" and claims.get("email_verified") is False:
            log_security_event("sso_refused", self.request, source="oidc", reason="unverified_email",
                               identity=str(claims.get("email", ""))[:254], subject=str(claims["sub"])[:254])
            self.request.sso_refusal = (f"{config['label'][:1].upper()}{config['label'][1:]}: e-mail учетной записи "
                                        "не подтвержден, войти по нему нельзя.")
            return None
        mapping = config["role_mapping"]
        identity = SsoIdentity(source="oidc", subject=str(claims["sub"]), emails=_values(claims.get(config["link_claim"])),
                               groups=frozenset(_values(claims.get(config["role_claim"]))) if mapping is not None else None)
        try:
            return sso_sign_in(identity=identity, role_mapping=mapping, request=self.request)
        except SsoRefused as refusal:
            self.request.sso_refusal = refusal.message
            return None


class OidcStartView(OIDCAuthenticationRequestView):
    """«Войти через …»: to the provider, with state, nonce and PKCE kept in the session."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the endpoint is read in get(): it may need the discovery document

    def get(self, request):
        if not settings.SSO_OIDC:
            raise Http404("Вход через внешний сервис не настроен.")
        try:
            metadata = provider_metadata()
        except ProviderUnavailable:
            messages.error(request, provider_down())
            return redirect(settings.LOGIN_URL)
        self.OIDC_OP_AUTH_ENDPOINT = metadata["authorization_endpoint"]
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class OidcCallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: signed in and on to the page asked for, or back at the login page with the reason."""

    def get(self, request):
        if not settings.SSO_OIDC:
            raise Http404("Вход через внешний сервис не настроен.")
        return super().get(request)

    def login_failure(self):
        request = self.request
        message = getattr(request, "sso_refusal", None)
        if not message and request.GET.get("error") == "access_denied":
            message = f"Вход через {_label()} отменен."
        messages.error(request, message or f"Вход через {_label()} не выполнен. Попробуйте еще раз или войдите по "
                                           "логину и паролю портала.")
        return redirect(settings.LOGIN_URL)
