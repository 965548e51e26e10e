"""python-docx helpers: an editable Word document in the look of the seeds (Times-like serif, A4)."""

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "PT Serif"


def new_document(landscape: bool = False) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    if landscape:
        section.page_height, section.page_width = section.page_width, section.page_height
    section.left_margin, section.right_margin = Cm(2.5), Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(2)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        doc.styles[name].font.name = "PT Sans"
        doc.styles[name].element.rPr.rFonts.set(qn("w:eastAsia"), "PT Sans")
    return doc


def paragraph(doc, text: str = "", *, bold: bool = False, italic: bool = False, center: bool = False,
              right: bool = False, size: int | None = None, style: str | None = None):
    p = doc.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    return p


def numbered(doc, items: list[str]) -> None:
    """Numbered like the seeds ("1. …"), written as text so the numbers survive any editor."""
    for i, item in enumerate(items, start=1):
        paragraph(doc, f"{i}. {item}")


def bullets(doc, items: list[str]) -> None:
    for item in items:
        paragraph(doc, f"– {item}")


def table(doc, header_rows: list[list[str]], rows: list[list[str]], widths_cm: list[float] | None = None,
          merges: list[tuple[int, int, int, int]] = (), font_size: int = 10):
    """A bordered table; `merges` are (row1, col1, row2, col2) in the header part."""
    ncols = max(len(r) for r in header_rows + rows)
    t = doc.add_table(rows=len(header_rows) + len(rows), cols=ncols)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, values in enumerate(header_rows + rows):
        for c, value in enumerate(values):
            cell = t.cell(r, c)
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(value))
            run.font.size = Pt(font_size)
            if r < len(header_rows):
                run.bold = True
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif c > 1:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for r1, c1, r2, c2 in merges:
        text = t.cell(r1, c1).text
        merged = t.cell(r1, c1).merge(t.cell(r2, c2))
        merged.text = ""
        run = merged.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(font_size)
        merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if widths_cm:
        for row in t.rows:
            for c, w in enumerate(widths_cm):
                row.cells[c].width = Cm(w)
    return t
