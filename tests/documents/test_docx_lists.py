"""Lists in the Word documents look like the PDF's: the marker hangs before the text behind a tab, so a
justified line never stretches the space after «–», and the items sit close together."""

import io

from docx import Document
from docx.shared import Cm

from core import docx_tools as dx


def test_bullets_and_numbers_hang_behind_a_tab():
    doc = dx.new_document(font_size=12, margins_mm=(20, 15, 20, 25), justify=True)
    dx.bullets(doc, ["79,2 % педагогов прошли курсы"])
    dx.numbered(doc, ["Продолжить работу", "Обеспечить сопровождение"])
    out = io.BytesIO()
    doc.save(out)
    items = Document(io.BytesIO(out.getvalue())).paragraphs[-3:]
    assert [p.text for p in items] == ["–\t79,2 % педагогов прошли курсы", "1.\tПродолжить работу",
                                       "2.\tОбеспечить сопровождение"]
    for p in items:
        # Word stores twips: a centimetre comes back within one twip (635 EMU)
        assert abs(p.paragraph_format.first_line_indent + Cm(dx.LIST_INDENT_CM)) <= 635
        assert abs(p.paragraph_format.left_indent - Cm(dx.LIST_INDENT_CM)) <= 635
