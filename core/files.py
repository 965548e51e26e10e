"""Safe rendering helpers shared by every document builder."""

import re

from weasyprint.urls import URLFetcher


class RefusedURL(ValueError):
    """A document tried to load something other than inline data."""


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


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# Characters XML 1.0 cannot hold: control characters (openpyxl refuses a cell with one, see
# openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE, so one stray character would break a whole export),
# lone surrogates and the noncharacters U+FFFE/U+FFFF (the file would not open in Excel).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xlsx_safe(value):
    """A cell written from user text never starts a formula (CSV/XLSX injection) and never
    carries a character the XLSX format cannot store. Other values pass unchanged."""
    if isinstance(value, str):
        value = _ILLEGAL_XML.sub("", value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value
