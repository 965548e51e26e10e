"""Imports: moving a municipality's spreadsheets into the portal (docs/spec/import-formats.md).

The machinery here knows nothing of schools or routes. It reads the first sheet of an .xlsx or
a .csv (UTF-8 with or without BOM, or cp1251; `;` or `,`), matches the header to a kind's
columns (ignoring case and surrounding spaces, in any order, optional columns may be absent),
cleans every cell (DD.MM.YYYY text or Excel date cells, да/нет, stray spaces), collects every
error as (row, column, Russian message) with the header as row 1, lets the kind decide each
row's outcome (new / update / unchanged / error), and writes nothing unless the whole file is
valid, then everything in one transaction.

The same kinds serve the browser (core/imports/views.py: upload → preview → confirm, plus an
XLSX template per kind) and the command line (`python manage.py import_data KIND FILE
[--dry-run]`). A large file is checked and written by a Celery job with a progress page
(core/imports/jobs.py, tasks.py); a small one inside its request.

Reading is bounded (core/imports/reading.py): at most 20 MB, 50 000 data rows and 200 columns;
an .xlsx is checked by its zip directory (core/archives.py) before openpyxl opens it, and read
by the rows it holds, never by the range it declares.

An import may not do what the importing user could not do in the browser. The engine refuses a
user who does not hold the kind's capability (schools.access, docs/access.md); each kind then
refuses, row by row, what the browser would refuse: organisations outside the user's scope
(`ctx.can`), states and dates the workflow would not reach that way (routes/importers.py).

How an app adds a kind
----------------------
Create `<app>/importers.py` (it is discovered automatically, like admin.py) and register a
subclass of ImportKind::

    from core.imports import Column, ImportKind, register, values, NEW, UPDATE, UNCHANGED

    @register
    class DiagnosticsImport(ImportKind):
        code = "diagnostics"                 # manage.py import_data diagnostics FILE
        title = "Результаты диагностики"     # shown on «Загрузка данных»
        capability = "diagnostics.import"    # schools.access capability; scope via ctx.can()
        description = "One paragraph: what a row is and how it is identified."
        order = 50                           # position in the list of kinds
        columns = [
            Column("organisation", "ОО", required=True, description="…", example="МБОУ СОШ №1"),
            Column("taken_on", "Дата", required=True, clean=values.date, example="15.10.2024"),
            ...
        ]

        def plan(self, ctx, rows):
            # Load every reference for the whole file in a few queries; then, per row:
            # row.values["taken_on"] (absent key = column absent, None = empty cell),
            # row.error("Дата", "сообщение по-русски"), ctx.can(self.capability, organisation),
            # row.outcome = NEW / UPDATE / UNCHANGED, row.data[...] = what write() needs.
            ...

        def write(self, ctx, rows):
            # Called once, inside one transaction, only when no row has an error; ctx.progress(n)
            # tells a job's progress page how many rows are written.
            # Use bulk_create / bulk_update (with simple_history's *_with_history for
            # models with history); bulk writes send no signals and skip save().
            ...

A kind that can also be exported in its own format sets `export_capability` and implements
`export_queryset(user, params)` and `export_row(obj)` (see schools/importers.py, staff).
"""

from core.imports import values
from core.imports.engine import (
    ERROR,
    NEW,
    UNCHANGED,
    UPDATE,
    Column,
    ImportContext,
    ImportKind,
    ImportResult,
    Row,
    chunks,
    mark_duplicates,
    run_import,
)
from core.imports.registry import all_kinds, get_kind, kinds_for, register

__all__ = [
    "ERROR", "NEW", "UNCHANGED", "UPDATE", "Column", "ImportContext", "ImportKind", "ImportResult", "Row",
    "all_kinds", "chunks", "get_kind", "kinds_for", "mark_duplicates", "register", "run_import", "values",
]
