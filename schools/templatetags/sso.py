"""{% sso_login_options as sso %}: what the login page offers besides the portal's own password
(templates/registration/_sso.html). Empty labels while nothing is configured."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def sso_login_options() -> dict:
    ldap, oidc = settings.SSO_LDAP, settings.SSO_OIDC
    return {"ldap_label": ldap["label"] if ldap else "", "oidc_label": oidc["label"] if oidc else ""}
