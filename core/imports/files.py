"""Files a kind produces: its XLSX template and an export in its own import format.

Both are tablib datasets written by django-import-export's XLSX format (tablib underneath),
so a template, an export and an import read the same column titles from the same definitions.
"""

import tablib
from import_export.formats.base_formats import XLSX

from core.files import xlsx_safe
from core.imports.engine import ImportKind
from core.imports.values import to_text

TEMPLATE_SHEET = "Данные"
DESCRIPTION_SHEET = "Описание столбцов"


def template_xlsx(kind: ImportKind) -> bytes:
    """Headers and one example row on the first sheet; what each column means on the second."""
    data = tablib.Dataset(title=TEMPLATE_SHEET, headers=[c.title for c in kind.columns])
    data.append([to_text(c.example) for c in kind.columns])
    about = tablib.Dataset(title=DESCRIPTION_SHEET, headers=["Столбец", "Обязательный", "Что указывать"])
    for column in kind.columns:
        about.append([column.title, "да" if column.required else "нет", column.description])
    about.append(["", "", ""])
    about.append(["Строки", "", kind.description])
    about.append(["Формат", "", (
        "Заполняйте первый лист, строка заголовков — первая. Порядок столбцов любой, необязательные "
        "столбцы можно удалить. Даты — ДД.ММ.ГГГГ или ячейки-даты Excel, да/нет — словами, учебный год — "
        "2022-2023. Можно сохранить как CSV (UTF-8 или Windows-1251, разделитель «;» или «,»)."
    )])
    book = tablib.Databook([data, about])
    return book.export("xlsx")


def export_xlsx(kind: ImportKind, objects) -> bytes:
    data = tablib.Dataset(title=TEMPLATE_SHEET, headers=[c.title for c in kind.columns])
    for obj in objects:
        data.append([xlsx_safe(value) for value in kind.export_row(obj)])
    return XLSX().export_data(data)
