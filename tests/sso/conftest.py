"""The real peers of the single sign-on tests: slapd (Debian's OpenLDAP) and oidc-provider (npm, on Node.js).

Each is started once per session on a free 127.0.0.1 port. Where one is not installed its tests
skip, unless IOM_REQUIRE_SERVICES=1 (.ci/run): then they fail, as every missing service does.
`make test` installs both (Makefile: DEBIAN_PACKAGES and the oidc-provider target).
"""

import pytest

from iom_portal.sso_settings import sso_settings
from tests.conftest import REQUIRE_SERVICES

PORTAL_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]


def missing(message: str):
    if REQUIRE_SERVICES:
        pytest.fail(message + " (IOM_REQUIRE_SERVICES=1; `make test` installs it)")
    pytest.skip(message)


def configure(settings, variables: dict[str, str]) -> None:
    """The settings fixture set as settings.py would set them from these environment variables."""
    for name, value in sso_settings(variables, backends=PORTAL_BACKENDS).items():
        setattr(settings, name, value)


@pytest.fixture(scope="session")
def slapd_server():
    from tests.sso import slapd

    if not slapd.installed():
        missing("slapd is not installed (Debian packages slapd, ldap-utils)")
    server = slapd.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def oidc_server(live_server):
    from tests.sso import oidc_provider

    if problem := oidc_provider.not_ready():
        missing(problem)
    server = oidc_provider.start(portal_url=live_server.url)
    yield server
    server.stop()
