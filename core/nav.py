from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str
    capabilities: tuple[str, ...] = field(default=())
    visible: Callable | None = None
