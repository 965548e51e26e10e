from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str
    capabilities: tuple[str, ...] = field(default=())
    visible: Callable | None = None
    # the label for this user, where it depends on them (e.g. «Зачет ИОМ в регионе»); None: `label`
    label_for: Callable | None = None
    # "main": the menu bar; "user": the account's own menu under the user's name (password, calendar…)
    menu: str = "main"
