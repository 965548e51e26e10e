"""Every page says in one line what the user can do there (the `.page-help` paragraph under the heading)."""

import re
from html import unescape

import pytest

from tests.matrix import all_cases
from tests.world import ROLES, World

# Each page of the permission matrix that some role opens with 200, opened as the first such role.
PAGES = [case for case in all_cases()  # the API (token cases) has no pages
         if case.method == "get" and 200 in case.expect.values() and case.client is None]
HELP = re.compile(r'<p class="[^"]*\bpage-help\b[^"]*">(.*?)</p>', re.S)


def _first_role_with_200(case) -> str:
    return next(role for role in ROLES if case.expect[role] == 200)


@pytest.mark.django_db
@pytest.mark.parametrize("case", PAGES, ids=[c.id for c in PAGES])
def test_every_page_says_what_the_user_can_do_there(client, case):
    world = World()
    role = _first_role_with_200(case)
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    response = client.get(case.url(world))
    assert response.status_code == 200
    if not response["Content-Type"].startswith("text/html") or _is_fragment(response):
        pytest.skip(f"{case.id}: not a page but a file or an htmx fragment ({response['Content-Type']})")
    found = HELP.search(response.content.decode())
    assert found, f"{case.id} as {role}: no .page-help paragraph"
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())
    assert len(text) >= 15, f"{case.id} as {role}: the help line is empty or too short: {text!r}"


def _is_fragment(response) -> bool:
    body = response.content.decode(errors="replace").lstrip().lower()
    return not body.startswith("<!doctype html")
