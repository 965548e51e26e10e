"""Server-side SVG charts: long labels wrap inside the label area, the rest ends in "…", the full text is the tooltip."""

import re

from reports.charts import count_bars, label_chars, wrap_label

LONG = "Применение современных образовательных технологий, в том числе цифровых, на уроках и во внеурочной деятельности"


def test_a_long_label_wraps_onto_two_lines_and_ends_in_an_ellipsis():
    lines = wrap_label(LONG, 30)
    assert len(lines) == 2 and all(len(line) <= 30 for line in lines)
    assert lines[0] == "Применение современных" and lines[1].endswith("…")


def test_a_short_label_stays_whole_and_a_single_long_word_is_cut():
    assert wrap_label("Индивидуализация обучения", 30) == ["Индивидуализация обучения"]
    assert wrap_label("Сверхдлинноесловобезпробелов", 10) == ["Сверхдлин…"]


def test_count_bars_keep_every_label_line_inside_the_label_area_with_the_full_name_as_tooltip():
    svg = str(count_bars([(LONG, 12), ("Индивидуализация обучения", 3)], title="Частые дефициты"))
    limit = label_chars(250)
    spans = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert spans and all(len(s) <= limit for s in spans)
    assert f"<title>{LONG}</title>" in svg and "<title>Индивидуализация обучения</title>" in svg
    assert 'text-anchor="end"' in svg and 'x="244.0"' in svg  # right-aligned at the label area's edge
