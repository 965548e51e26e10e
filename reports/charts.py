"""Charts drawn on the server as inline SVG: the same markup in the browser and in the PDF.

No script, no external file: CSP and WeasyPrint's fetcher both stay closed. Colours are SVG
presentation attributes (not `style`), which the portal's CSP allows.
"""

from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from core.numbers import format_percent

BAR = "#2f6db5"
BAR_BEHIND = "#c0504d"
TARGET = "#b00020"
GRID = "#d0d7e2"
TEXT = "#222"


def share_bars(items: list[tuple[str, Decimal | None]], target: Decimal | None = None, *, title: str = "",
               label_width: int = 230, width: int = 640, row: int = 22) -> SafeString:
    """Horizontal bars of percentages (0–100) with a dashed target line; bars behind the target are red."""
    plot = width - label_width - 50
    height = row * len(items) + 48
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
           f'role="img" aria-label="{escape(title)}" class="chart">']
    if title:
        out.append(f"<title>{escape(title)}</title>")
    for tick in (0, 25, 50, 75, 100):
        x = label_width + plot * tick / 100
        out.append(f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{height - 22}" stroke="{GRID}" stroke-width="1"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 8}" font-size="10" text-anchor="middle" fill="{TEXT}">{tick}%</text>')
    for i, (label, value) in enumerate(items):
        y = 18 + i * row
        v = float(value or 0)
        colour = BAR_BEHIND if target is not None and (value is None or value < target) else BAR
        short = label if len(label) <= 34 else label[:33] + "…"
        out.append(f'<text x="{label_width - 6}" y="{y + row * 0.62:.1f}" font-size="11" text-anchor="end" '
                   f'fill="{TEXT}">{escape(short)}</text>')
        out.append(f'<rect x="{label_width}" y="{y + 3}" width="{plot * min(v, 100) / 100:.1f}" height="{row - 8}" '
                   f'fill="{colour}"><title>{escape(label)}: {format_percent(value)} %</title></rect>')
        out.append(f'<text x="{label_width + plot * min(v, 100) / 100 + 4:.1f}" y="{y + row * 0.62:.1f}" '
                   f'font-size="10" fill="{TEXT}">{format_percent(value)}</text>')
    if target is not None:
        x = label_width + plot * float(target) / 100
        out.append(f'<line x1="{x:.1f}" y1="2" x2="{x:.1f}" y2="{height - 22}" stroke="{TARGET}" stroke-width="2" '
                   f'stroke-dasharray="5 3"/>')
        out.append(f'<text x="{x + 3:.1f}" y="12" font-size="10" fill="{TARGET}">цель {format_percent(target)}%</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text above is escaped


def count_bars(items: list[tuple[str, int]], *, title: str = "", label_width: int = 190, width: int = 380,
               row: int = 22) -> SafeString:
    """Horizontal bars of counts scaled to the largest."""
    top = max([n for _, n in items] + [1])
    plot = width - label_width - 40
    height = row * len(items) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-label="{escape(title)}" class="chart">']
    if title:
        out.append(f"<title>{escape(title)}</title>")
    for i, (label, n) in enumerate(items):
        y = 4 + i * row
        w = plot * n / top
        short = label if len(label) <= 28 else label[:27] + "…"
        out.append(f'<text x="{label_width - 6}" y="{y + row * 0.62:.1f}" font-size="11" text-anchor="end" '
                   f'fill="{TEXT}">{escape(short)}</text>')
        out.append(f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="{BAR}">'
                   f'<title>{escape(label)}: {n}</title></rect>')
        out.append(f'<text x="{label_width + w + 4:.1f}" y="{y + row * 0.62:.1f}" font-size="10" fill="{TEXT}">{n}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308


def sparkline(points: list[tuple[str, Decimal | None]], *, width: int = 220, height: int = 40) -> SafeString:
    """The course of a figure over the year (nightly snapshots)."""
    values = [float(v) for _, v in points if v is not None]
    if len(values) < 2:
        return mark_safe("")
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (width - 4) / (len(values) - 1)
    coords = " ".join(f"{2 + i * step:.1f},{height - 4 - (v - low) / span * (height - 8):.1f}" for i, v in enumerate(values))
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="Динамика"><polyline points="{coords}" fill="none" stroke="{BAR}" stroke-width="2"/></svg>'
    )
