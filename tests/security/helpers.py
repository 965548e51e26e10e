"""Shared helpers of the security tests: row counts of every model, and an HTML inspector."""

from html.parser import HTMLParser

from django.apps import apps
from django.db import connection

# Tables that a read may legitimately write: sessions (login, idle tracking), axes (attempt
# records), and simple-history's copies (written only alongside a real write anyway).
EXCLUDED_APPS = {"sessions", "axes"}


def counted_models() -> list:
    return [
        model for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in EXCLUDED_APPS
        and not model.__name__.startswith("Historical")
        and model._meta.managed
        and not model._meta.proxy
    ]


def row_counts() -> dict[str, int]:
    """The row count of every table of every counted model, in one query."""
    tables = sorted({model._meta.db_table for model in counted_models()})
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608 (table names from the app registry)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


class PageInspector(HTMLParser):
    """Collects what CSP cares about: scripts and their nonces, inline handlers, style attributes."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.scripts: list[dict] = []
        self.style_elements = 0
        self.inline_handlers: list[str] = []
        self.style_attributes: list[str] = []
        self.javascript_urls: list[str] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "style":
            self.style_elements += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.inline_handlers.append(f"<{tag} {name}>")
            if name == "style":
                self.style_attributes.append(f"<{tag} style={value!r}>")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith("javascript:"):
                self.javascript_urls.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data):
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)
