"""The permission matrix: every URL name × every role → expected status, and what the request did.

Each app (or part of one) lists its cases in `tests/matrix/<name>.py` as CASES = [Case(...), ...]. A case names
a URL, builds it from the World (`tests/world.py`), and gives the expected status per role.
A URL name with no case fails `test_every_url_has_a_matrix_entry`.

Statuses: 200 page, 302 redirect (anonymous → login is checked separately), 403 visible but not
allowed, 404 outside the scope, 405 method not allowed; the API (tests/matrix/api.py) also 401 (no
valid token) and 422 (a file with errors, which writes nothing).

A case with `client` sends its requests through that client instead of the role's session (the API:
each role is a token whose service account holds the role user's memberships).

Effects: a GET changes nothing, for every role. A write (POST) refused to a role (403, 404, 405,
or the anonymous redirect to login) changes nothing; accepted, it changes a row of the tables
in `touches` (any watched table when the case names none). An accepted write that rightly
changes nothing (a form shown again with its errors, a refusal the service explains in a
message) says why in `noop`: one reason for every accepted role, or a dict role → reason.
A case that shows a bug of the application carries `marks=(pytest.mark.xfail(strict=True, reason=…),)`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

import pytest

SAFE_METHODS = {"get", "head", "options"}
REFUSED = {400, 401, 403, 404, 405, 422}


@dataclass(frozen=True)
class Case:
    name: str  # the URL name
    url: Callable  # World -> path
    expect: dict  # role -> status for GET (or `method`)
    label: str = "own"  # own / sibling / other_municipality / other_region …
    method: str = "get"
    data: Callable | None = None  # World -> POST data
    public: bool = False  # reachable without login
    follow_checks: dict = field(default_factory=dict)
    touches: tuple = ()  # models (classes or "app.Model") an accepted write changes; () → any watched table
    noop: str | dict = ""  # why an accepted write changes nothing: for every accepted role, or role -> why
    marks: tuple = ()  # pytest marks of the case, e.g. a strict xfail naming a bug it found
    client: Callable | None = None  # (World, role) -> a test Client; None: logged in with the role's session

    @property
    def id(self) -> str:
        return f"{self.name}[{self.label}]"

    @property
    def writes(self) -> bool:
        return self.method not in SAFE_METHODS

    def refuses(self, role: str) -> bool:
        """Whether the expected answer to `role` is a refusal (then a write must change nothing)."""
        status = self.expect[role]
        return status in REFUSED or (role == "anonymous" and status == 302 and not self.public)

    def noop_reason(self, role: str) -> str:
        return self.noop.get(role, "") if isinstance(self.noop, dict) else self.noop

    @property
    def touched(self) -> set[str]:
        """Labels ("routes.Route") of the tables an accepted write must change one row of."""
        return {model if isinstance(model, str) else model._meta.label for model in self.touches}

    def param(self):
        return pytest.param(self, marks=self.marks, id=self.id)


def all_cases() -> list[Case]:
    cases = []
    for path in sorted(Path(__file__).parent.glob("*.py")):
        if path.stem != "__init__":
            cases.extend(import_module(f"tests.matrix.{path.stem}").CASES)
    return cases


def everyone(status: int, **overrides) -> dict:
    """Expect `status` for every logged-in role, with overrides; anonymous goes to login."""
    from tests.world import ROLES

    expect = {role: status for role in ROLES if role != "anonymous"}
    expect.update(overrides)
    expect.setdefault("anonymous", 302)
    return expect
