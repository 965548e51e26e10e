""""What needs my attention": each app contributes items to the home page.

An app lists item providers in `<app>/attention.py` as PROVIDERS = [callable(user) -> list[Item]].
The home page shows them grouped; nothing here knows what the items are about.
"""

from dataclasses import dataclass
from importlib import import_module

APPS = ["schools", "diagnostics", "routes", "methodics", "reports"]


@dataclass(frozen=True)
class Item:
    title: str
    url: str
    count: int | None = None
    level: str = "info"  # info | warning | danger | success
    detail: str = ""


def items_for(user) -> list[Item]:
    items: list[Item] = []
    for app in APPS:
        try:
            module = import_module(f"{app}.attention")
        except ModuleNotFoundError:
            continue
        for provider in module.PROVIDERS:
            items.extend(provider(user))
    return items
