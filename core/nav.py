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
    # the other pages of this section (view names such as "reports:school"): their URLs need not start
    # with the link's own, and the entry is active on them rather than the longest matching prefix
    sections: tuple[str, ...] = field(default=())
