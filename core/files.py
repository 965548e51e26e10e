"""Safe rendering helpers shared by every document builder."""

from weasyprint import default_url_fetcher


class RefusedURL(ValueError):
    pass


def safe_url_fetcher(url: str, *args, **kwargs):
    """WeasyPrint may load only inline data: no file://, no network (user text could name them)."""
    if url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    raise RefusedURL(f"Загрузка внешних ресурсов запрещена: {url[:80]}")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def xlsx_safe(value):
    """A cell written from user text never starts a formula (CSV/XLSX injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
