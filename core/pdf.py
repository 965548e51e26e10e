"""HTML → PDF with WeasyPrint, the one way every document of the portal is printed.

Fonts: PT Sans / PT Serif (fonts-paratype, made for Russian), DejaVu as the fallback; both
are Debian packages installed by `make`. Nothing is fetched: the URL fetcher refuses file://
and the network, so user text cannot pull anything into a document. Static CSS is inlined.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML

from core.files import safe_url_fetcher

BASE_CSS_PATH = Path(settings.BASE_DIR) / "static" / "css" / "print.css"


def render_pdf(template_name: str, context: dict, *, landscape: bool = False) -> bytes:
    html = render_to_string(template_name, context)
    stylesheets = [CSS(string=BASE_CSS_PATH.read_text(encoding="utf-8"))]
    if landscape:
        stylesheets.append(CSS(string="@page { size: A4 landscape; }"))
    return HTML(string=html, url_fetcher=safe_url_fetcher, base_url=None).write_pdf(stylesheets=stylesheets)
