"""core.docx_tools: the one set of python-docx helpers of the ИОМ and the reports."""

import io

from docx import Document
from docx.oxml.ns import qn

from core import docx_tools as dx


def _reopened(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return Document(io.BytesIO(buffer.getvalue()))


def test_control_characters_of_user_text_are_dropped_not_raised():
    document = dx.new_document(font_size=11, margins_mm=(18, 15, 18, 20))
    dx.paragraph(document, "Тема\x07 с\x00имволами ")
    assert _reopened(document).paragraphs[-1].text == "Тема символами"


def test_the_document_is_a4_in_pt_fonts_for_every_script():
    document = _reopened(dx.new_document(font_size=12, margins_mm=(20, 15, 20, 25), justify=True))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (25, 15)
    normal = document.styles["Normal"]
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(qn(a)) for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")} == {"PT Serif"}
    assert normal.paragraph_format.alignment == dx.JUSTIFY
    assert document.core_properties.author == ""


def test_a_merged_header_cell_keeps_the_first_text_only():
    document = dx.new_document(font_size=12, margins_mm=(20, 15, 20, 25))
    table = dx.table(document, [["№", "Организация", "Всего"], ["", "", "чел."]], [["1", "МБОУ СОШ №1", "12"]],
                     merges=[(0, 0, 1, 0)])
    merged = table.cell(0, 0)
    assert merged.text == "№" and len(merged.paragraphs) == 1
    assert merged.paragraphs[0].runs[0].bold
    assert table.cell(2, 1).paragraphs[0].alignment == dx.LEFT
    assert table.cell(2, 2).paragraphs[0].alignment == dx.CENTER


def test_lines_of_a_cell_are_line_breaks_in_one_paragraph():
    document = dx.new_document(font_size=11, margins_mm=(18, 15, 18, 20))
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    dx.cell_text(cell, "Диплом\nСертификат")
    assert len(cell.paragraphs) == 1 and cell.text == "Диплом\nСертификат"


def test_grid_equals_the_cells_widths_and_the_footer_numbers_pages():
    document = dx.new_document(font_size=11, margins_mm=(18, 15, 18, 20), title="ИОМ", author="МБОУ СОШ №1")
    table = dx.table(document, [["Направление", "Мероприятие"]], [["Предметные", "Семинар"]], widths_cm=[4, 13])
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid]
    assert grid == [2268, 7370]  # 4 cm and 13 cm in twips
    assert all([tc.width.twips for tc in row._tr.tc_lst] == grid for row in table.rows)
    reopened = _reopened(document)
    footer = reopened.sections[0].footer._element.xml
    assert "PAGE" in footer and 'fldCharType="begin"' in footer
    props = reopened.core_properties
    assert (props.title, props.author) == ("ИОМ", "МБОУ СОШ №1") and props.created.year >= 2026
    assert dx.heading(document, "Раздел", 2).style.name == "Heading 2"
