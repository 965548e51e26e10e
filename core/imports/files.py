"""Files a kind produces: its XLSX template and an export in its own import format.

Both are written with openpyxl through core.files.write_row, like every workbook of the portal, so
user text in an export is never a formula; a template, an export and an import read the same
column titles from the same definitions.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from core.files import write_row
from core.imports.engine import ImportKind
from core.imports.values import to_text

TEMPLATE_SHEET = "Данные"
DESCRIPTION_SHEET = "Описание столбцов"
FORMAT_NOTE = (
    "Заполняйте первый лист, строка заголовков — первая. Порядок столбцов любой, необязательные "
    "столбцы можно удалить. Даты — ДД.ММ.ГГГГ или ячейки-даты Excel, да/нет — словами, учебный год — "
    "2022-2023. Можно сохранить как CSV (UTF-8 или Windows-1251, разделитель «;» или «,»)."
)


def _sheet(ws, title: str, headers: list[str], rows, widths: list[int] | None = None) -> None:
    ws.title = title
    write_row(ws, headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for row in rows:
        write_row(ws, row)
    for index, header in enumerate(headers, start=1):
        width = widths[index - 1] if widths else max(12, min(40, len(header) + 4))
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = width


def _bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_xlsx(kind: ImportKind) -> bytes:
    """Headers and one example row on the first sheet; what each column means on the second."""
    book = Workbook()
    _sheet(book.active, TEMPLATE_SHEET, [c.title for c in kind.columns], [[to_text(c.example) for c in kind.columns]])
    about = [[c.title, "да" if c.required else "нет", c.description] for c in kind.columns]
    about += [["", "", ""], ["Строки", "", kind.description], ["Формат", "", FORMAT_NOTE]]
    _sheet(book.create_sheet(), DESCRIPTION_SHEET, ["Столбец", "Обязательный", "Что указывать"], about,
           widths=[28, 14, 90])
    return _bytes(book)


def export_xlsx(kind: ImportKind, objects) -> bytes:
    book = Workbook()
    _sheet(book.active, TEMPLATE_SHEET, [c.title for c in kind.columns], (kind.export_row(obj) for obj in objects))
    return _bytes(book)
