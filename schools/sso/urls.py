"""Under /accounts/sso/: the OpenID Connect round trip. Both answer 404 while OIDC is not configured
(LDAP needs no page of its own: it signs in through the usual login form)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from schools.sso.oidc import OidcCallbackView, OidcStartView

urlpatterns = [
    path("oidc/start/", login_not_required(OidcStartView.as_view()), name="sso_oidc_start"),
    path("oidc/callback/", login_not_required(OidcCallbackView.as_view()), name="sso_oidc_callback"),
]
