"""The one look of the portal's charts: colours, text sizes and axes of the server-drawn SVG.

The dashboards and PDFs (reports/charts.py) and the competency profile (diagnostics/charts.py)
draw with these, so a bar, a figure behind its target, a grid line or a tick label look the
same on every page and in every document. They are SVG presentation attributes, not CSS: the
PDFs have no portal.css, and the CSP forbids inline `style`. Only the HTML legends beside a
chart take their colours from static/css/portal.css (tests/core/test_charts.py checks they agree).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ChartStyle:
    bar: str = "#2f6db5"  # a figure
    behind: str = "#c0504d"  # a figure behind its target, or a score below its threshold
    target: str = "#b00020"  # the target line across the bars, dashed
    target_dash: str = "5 3"
    threshold: str = "#222"  # a threshold mark on one bar
    grid: str = "#d0d7e2"
    text: str = "#222"
    muted: str = "#6c757d"  # "no value"
    label_size: int = 11  # the labels of the bars
    small_size: int = 10  # ticks and the values at the bars' ends
    heading_size: int = 12  # a group of bars, bold
    line_width: int = 2  # the target and the thresholds; grid lines are 1


STYLE = ChartStyle()


def ticks(step: int, top: int = 100) -> list[int]:
    """The values of the grid lines of an axis from 0 to `top` (0, 25, 50, 75, 100 for 25)."""
    return list(range(0, top + 1, step))
