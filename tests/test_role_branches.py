"""No view or service decides by role codes: rights are capabilities and object rules of schools/access.py.

A role is data (a Membership); which roles hold a capability is written once, in CAPABILITIES. Code
that compares roles itself (`m.role == Role.ADMIN`, `Role.DEPUTY in roles`, `is_superuser`) is a
second copy of the table that the table (docs/access.md) does not show. This test reads the apps'
code for such comparisons.
"""

import re
from pathlib import Path

from django.conf import settings

APPS = ["core", "schools", "diagnostics", "routes", "methodics", "reports", "api"]

# Where roles are compared on purpose, and why.
ALLOWED = {
    "schools/access.py": "the policy itself: roles → capabilities, scopes, superusers as administrators",
    "core/access.py": "core's façade over the policy (the import kinds' optional roles)",
    "routes/selectors.py": "the reviewer rule (reviews_q, route_reviewers): which role's members review which route",
}
# Modules that hold roles as data, not as a decision: the model and its scopes, the table's printer. The demo
# and bench data (devdata/) are not among APPS: they give roles to their people and decide nothing.
DATA = re.compile(r"(^|/)(models\.py|migrations/.*|management/commands/access_table\.py)$")

ROLE_CODES = "teacher|deputy|director|municipal_methodist|regional_methodist|admin"
BRANCHES = [
    (re.compile(r"Role\.[A-Z_]+\s*(==|!=)|(==|!=)\s*(\w+\.)*Role\.[A-Z_]+"), "compares with a Role"),
    (re.compile(r"Role\.[A-Z_]+\s+(not\s+)?in\b|\bin\s*[({\[]\s*(\w+\.)*Role\.[A-Z_]+"), "tests a Role's membership"),
    (re.compile(rf"(==|!=)\s*[\"']({ROLE_CODES})[\"']|[\"']({ROLE_CODES})[\"']\s*(==|!=)"), "compares with a role code"),
    (re.compile(r"\b(m|membership)\.role\s*(==|!=|(not\s+)?in\b)|memberships__role|\brole(__in)?=\s*(\w+\.)*Role\."),
     "picks memberships by role"),
    (re.compile(r"\broles_of\(|\bholds_through\("), "asks for the user's roles"),
    (re.compile(r"\.is_superuser\b|\bis_superuser="), "branches on superusers"),
]


def _modules():
    base = Path(settings.BASE_DIR)
    for app in APPS:
        for path in sorted((base / app).rglob("*.py")):
            name = path.relative_to(base).as_posix()
            if name not in ALLOWED and not DATA.search(name):
                yield name, path


def test_no_view_or_service_branches_on_role_codes():
    found = []
    for name, path in _modules():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            found += [f"{name}:{number}: {why}: {line.strip()}" for pattern, why in BRANCHES if pattern.search(code)]
    assert not found, ("Express these as capabilities (schools.access.CAPABILITIES and MEANING) or object rules "
                       "(register_rule):\n" + "\n".join(found))


def test_the_check_finds_what_it_looks_for():
    samples = [
        "if Role.ADMIN in roles_of(user):",
        "next(m for m in ms if m.role == Role.MUNICIPAL_METHODIST)",
        "if m.role in (Role.DEPUTY, Role.DIRECTOR):",
        'superuser=(role == "admin")',
        "User.objects.filter(memberships__role=Membership.Role.DEPUTY)",
        "if not actor.is_superuser:",
    ]
    for sample in samples:
        assert any(pattern.search(sample) for pattern, _ in BRANCHES), sample
    for harmless in ["for role in roles_of_position(role):", "has_capability(user, 'staff.manage')",
                     "ROLE_OF_CATEGORY = {PositionCategory.DEPUTY: Membership.Role.DEPUTY}"]:
        assert not any(pattern.search(harmless) for pattern, _ in BRANCHES), harmless
