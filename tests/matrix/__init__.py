"""The permission matrix: every URL name × every role → expected status.

Each app (or part of one) lists its cases in `tests/matrix/<name>.py` as CASES = [Case(...), ...]. A case names
a URL, builds it from the World (`tests/world.py`), and gives the expected status per role.
A URL name with no case fails `test_every_url_has_a_matrix_entry`.

Statuses: 200 page, 302 redirect (anonymous → login is checked separately), 403 visible but not
allowed, 404 outside the scope, 405 method not allowed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path


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

    @property
    def id(self) -> str:
        return f"{self.name}[{self.label}]"


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
