"""What the apps contribute to the shell: menu links, home-page items, periodic tasks.

`core` knows no domain app by name. Each project app of INSTALLED_APPS (in its order) may have
`<app>/nav.py` with NAV, `<app>/attention.py` with PROVIDERS, `<app>/schedule.py` with
BEAT_SCHEDULE; they are found by looking for the module, not by importing and catching
ModuleNotFoundError, so a broken import inside one of them fails loudly instead of silently
dropping a menu.
"""

import importlib.util
from functools import cache
from pathlib import Path

from django.conf import settings


def project_apps() -> list[str]:
    """The INSTALLED_APPS that are this project's code (not installed packages), in their order."""
    base = Path(settings.BASE_DIR).resolve()
    names = []
    for entry in settings.INSTALLED_APPS:
        package = entry.split(".apps.")[0]
        spec = importlib.util.find_spec(package)
        # a package at the top of the project (installed packages sit deeper, e.g. in .venv/)
        if spec is not None and spec.origin and Path(spec.origin).resolve().parent.parent == base:
            names.append(package)
    return names


@cache
def contributions(submodule: str, attribute: str) -> tuple:
    """Everything the apps list under `attribute` in their `submodule`, app by app."""
    found = []
    for app in project_apps():
        if importlib.util.find_spec(f"{app}.{submodule}") is None:
            continue
        module = importlib.import_module(f"{app}.{submodule}")
        if app == __package__ and not hasattr(module, attribute):
            continue  # core.nav and core.attention define the contracts the apps fill in
        value = getattr(module, attribute)  # an app's module without its attribute is a mistake: fail
        found.extend(value.items() if isinstance(value, dict) else value)
    return tuple(found)
