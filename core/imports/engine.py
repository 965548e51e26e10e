"""The generic import machinery: header matching, cell cleaning, outcomes, the one transaction.

A kind (see `ImportKind`) declares its columns and implements two steps:

- `plan(ctx, rows)`: for every row, resolve references and identity in bulk (a few queries
  for the whole file, never one per row), record errors with `row.error(column, message)`,
  and set `row.outcome` to NEW, UPDATE or UNCHANGED with whatever `write` needs in `row.data`;
- `write(ctx, rows)`: bulk-create and bulk-update what `plan` decided. It runs only when the
  whole file is valid, inside one transaction opened here.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from core import access
from core.cache import bump_all_on_commit
from core.imports import values
from core.imports.reading import Table, UnreadableFile, read_table

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
# Stages of one import, as a job's progress page names them.
READING, CHECKING, WRITING = "reading", "checking", "writing"
OUTCOME_LABELS = {NEW: "новая", UPDATE: "изменение", UNCHANGED: "без изменений", ERROR: "ошибка"}
FILE_COLUMN = "файл"
PROGRESS_EVERY = 500  # rows between two progress reports
REQUIRED_MESSAGE = "обязательное поле не заполнено"


@dataclass(frozen=True)
class Column:
    key: str  # the name the kind reads the cleaned value by
    title: str  # the column title of docs/spec/import-formats.md
    required: bool = False
    clean: Callable = field(default_factory=values.text)
    description: str = ""
    example: object = ""


class Row:
    __slots__ = ("number", "raw", "values", "errors", "outcome", "data")

    def __init__(self, number: int, raw: tuple):
        self.number = number  # the file row; the header is row 1
        self.raw = raw  # the cells as read, for the preview (ImportResult.cells_of)
        self.values: dict = {}  # key → cleaned value; a key is absent when its column is absent
        self.errors: list[tuple[str, str]] = []
        self.outcome: str | None = None
        self.data: dict = {}

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))

    def has(self, key: str) -> bool:
        """Was the column present in the file (the cell may still be empty: value None)?"""
        return key in self.values


class ImportContext:
    """Who imports and how: `user=None` is the command line, which may import everything.

    `filename` is the uploaded file's name (the transition log of an imported route names it);
    `progress(done)` reports how many rows of the current stage are processed (a job shows it).
    """

    def __init__(self, user=None, *, kind: "ImportKind | None" = None, dry_run: bool = False, request=None,
                 filename: str = "", reporter: "Callable[[str, int, int], None] | None" = None):
        self.user = user
        self.kind = kind
        self.dry_run = dry_run
        self.request = request
        self.filename = filename
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.stage = READING
        self.total = 0
        self._reporter = reporter

    @property
    def history_user(self):
        return self.user if self.user is not None and self.user.is_authenticated else None

    def can(self, capability: str, organisation) -> bool:
        """Imports do no more than the browser: a kind needs its capability (ImportKind.capability), every
        row's organisation must be in that capability's scope, and no kind changes an existing route's
        state (routes/importers.py).
        """
        if self.user is None:
            return True
        return access.can(self.user, capability, organisation)

    def begin(self, stage: str, total: int) -> None:
        self.stage, self.total = stage, total
        self.progress(0)

    def progress(self, done: int) -> None:
        if self._reporter is not None:
            self._reporter(self.stage, done, self.total)


class ImportKind(ABC):
    """One import format. Subclass, declare the class attributes, implement plan() and write()."""

    code: str = ""  # the KIND of `manage.py import_data KIND FILE`
    title: str = ""  # Russian title of docs/spec/import-formats.md
    capability: str = ""  # schools.access capability needed to import this kind
    description: str = ""  # one paragraph for the template's description sheet and the upload page
    columns: list[Column] = []
    order: int = 100  # position in the list of kinds
    export_capability: str | None = None  # set by kinds that can also be exported
    # Titles a file may still carry from an older format, with the Russian reason it is refused and where to go.
    retired_columns: dict[str, str] = {}

    @abstractmethod
    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        """Check every row and decide its outcome (no writes)."""

    @abstractmethod
    def write(self, ctx: ImportContext, rows: list[Row]) -> None:
        """Write the planned rows; called inside one transaction when no row has an error."""

    # Export in the import format (kinds with export_capability override these two).
    def export_queryset(self, user, params):
        raise TypeError(f"the import kind {self.code!r} has no export")

    def export_row(self, obj) -> list:
        raise TypeError(f"the import kind {self.code!r} has no export")

    def available_to(self, user) -> bool:
        """Does the user hold this kind's capability (in some scope)? Who holds it is schools.access's table
        alone: a kind that named roles of its own would be a second table (docs/access.md would not show it)."""
        if user is None:
            return True
        return access.has_capability(user, self.capability)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def title_of(self, key: str) -> str:
        return self.column(key).title


@dataclass
class ImportResult:
    kind: ImportKind
    filename: str
    rows: list[Row] = field(default_factory=list)
    file_errors: list[tuple[int, str, str]] = field(default_factory=list)  # header and file problems
    written: bool = False
    positions: dict[str, int] = field(default_factory=dict)  # column key → index in the file

    @property
    def present_columns(self) -> list[Column]:
        return [c for c in self.kind.columns if c.key in self.positions]

    def cells_of(self, row: Row) -> list[str]:
        """The row's cells as text, in the order of present_columns."""
        width = len(row.raw)
        return [values.to_text(row.raw[i]) if i < width else "" for i in
                (self.positions[c.key] for c in self.present_columns)]

    @property
    def errors(self) -> list[tuple[int, str, str]]:
        found = list(self.file_errors)
        for row in self.rows:
            found.extend((row.number, column, message) for column, message in row.errors)
        return found

    @property
    def is_valid(self) -> bool:
        return not self.file_errors and not any(row.errors for row in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        counts = {NEW: 0, UPDATE: 0, UNCHANGED: 0, ERROR: 0}
        for row in self.rows:
            counts[row.outcome or ERROR] += 1
        return counts

    def error_lines(self) -> list[str]:
        """`row N: column: message`, the command line's format (docs/spec/import-formats.md)."""
        return [f"row {number}: {column}: {message}" for number, column, message in self.errors]


def _match_header(kind: ImportKind, header: list[str], result: ImportResult) -> dict[str, int]:
    by_title = {values.fold(c.title): c for c in kind.columns}
    retired = {values.fold(title): reason for title, reason in kind.retired_columns.items()}
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        if not title.strip():
            result.file_errors.append((1, f"столбец {index + 1}", "пустой заголовок столбца"))
            continue
        column = by_title.get(values.fold(title))
        if column is None and values.fold(title) in retired:
            result.file_errors.append((1, title.strip(), retired[values.fold(title)]))
        elif column is None:
            result.file_errors.append((1, title.strip(), "неизвестный столбец; допустимые: "
                                       + ", ".join(c.title for c in kind.columns)))
        elif column.key in positions:
            result.file_errors.append((1, column.title, "столбец повторяется"))
        else:
            positions[column.key] = index
    for column in kind.columns:
        if column.required and column.key not in positions:
            result.file_errors.append((1, column.title, "нет обязательного столбца"))
    return positions


def _build_rows(kind: ImportKind, table: Table, positions: dict[str, int], ctx: ImportContext) -> list[Row]:
    present = [(c, positions[c.key]) for c in kind.columns if c.key in positions]
    rows = []
    for offset, raw in enumerate(table.rows):
        if offset % PROGRESS_EVERY == 0:
            ctx.progress(offset)
        width = len(raw)
        row = Row(offset + 2, raw)
        cleaned = row.values
        for column, index in present:
            cell = raw[index] if index < width else None
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                if column.required:
                    row.errors.append((column.title, REQUIRED_MESSAGE))
                cleaned[column.key] = None
                continue
            try:
                cleaned[column.key] = column.clean(cell)
            except values.CellError as exc:
                row.errors.append((column.title, str(exc)))
                cleaned[column.key] = None
        rows.append(row)
    return rows


def run_import(kind: ImportKind, data: bytes, filename: str, *, user=None, dry_run: bool = False,
               request=None, reporter: Callable[[str, int, int], None] | None = None,
               on_written: Callable[[ImportResult], None] | None = None) -> ImportResult:
    """Read, validate and (when the whole file is valid and not a dry run) write one file.

    `reporter(stage, done, total)` hears the progress (a job stores it); `on_written(result)` runs
    inside the transaction that writes the rows, so what it records commits with them or not at all.
    """
    result = ImportResult(kind=kind, filename=filename)
    if not kind.available_to(user):
        result.file_errors.append((1, FILE_COLUMN, f"загрузка «{kind.title}» недоступна для вашей роли"))
        return result
    ctx = ImportContext(user, kind=kind, dry_run=dry_run, request=request, filename=filename, reporter=reporter)
    ctx.begin(READING, 0)
    try:
        table = read_table(data, filename, on_row=ctx.progress)
    except UnreadableFile as exc:
        result.file_errors.append((1, FILE_COLUMN, str(exc)))
        return result
    positions = _match_header(kind, table.header, result)
    result.positions = positions
    if any(message == "нет обязательного столбца" for _, _, message in result.file_errors):
        return result  # without its required columns no row can be understood
    if not table.rows:
        result.file_errors.append((2, FILE_COLUMN, "в файле нет ни одной строки данных"))
        return result
    ctx.begin(CHECKING, len(table.rows))
    result.rows = _build_rows(kind, table, positions, ctx)
    table.rows = []  # the rows hold their cells now
    kind.plan(ctx, result.rows)
    for row in result.rows:
        if row.errors:
            row.outcome = ERROR
        elif row.outcome is None:
            row.outcome = UNCHANGED
    ctx.progress(len(result.rows))
    if result.is_valid and not dry_run:
        ctx.begin(WRITING, len(result.rows))
        with transaction.atomic():
            kind.write(ctx, result.rows)
            bump_all_on_commit()  # dashboard figures of every scope the file touched are computed afresh
            result.written = True
            if on_written is not None:
                on_written(result)
        ctx.progress(len(result.rows))
        _log(kind, result, ctx)
    return result


def _log(kind: ImportKind, result: ImportResult, ctx: ImportContext) -> None:
    from core.logging import log_security_event

    counts = result.counts
    log_security_event(
        "data_import", ctx.request, kind=kind.code, file_name=result.filename[:200],
        rows_created=counts[NEW], rows_updated=counts[UPDATE], rows_unchanged=counts[UNCHANGED],
        source="browser" if ctx.request is not None else ("job" if ctx.user is not None else "command"),
        **({"user_id": ctx.user.pk} if ctx.request is None and ctx.user is not None else {}),
    )


def chunks(items: list, size: int = 1000):
    """Slices of `items`: bulk writes build and send one slice at a time, to bound memory."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def mark_duplicates(rows: list[Row], key_of: Callable[[Row], object], column: str) -> None:
    """A second row with the identity of an earlier one is an error naming the first (None: no identity)."""
    seen: dict = {}
    for row in rows:
        key = key_of(row)
        if key is None:
            continue
        first = seen.setdefault(key, row.number)
        if first != row.number:
            row.error(column, f"повторяет строку {first}: та же запись указана дважды")
