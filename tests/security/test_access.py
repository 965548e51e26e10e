"""Access, over every URL of the permission matrix: login first, CSRF on every POST, GET changes
nothing, and forms take only the fields they declare."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.matrix import all_cases
from tests.security.helpers import row_counts
from tests.world import ROLES, World

CASES = all_cases()
# The API's cases (a token client, tests/matrix/api.py) answer 401 rather than redirect to the login
# page, and take no CSRF token: a token request carries no cookie (api/__init__.py).
SESSION_CASES = [c for c in CASES if c.client is None]
PRIVATE = [c for c in SESSION_CASES if not c.public]
REFUSED = {403, 404, 405}
# The POSTs some role may make: a case every role is refused (another school's record) has no token to miss.
POSTS = [c for c in SESSION_CASES if c.method == "post" and any(
    status not in REFUSED for role, status in c.expect.items() if role != "anonymous" or c.public)]


def _login(client, world, role):
    client.logout()
    user = world.user(role)
    if user is not None:
        client.force_login(user)


@pytest.mark.django_db
@pytest.mark.parametrize("case", PRIVATE, ids=[c.id for c in PRIVATE])
def test_an_anonymous_request_is_sent_to_the_login_page_and_back(client, case):
    world = World()
    url = case.url(world)
    data = case.data(world) if case.data else {}  # the records the data names exist before the count
    before = row_counts()

    response = getattr(client, case.method)(url, data)

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("login")
    assert parse_qs(location.query)["next"] == [url]
    assert row_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("case", POSTS, ids=[c.id for c in POSTS])
def test_a_post_without_a_csrf_token_is_refused(case):
    world = World()
    url = case.url(world)
    # The role the matrix lets through: its refusal can only come from the missing token.
    role = next((r for r in ROLES if case.expect[r] not in REFUSED and (r != "anonymous" or case.public)), None)
    assert role is not None, f"{case.id}: no role may POST here, nothing to check"
    client = Client(enforce_csrf_checks=True)
    _login(client, world, role)
    data = case.data(world) if case.data else {}
    before = row_counts()

    response = client.post(url, data)

    assert response.status_code == 403, f"{case.id} as {role}: {response.status_code}"
    assert "CSRF" in response.content.decode()
    assert row_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_get_changes_nothing_for_any_role(client, case):
    """Every URL of the matrix, POST ones too: a GET of them shows a form or is refused, and writes nothing."""
    world = World()
    url = case.url(world)
    for role in ROLES:
        _login(client, world, role)
        before = row_counts()
        response = client.get(url)
        after = row_counts()
        changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
        assert not changed, f"GET {url} as {role} ({response.status_code}) changed row counts: {changed}"
