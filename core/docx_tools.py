"""python-docx helpers for every editable Word document of the portal (the ИОМ, the reports):
A4 pages, the PT fonts of the PDFs, paragraphs, table cells and bordered tables.

User text goes through `clean()` everywhere here: XML 1.0 forbids control characters, and
python-docx raises on them instead of dropping them.
"""

import datetime as dt
import re

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Mm, Pt, RGBColor

FONT = "PT Serif"
HEADING_FONT = "PT Sans"
CENTER, RIGHT, LEFT, JUSTIFY = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT,
                                WD_ALIGN_PARAGRAPH.JUSTIFY)
HEADER_FILL = "E9EEF5"
GROUP_FILL = "F3F5F8"  # a section row inside a table (the ИОМ roadmap's direction)
# Heading sizes in points; the headings are bold and black (Word's default blue is not the seeds').
HEADING_SIZES = {"Heading 1": 14, "Heading 2": 12, "Heading 3": 11}

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(value) -> str:
    """Text for a document: None as "", trimmed, without the characters XML forbids."""
    return _XML_INVALID.sub("", "" if value is None else str(value).strip())


def set_font(style, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """The style's font for every script (Cyrillic is not "ascii" to Word: all four are set)."""
    style.font.name = name
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)


def new_document(*, font_size: float, margins_mm: tuple[float, float, float, float],
                 justify: bool = False, title: str = "", author: str = "") -> Document:
    """An A4 document in the portal's fonts; `margins_mm` are (top, right, bottom, left).

    `justify`: body paragraphs are justified (the reports, like the seeds' letters); table cells
    written by `table()` keep their own alignment. `title` and `author` (the organisation) are
    the document's properties; it is created now, page numbers are in the footer.
    """
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, right, bottom, left = (Mm(m) for m in margins_mm)
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = top, right, bottom, left
    normal = document.styles["Normal"]
    set_font(normal, FONT, font_size)
    if justify:
        normal.paragraph_format.alignment = JUSTIFY
    for name, size in HEADING_SIZES.items():
        style = document.styles[name]
        set_font(style, HEADING_FONT, size, bold=True)
        style.font.color.rgb = RGBColor(0, 0, 0)
    set_properties(document, title=title, author=author)
    page_numbers(document)
    return document


def set_properties(document, *, title: str, author: str) -> None:
    """Title, author and dates of the document, none of python-docx's template (2013, «python-docx»)."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props = document.core_properties
    # python-docx refuses core properties over 255 characters; names may be up to 3 × 100.
    props.title, props.author = clean(title)[:255], clean(author)[:255]
    props.last_modified_by, props.comments, props.subject, props.keywords = clean(author)[:255], "", "", ""
    props.created = props.modified = now
    props.revision = 1
    props.language = "ru-RU"


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) with a placeholder the office suite replaces on display."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"), ("end", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def page_numbers(document) -> None:
    """The page number centred in the footer of every section."""
    for section in document.sections:
        p = section.footer.paragraphs[0]
        p.alignment = CENTER
        _field(p, "PAGE")


def heading(document, text: str, level: int = 1):
    """A real heading (Heading 1/2, «Заголовок 1/2» in a Russian office suite): it is in the
    navigation pane and the table of contents, and keeps with the next paragraph."""
    h = document.add_heading(clean(text), level=level)
    h.alignment = LEFT
    return h


def _format(p, run, *, bold: bool, italic: bool, size: float | None, align) -> None:
    if run is not None:
        run.bold = bold or None  # None, not False: the style's weight, as Word writes it
        run.italic = italic or None
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align


def paragraph(container, text="", *, style: str | None = None, bold: bool = False, italic: bool = False,
              align=None, size: float | None = None, space_after: float | None = None):
    """A paragraph of one run in a document or a table cell; `align` None keeps the style's."""
    p = container.add_paragraph(style=style)
    _format(p, p.add_run(clean(text)) if text else None, bold=bold, italic=italic, size=size, align=align)
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    return p


def cell_text(cell, text, *, bold: bool = False, italic: bool = False, align=None, size: float | None = None) -> None:
    """Replace the cell's content by one paragraph; lines of user text become line breaks in it."""
    cell.text = ""  # one paragraph with one empty run, whatever the cell held (a merge keeps every text)
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    run = p.runs[0]
    run.text = clean(text)
    _format(p, run, bold=bold, italic=italic, size=size, align=align)


def repeat_header(row) -> None:
    """The row is repeated at the top of every page the table runs over."""
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def keep_row(row) -> None:
    """The row is never split across pages (w:cantSplit): a merged cell beside it keeps its borders."""
    marker = OxmlElement("w:cantSplit")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def shade(cell, fill: str = HEADER_FILL) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


LIST_INDENT_CM = 0.6
LIST_SPACE_PT = 2


def _list_item(document, marker: str, item: str):
    """One list item as the PDF's lists look: the marker hanging in the margin, a tab after it (a
    justified line never stretches it), the items close together."""
    p = paragraph(document, f"{marker}\t{item}", space_after=LIST_SPACE_PT)
    p.paragraph_format.left_indent = Cm(LIST_INDENT_CM)
    p.paragraph_format.first_line_indent = Cm(-LIST_INDENT_CM)
    p.paragraph_format.tab_stops.add_tab_stop(Cm(LIST_INDENT_CM))
    return p


def numbered(document, items: list[str]) -> None:
    """Numbered like the seeds ("1. …"), written as text so the numbers survive any editor."""
    for i, item in enumerate(items, start=1):
        _list_item(document, f"{i}.", item)


def bullets(document, items: list[str]) -> None:
    for item in items:
        _list_item(document, "–", item)


def keep_with_next(*paragraphs) -> None:
    """The paragraphs stay on the page of what follows them (a letter's closing lines and signature)."""
    for p in paragraphs:
        p.paragraph_format.keep_with_next = True


def table(document, header_rows: list[list[str]], rows: list[list[str]], widths_cm: list[float] | None = None,
          merges: list[tuple[int, int, int, int]] = (), font_size: float = 10, header_size: float | None = None):
    """A bordered, centred table of figures: the header rows bold and centred, the first two
    columns of the body (number, name) left, the figures centred. `merges` are
    (row1, col1, row2, col2) in the header part; the merged cell keeps the first cell's text."""
    ncols = max(len(r) for r in header_rows + rows)
    t = document.add_table(rows=len(header_rows) + len(rows), cols=ncols)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, values in enumerate(header_rows + rows):
        is_header = r < len(header_rows)
        for c, value in enumerate(values):
            cell_text(t.cell(r, c), value, bold=is_header, size=(header_size or font_size) if is_header else font_size,
                      align=CENTER if is_header or c > 1 else LEFT)
    for r1, c1, r2, c2 in merges:
        text = t.cell(r1, c1).text
        cell_text(t.cell(r1, c1).merge(t.cell(r2, c2)), text, bold=True, size=header_size or font_size, align=CENTER)
    if widths_cm:
        set_widths(t, [Cm(w) for w in widths_cm])
    return t


def set_widths(table, widths) -> None:
    """Column widths (EMU lengths) as Word and LibreOffice both read them: a fixed layout, the
    table's width, its grid (w:tblGrid, which LibreOffice lays out by) and every cell's w:tcW.
    A grid that disagrees with the cells makes LibreOffice break words mid-word."""
    tbl = table._tbl
    table.autofit = False
    tblPr = tbl.tblPr
    tblW = tblPr.find(qn("w:tblW"))
    if tblW is None:
        tblW = OxmlElement("w:tblW")
        tblPr.append(tblW)
    tblW.set(qn("w:w"), str(sum(int(w.twips) for w in widths)))
    tblW.set(qn("w:type"), "dxa")
    grid = tbl.tblGrid
    for col in list(grid):
        grid.remove(col)
    for width in widths:
        col = OxmlElement("w:gridCol")
        col.set(qn("w:w"), str(int(width.twips)))
        grid.append(col)
    for row in table.rows:
        c = 0
        for tc in row._tr.tc_lst:
            span = tc.grid_span
            tc.width = Length(sum(widths[c:c + span]))
            c += span


def layout_table(document, rows: list[list[str | list[str]]], widths_cm: list[float], *, aligns=None,
                 size: float | None = None):
    """A table without borders that only places text side by side (a letter's date and addressee, a
    signature's position and name). A cell given a list of lines gets one paragraph a line."""
    t = document.add_table(rows=len(rows), cols=len(widths_cm))
    tblPr = t._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "nil")
        borders.append(e)
    tblPr.append(borders)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = t.cell(r, c)
            lines = value if isinstance(value, list) else [value]
            cell_text(cell, lines[0] if lines else "", align=(aligns or [None] * len(values))[c], size=size)
            for line in lines[1:]:
                paragraph(cell, line, align=(aligns or [None] * len(values))[c], size=size, space_after=0)
    set_widths(t, [Cm(w) for w in widths_cm])
    return t
