"""Single sign-on is configured by the environment, fails loudly on a bad value, and changes nothing unset."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from iom_portal.sso_settings import MAPPABLE_ROLES, sso_settings
from schools.sso import linking
from tests.test_settings import ROOT

TODAY = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LDAP = {"LDAP_SERVER_URI": "ldap://dc.school.example", "LDAP_USER_SEARCH_BASE": "ou=people,dc=school,dc=example"}
OIDC = {"OIDC_RP_CLIENT_ID": "iom", "OIDC_RP_CLIENT_SECRET": "s3cret",
        "OIDC_OP_DISCOVERY_URL": "https://id.region.example/.well-known/openid-configuration"}


def read(**variables):
    return sso_settings(variables, backends=TODAY)


def test_nothing_set_leaves_the_settings_of_today():
    """settings.py itself, in a fresh process: the same two backends, no directory or provider setting."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LDAP_", "OIDC_", "SSO_"))}
    clean["DJANGO_SETTINGS_MODULE"] = "iom_portal.settings"
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.AUTHENTICATION_BACKENDS, s.SSO_LDAP, s.SSO_OIDC, "
            "[n for n in dir(s) if n.startswith(('AUTH_LDAP_', 'OIDC_'))])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{TODAY} None None []"


def test_settings_py_reads_the_variables():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LDAP_", "OIDC_", "SSO_"))}
    clean.update(LDAP, **OIDC, DJANGO_SETTINGS_MODULE="iom_portal.settings")
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.AUTHENTICATION_BACKENDS); print(s.AUTH_LDAP_SERVER_URI, s.OIDC_RP_CLIENT_ID, s.SSO_OIDC['label'])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    backends, values = result.stdout.strip().splitlines()
    assert backends == str([*TODAY, "schools.sso.directory.PortalLDAPBackend", "schools.sso.oidc.PortalOIDCBackend"])
    assert values == "ldap://dc.school.example iom единую учетную запись региона"


def test_axes_stays_first_and_local_passwords_stay():
    backends = read(**LDAP, **OIDC)["AUTHENTICATION_BACKENDS"]
    assert backends[:2] == TODAY


def test_local_passwords_for_administrators_only_on_request():
    backends = read(**LDAP, SSO_LOCAL_PASSWORDS="admins")["AUTHENTICATION_BACKENDS"]
    assert backends == [TODAY[0], "schools.sso.passwords.AdministratorPasswordBackend",
                        "schools.sso.directory.PortalLDAPBackend"]


def test_ldap_defaults():
    values = read(**LDAP)
    assert values["SSO_LDAP"] == {"link_attribute": "mail", "role_mapping": None, "label": "каталога организации"}
    assert values["AUTH_LDAP_USER_SEARCH"].filterstr == "(uid=%(user)s)"
    assert values["AUTH_LDAP_ALWAYS_UPDATE_USER"] is False  # the portal's account is never overwritten
    assert "AUTH_LDAP_GROUP_SEARCH" not in values and values["SSO_OIDC"] is None


def test_ldap_role_mapping_is_read_with_one_spelling_of_each_dn():
    values = read(**LDAP, LDAP_GROUP_SEARCH_BASE="ou=groups,dc=school,dc=example",
                  LDAP_ROLE_MAPPING='{"CN=IOM Deputies, OU=Groups,DC=school,DC=example": "deputy", '
                                    '"cn=heads,ou=groups,dc=school,dc=example": ["director", "deputy"]}')
    assert values["SSO_LDAP"]["role_mapping"] == {
        "cn=iom deputies,ou=groups,dc=school,dc=example": frozenset({"deputy"}),
        "cn=heads,ou=groups,dc=school,dc=example": frozenset({"director", "deputy"})}
    assert values["AUTH_LDAP_GROUP_SEARCH"].filterstr == "(objectClass=groupOfNames)"


def test_oidc_defaults():
    values = read(**OIDC)
    assert values["SSO_OIDC"] == {"discovery_url": OIDC["OIDC_OP_DISCOVERY_URL"], "issuer": "", "link_claim": "email",
                                  "label": "единую учетную запись региона", "role_claim": "groups",
                                  "role_mapping": None}
    assert values["OIDC_RP_SIGN_ALGO"] == "RS256" and values["OIDC_USE_PKCE"] is True
    assert values["OIDC_CREATE_USER"] is False


@pytest.mark.parametrize("variables, message", [
    ({"LDAP_SERVER_URI": "ldap://dc"}, "LDAP_USER_SEARCH_BASE is required"),
    ({**LDAP, "LDAP_SERVER_URI": "dc.school.example"}, "LDAP_SERVER_URI must be ldap://"),
    ({**LDAP, "LDAP_USER_FILTER": "(uid=ivanova)"}, "must contain %(user)s"),
    ({**LDAP, "LDAP_ROLE_MAPPING": '{"cn=g": "deputy"}'}, "LDAP_GROUP_SEARCH_BASE is required"),
    ({**LDAP, "LDAP_GROUP_SEARCH_BASE": "ou=g", "LDAP_ROLE_MAPPING": '{"cn=g": "admin"}'}, "must map to one of"),
    ({**LDAP, "LDAP_GROUP_SEARCH_BASE": "ou=g", "LDAP_ROLE_MAPPING": "cn=g=deputy"}, "must be a JSON object"),
    ({**LDAP, "LDAP_GROUP_SEARCH_BASE": "ou=g", "LDAP_ROLE_MAPPING": '{"cn=g": "deputy"}',
      "LDAP_GROUP_TYPE": "nis"}, "LDAP_GROUP_TYPE must be one of"),
    ({**LDAP, "LDAP_START_TLS": "maybe"}, "LDAP_START_TLS must be a boolean"),
    ({**LDAP, "LDAP_TIMEOUT": "0"}, "LDAP_TIMEOUT must be at least 1"),
    ({"OIDC_RP_CLIENT_ID": "iom"}, "OIDC_RP_CLIENT_SECRET is required"),
    ({"OIDC_RP_CLIENT_ID": "iom", "OIDC_RP_CLIENT_SECRET": "s"}, "needs OIDC_OP_DISCOVERY_URL"),
    ({**OIDC, "OIDC_OP_DISCOVERY_URL": "http://id.region.example/.well-known/openid-configuration"}, "https://"),
    ({**OIDC, "OIDC_RP_SIGN_ALGO": "none"}, "OIDC_RP_SIGN_ALGO must be one of"),
    ({**OIDC, "OIDC_RP_SCOPES": "email"}, "must include openid"),
    ({**OIDC, "OIDC_ROLE_MAPPING": '{"teachers": "regional_methodist"}'}, "must map to one of"),
    ({"SSO_LOCAL_PASSWORDS": "admins"}, "needs LDAP_SERVER_URI or OIDC_RP_CLIENT_ID"),
    ({"SSO_LOCAL_PASSWORDS": "nobody"}, "SSO_LOCAL_PASSWORDS must be all or admins"),
])
def test_a_bad_value_stops_the_start_with_a_clear_message(variables, message):
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(").replace(")", r"\)")):
        read(**variables)


def test_a_mapping_can_give_only_the_roles_of_one_organisation():
    assert frozenset(MAPPABLE_ROLES) == linking.MAPPABLE_ROLES


def _login_page_part(**context):
    request = RequestFactory().get("/accounts/login/")
    return render_to_string("registration/_sso.html", context, request=request)


def test_the_login_page_offers_nothing_while_nothing_is_configured(settings):
    assert settings.SSO_LDAP is None and settings.SSO_OIDC is None
    assert _login_page_part().strip() == ""


def test_the_login_page_offers_what_is_configured(settings):
    settings.SSO_OIDC = {**read(**OIDC)["SSO_OIDC"], "label": "Госуслуги"}
    settings.SSO_LDAP = read(**LDAP)["SSO_LDAP"]
    html = _login_page_part(next="/routes/?a=1")
    assert "Войти через Госуслуги" in html and "паролем каталога организации" in html
    assert f'href="{reverse("sso_oidc_start")}?next=/routes/%3Fa%3D1"' in html


@pytest.mark.django_db
def test_the_provider_s_pages_are_not_found_while_it_is_not_configured(client):
    for name in ("sso_oidc_start", "sso_oidc_callback"):
        assert client.get(reverse(name)).status_code == 404
