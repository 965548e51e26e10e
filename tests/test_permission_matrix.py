"""Every URL × every role × own and other scopes → the expected status, and the database the
request leaves: GETs and refused writes change nothing, accepted writes change what they declare."""

from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.matrix import all_cases
from tests.security.helpers import counted_models
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


# The tables tests/security's GET test counts (no sessions, axes, simple-history copies), less
# the admin log, which only /admin/ writes and the matrix leaves out, and Django's registries of
# content types and permissions, which only migrations write (a third of all rows of a World).
NOT_WATCHED = {"admin.LogEntry", "contenttypes.ContentType", "auth.Permission"}
TABLES = {model._meta.label: model._meta for model in counted_models() if model._meta.label not in NOT_WATCHED}


def _digest(rows: list[tuple]) -> int:
    try:
        return hash(tuple(rows))
    except TypeError:  # PostgreSQL decodes jsonb to dicts
        return hash(repr(rows))


def snapshot() -> dict[str, tuple[int, int]]:
    """Per watched table: its row count and a hash of all its rows (~2 ms for a World and its cases).

    Raw SQL, not the ORM: twenty times faster, and the rows come as plain values that hash as
    they are (the ORM's JSONField values are dicts).
    """
    quote = connection.ops.quote_name
    state = {}
    with connection.cursor() as cursor:
        for label, opts in TABLES.items():
            cursor.execute(f"SELECT * FROM {quote(opts.db_table)} ORDER BY {quote(opts.pk.column)}")  # noqa: S608 (names from the app registry)
            rows = cursor.fetchall()
            state[label] = (len(rows), _digest(rows))
    return state


def changes(before: dict, after: dict) -> dict[str, str]:
    """Label → what happened to the table ("2 → 3 rows", "rows edited"), for the tables that differ."""
    return {
        label: f"{before[label][0]} → {after[label][0]} rows" if before[label][0] != after[label][0] else "rows edited"
        for label in before
        if before[label] != after[label]
    }


@contextmanager
def undone():
    """Run the block in a savepoint and roll it back, writes, on_commit callbacks and all."""
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


def _client(world: World, role: str) -> Client:
    client = Client()
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return client


def _named(changed: dict) -> str:
    return ", ".join(f"{label} ({what})" for label, what in sorted(changed.items()))


def _effect_failure(case, role: str, status: int, changed: dict) -> str | None:
    """Why what the request changed does not fit the case, or None."""
    verb = case.method.upper()
    if not case.writes or case.refuses(role):
        if changed:
            kind = verb if not case.writes else f"refused {verb} ({status})"
            return f"{role}: expected {kind} to change nothing, changed {_named(changed)}"
        return None
    if reason := case.noop_reason(role):
        if changed:
            return f"{role}: expected accepted {verb} to change nothing ({reason}), changed {_named(changed)}"
        return None
    targets = case.touched or set(TABLES)
    if not targets & set(changed):
        wanted = ", ".join(sorted(case.touched)) if case.touched else "a watched table"
        found = f"changed only {_named(changed)}" if changed else "nothing changed"
        return f"{role}: expected accepted {verb} to change {wanted}, {found}"
    return None


def test_every_url_has_a_matrix_entry():
    covered = {case.name for case in CASES}
    missing = sorted(_url_names() - covered)
    assert not missing, f"URLs without a permission-matrix entry (add them to tests/matrix/<app>.py): {missing}"


def test_every_case_names_every_role():
    for case in CASES:
        assert set(case.expect) == set(ROLES), f"{case.id} must give a status for every role"


def test_every_declared_effect_fits_its_case():
    """`touches` and `noop` belong to writes, name watched tables and accepted roles, and give a reason."""
    problems = []
    for case in CASES:
        if not case.writes and (case.touches or case.noop):
            problems.append(f"{case.id}: a {case.method.upper()} changes nothing, it declares no effect")
        if unknown := case.touched - set(TABLES):
            problems.append(f"{case.id}: touches tables the matrix does not watch: {sorted(unknown)}")
        noop = case.noop if isinstance(case.noop, dict) else {}
        for role, reason in noop.items():
            if role not in ROLES or case.refuses(role):
                problems.append(f"{case.id}: noop for {role}, which is not an accepted role of the case")
            if not reason.strip():
                problems.append(f"{case.id}: noop for {role} without a reason")
        if case.touches and case.noop and not isinstance(case.noop, dict):
            problems.append(f"{case.id}: touches tables but says every accepted role changes nothing")
    assert not problems, "\n".join(problems)


# Each role's request runs in a savepoint that is rolled back after it, so every role meets the
# World as it was built: a role's status and effect do not depend on the roles before it (the
# deputy's accepted dismissal no longer turns the administrator's into a no-op), and one World
# and one base snapshot serve all seven roles. A World per role would add six World builds
# (~0.25 s each) to every case; running refused roles first and accepted ones last would still
# let two accepted roles see each other's writes. Clients log in before the base snapshot, so
# what logging in writes (last_login) is not taken for an effect of the request. Files written
# to MEDIA_ROOT are not rolled back; no case depends on them.
@pytest.mark.django_db
@pytest.mark.parametrize("case", [case.param() for case in CASES])
def test_matrix(case):
    world = World()
    url = case.url(world)
    data = case.data(world) if case.data else {}
    clients = {role: (case.client or _client)(world, role) for role in ROLES}
    before = snapshot()
    failures = []
    for role in ROLES:
        with undone():
            response = getattr(clients[role], case.method)(url, data)
            changed = changes(before, snapshot())
        expected = case.expect[role]
        if response.status_code != expected:
            failures.append(f"{role}: expected {expected}, got {response.status_code}")
            continue
        if role == "anonymous" and expected == 302 and not case.public:
            if not response["Location"].startswith("/accounts/login/"):
                failures.append(f"anonymous: redirected to {response['Location']}, not to the login page")
        if failure := _effect_failure(case, role, response.status_code, changed):
            failures.append(failure)
    assert snapshot() == before, f"{case.id}: the rollbacks did not restore the World, the roles saw each other"
    assert not failures, f"{case.id} {url}: " + "; ".join(failures)
