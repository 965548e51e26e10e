"""Safe rendering helpers shared by every document builder."""

from weasyprint.urls import URLFetcher


class RefusedURL(ValueError):
    pass


class _InlineOnlyFetcher(URLFetcher):
    """WeasyPrint may load only inline data: no file://, no network (user text could name them).

    WeasyPrint 70 replaced the `default_url_fetcher` function by the URLFetcher class; a
    fetcher must be an instance of it (the renderer reads its private flags).
    """

    def fetch(self, url, headers=None):
        if not url.startswith("data:"):
            raise RefusedURL(f"Загрузка внешних ресурсов запрещена: {url[:80]}")
        return super().fetch(url, headers)


safe_url_fetcher = _InlineOnlyFetcher(allowed_protocols={"data"})


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def xlsx_safe(value):
    """A cell written from user text never starts a formula (CSV/XLSX injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
