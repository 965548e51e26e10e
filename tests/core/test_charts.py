"""core.charts: one chart style for the dashboards, the PDFs and the competency profile."""

import re
from pathlib import Path

from core.charts import STYLE, ticks

PORTAL_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "portal.css"


def test_the_html_legends_repeat_the_colours_of_the_charts():
    css = PORTAL_CSS.read_text()
    legend = dict(re.findall(r"\.(legend-ok|legend-below|legend-threshold) \{[^}]*background: (#[0-9a-f]+)", css))
    assert legend == {"legend-ok": STYLE.bar, "legend-below": STYLE.behind, "legend-threshold": STYLE.threshold}


def test_no_css_rule_paints_the_bars_over_their_svg_colours():
    # A CSS fill or stroke outranks an SVG presentation attribute: the chart would differ by page.
    css = PORTAL_CSS.read_text()
    assert not re.search(r"\.(chart|profile-chart)[^{]*\{[^}]*(fill|stroke):", css)


def test_ticks_run_from_zero_to_the_top():
    assert ticks(25) == [0, 25, 50, 75, 100]
    assert ticks(20) == [0, 20, 40, 60, 80, 100]
