"""The layout rules of docs/design.md that a test can hold: core knows no domain app, no production
module imports the development data (devdata), and no template name is defined in two places (a
feature's templates sit beside its views)."""

import ast
from collections import Counter
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DOMAIN_APPS = {"schools", "diagnostics", "routes", "methodics", "reports"}


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_imports_no_domain_app():
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_packages(path) & DOMAIN_APPS)
        for path in (ROOT / "core").rglob("*.py")
        if "migrations" not in path.parts and _imported_packages(path) & DOMAIN_APPS
    }
    assert offenders == {}


def test_no_production_module_imports_devdata():
    production = [ROOT / "manage.py", *(ROOT / "iom_portal").rglob("*.py")]
    production += [path for app in settings.PORTAL_APPS for path in (ROOT / app).rglob("*.py")]
    offenders = [str(path.relative_to(ROOT)) for path in production if "devdata" in _imported_packages(path)]
    assert offenders == []


def test_no_template_name_is_defined_twice():
    dirs = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    dirs += [ROOT / app / "templates" for app in settings.PORTAL_APPS]
    names = Counter(
        str(path.relative_to(directory)) for directory in dirs if directory.is_dir() for path in directory.rglob("*.html")
    )
    assert [name for name, count in names.items() if count > 1] == []
