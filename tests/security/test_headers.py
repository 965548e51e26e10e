"""Every page of the matrix a role may open carries the security headers, and its HTML obeys the
CSP: every <script> has the response's nonce, no inline event handler, no style attribute."""

import re

import pytest
from django.urls import reverse

from tests.matrix import all_cases
from tests.security.helpers import PageInspector
from tests.world import ROLES, World

PAGES = [c for c in all_cases() if c.method == "get" and 200 in c.expect.values()]


def _nonce(csp: str) -> str | None:
    match = re.search(r"'nonce-([^']+)'", csp)
    return match.group(1) if match else None


def check_page(response, *, logged_in: bool) -> list[str]:
    problems = []
    csp = response.get("Content-Security-Policy", "")
    if not csp:
        problems.append("no Content-Security-Policy header")
    if "frame-ancestors 'none'" not in csp:
        problems.append("CSP lacks frame-ancestors 'none'")
    # Django adds the nonce to the header only when the page used it (documents and files don't).
    if "script-src 'self'" not in csp or "'unsafe-inline'" in csp or "'unsafe-eval'" in csp:
        problems.append(f"script-src is not 'self' (+ nonce) only: {csp}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if response.get("X-Frame-Options") != "DENY":
        problems.append("no X-Frame-Options: DENY")
    if logged_in and "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"Cache-Control is {response.get('Cache-Control')!r}, not no-store")
    if not response.get("Content-Type", "").startswith("text/html"):
        return problems
    page = PageInspector(response.content.decode())
    nonce = _nonce(csp)
    for script in page.scripts:
        if not nonce or script.get("nonce") != nonce:
            problems.append(f"<script> without the response's nonce: {script}")
    if page.style_elements:
        problems.append(f"{page.style_elements} inline <style> element(s)")
    problems += page.inline_handlers + page.style_attributes + page.javascript_urls
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("case", PAGES, ids=[c.id for c in PAGES])
def test_every_page_carries_the_security_headers_and_obeys_its_csp(client, case):
    world = World()
    url = case.url(world)
    failures = []
    for role in ROLES:
        if case.expect[role] != 200:
            continue
        if case.client is not None:  # the API: the role's token instead of a session (tests/matrix/api.py)
            response = case.client(world, role).get(url)
        else:
            client.logout()
            if world.user(role) is not None:
                client.force_login(world.user(role))
            response = client.get(url)
        assert response.status_code == 200
        failures += [f"{role}: {p}" for p in check_page(response, logged_in=role != "anonymous")]
    assert not failures, f"{case.id} {url}: " + "; ".join(failures)


@pytest.mark.django_db
def test_nonces_differ_between_responses(client):
    world = World()
    client.force_login(world.user("teacher"))
    response = client.get(reverse("home"))
    first = _nonce(response["Content-Security-Policy"])
    second = _nonce(client.get(reverse("home"))["Content-Security-Policy"])
    assert first and second and first != second
    scripts = PageInspector(response.content.decode()).scripts
    assert scripts and all(script["nonce"] == first for script in scripts)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [403, 404])
def test_refusal_pages_carry_the_headers_too(client, status):
    world = World()
    client.force_login(world.user("teacher"))
    url = (reverse("organisation_list") if status == 403
           else reverse("staff_detail", args=[world.far_staff.pk]))
    response = client.get(url)
    assert response.status_code == status
    assert check_page(response, logged_in=True) == []


@pytest.mark.django_db
def test_the_login_page_is_not_cached_as_a_personal_page_but_keeps_the_csp(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert check_page(response, logged_in=False) == []


@pytest.mark.django_db
def test_the_admin_pages_carry_the_headers(client, admin_user):
    client.force_login(admin_user)
    for url in (reverse("admin:index"), reverse("admin:schools_staffmember_changelist"),
                reverse("admin:schools_staffmember_add")):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "no-store" in response["Cache-Control"], url
        # Django's admin loads its scripts from static files ('self'); none of them is inline.
        page = PageInspector(response.content.decode())
        assert page.scripts and all(script.get("src", "").startswith("/") for script in page.scripts), url
        assert not page.inline_handlers, url
