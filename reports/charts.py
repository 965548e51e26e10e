"""Charts drawn on the server as inline SVG: the same markup in the browser and in the PDF.

No script, no external file: CSP and WeasyPrint's fetcher both stay closed. Colours are SVG
presentation attributes (not `style`), which the portal's CSP allows.
"""

from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from core.charts import STYLE, ticks
from core.numbers import format_percent


def share_bars(items: list[tuple[str, Decimal | None]], target: Decimal | None = None, *, title: str = "",
               label_width: int = 230, width: int = 640, row: int = 22) -> SafeString:
    """Horizontal bars of percentages (0–100) with a dashed target line; bars behind the target are red."""
    plot = width - label_width - 50
    height = row * len(items) + 48
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
           f'role="img" aria-label="{escape(title)}" class="chart">']
    if title:
        out.append(f"<title>{escape(title)}</title>")
    for tick in ticks(25):
        x = label_width + plot * tick / 100
        out.append(f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{height - 22}" stroke="{STYLE.grid}" stroke-width="1"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 8}" font-size="{STYLE.small_size}" text-anchor="middle" '
                   f'fill="{STYLE.text}">{tick}%</text>')
    for i, (label, value) in enumerate(items):
        y = 18 + i * row
        v = float(value or 0)
        colour = STYLE.behind if target is not None and (value is None or value < target) else STYLE.bar
        lines = wrap_label(label, label_chars(label_width), max_lines=1)
        out.append(_label(label_width - 6, y + row / 2, lines, label))
        out.append(f'<rect x="{label_width}" y="{y + 3}" width="{plot * min(v, 100) / 100:.1f}" height="{row - 8}" '
                   f'fill="{colour}"><title>{escape(label)}: {format_percent(value)} %</title></rect>')
        out.append(f'<text x="{label_width + plot * min(v, 100) / 100 + 4:.1f}" y="{y + row * 0.62:.1f}" '
                   f'font-size="{STYLE.small_size}" fill="{STYLE.text}">{format_percent(value)}</text>')
    if target is not None:
        x = label_width + plot * float(target) / 100
        out.append(f'<line x1="{x:.1f}" y1="2" x2="{x:.1f}" y2="{height - 22}" stroke="{STYLE.target}" '
                   f'stroke-width="{STYLE.line_width}" stroke-dasharray="{STYLE.target_dash}"/>')
        out.append(f'<text x="{x + 3:.1f}" y="12" font-size="{STYLE.small_size}" fill="{STYLE.target}">'
                   f'цель {format_percent(target)}%</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text above is escaped


def wrap_label(label: str, max_chars: int, max_lines: int = 2) -> list[str]:
    """Split a label into at most `max_lines` lines of `max_chars`; what does not fit ends in "…"."""
    lines: list[str] = []
    current = ""
    for word in label.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= max_chars:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
    if current:
        lines.append(current)
    lines = lines or [""]
    cut = len(lines) > max_lines
    lines = lines[:max_lines]
    if cut or len(lines[-1]) > max_chars:
        last = lines[-1][: max_chars - 1].rstrip(" ,;:")
        lines[-1] = last + "…"
    return lines


def label_chars(label_width: int) -> int:
    """Characters that fit a label area at 11 px: Cyrillic sans-serif takes up to ~7 units a letter."""
    return max(8, int((label_width - 10) / 7.2))


def _label(x: float, y: float, lines: list[str], full: str, size: int = STYLE.label_size) -> str:
    """Right-aligned label lines centred on `y`, the full text as the tooltip."""
    first = y - (len(lines) - 1) * (size + 1) / 2 + size * 0.35
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first + i * (size + 1):.1f}">{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    return (f'<g><title>{escape(full)}</title><text font-size="{size}" text-anchor="end" fill="{STYLE.text}">'
            f"{spans}</text></g>")


def count_bars(items: list[tuple[str, int]], *, title: str = "", label_width: int = 250, width: int = 440,
               row: int = 22) -> SafeString:
    """Horizontal bars of counts scaled to the largest.

    Long labels (competency names) wrap onto two lines within the label area and end in "…"
    beyond that; the full label is the tooltip, and the row grows for a wrapped label.
    """
    top = max([n for _, n in items] + [1])
    plot = width - label_width - 40
    max_chars = label_chars(label_width)
    wrapped = [wrap_label(label, max_chars) for label, _ in items]
    heights = [max(row, 13 * len(lines) + 6) for lines in wrapped]
    height = sum(heights) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-label="{escape(title)}" class="chart">']
    if title:
        out.append(f"<title>{escape(title)}</title>")
    y = 4
    for (label, n), lines, h in zip(items, wrapped, heights, strict=True):
        middle = y + h / 2
        w = plot * n / top
        out.append(_label(label_width - 6, middle, lines, label))
        out.append(f'<rect x="{label_width}" y="{middle - (row - 8) / 2:.1f}" width="{w:.1f}" height="{row - 8}" '
                   f'fill="{STYLE.bar}"><title>{escape(label)}: {n}</title></rect>')
        out.append(f'<text x="{label_width + w + 4:.1f}" y="{middle + 3.5:.1f}" font-size="{STYLE.small_size}" '
                   f'fill="{STYLE.text}">{n}</text>')
        y += h
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text above is escaped


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
        f'role="img" aria-label="Динамика"><polyline points="{coords}" fill="none" stroke="{STYLE.bar}" stroke-width="2"/></svg>'
    )
