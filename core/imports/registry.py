"""The kinds of import apps register (see core/imports/__init__.py for how)."""

from django.utils.module_loading import autodiscover_modules

from core.imports.engine import ImportKind

_KINDS: dict[str, ImportKind] = {}
_discovered = False


def register(kind_class: type[ImportKind]) -> type[ImportKind]:
    """Class decorator: `@register class StaffImport(ImportKind): ...` in `<app>/importers.py`."""
    kind = kind_class()
    if not kind.code or not kind.capability or not kind.columns:
        raise ValueError(f"{kind_class.__name__} must set code, capability and columns")
    _KINDS[kind.code] = kind
    return kind_class


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("importers")
        _discovered = True


def all_kinds() -> list[ImportKind]:
    _discover()
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.code))


def get_kind(code: str) -> ImportKind | None:
    _discover()
    return _KINDS.get(code)


def kinds_for(user) -> list[ImportKind]:
    return [kind for kind in all_kinds() if kind.available_to(user)]
