"""Every URL × every role × own and other scopes → the expected status."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.matrix import all_cases
from tests.world import ROLES, World

CASES = all_cases()


def _url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin checks is_staff itself
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_url_has_a_matrix_entry():
    covered = {case.name for case in CASES}
    missing = sorted(_url_names() - covered)
    assert not missing, f"URLs without a permission-matrix entry (add them to tests/matrix/<app>.py): {missing}"


def test_every_case_names_every_role():
    for case in CASES:
        assert set(case.expect) == set(ROLES), f"{case.id} must give a status for every role"


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_matrix(client, case):
    world = World()
    url = case.url(world)
    data = case.data(world) if case.data else {}
    failures = []
    for role in ROLES:
        client.logout()
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        response = getattr(client, case.method)(url, data)
        expected = case.expect[role]
        if response.status_code != expected:
            failures.append(f"{role}: expected {expected}, got {response.status_code}")
        elif role == "anonymous" and expected == 302 and not case.public:
            if not response["Location"].startswith("/accounts/login/"):
                failures.append(f"anonymous: redirected to {response['Location']}, not to the login page")
    assert not failures, f"{case.id} {url}: " + "; ".join(failures)
