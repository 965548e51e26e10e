"""`python manage.py import_data KIND FILE [--dry-run]` (docs/spec/import-formats.md).

An invalid file writes nothing: every error is printed as `row N: column: message` and the
command exits with status 1. A valid file is written in one transaction and the counts of
created, updated and unchanged rows are printed.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.imports import NEW, UNCHANGED, UPDATE, all_kinds, get_kind, run_import


class Command(BaseCommand):
    help = "Загрузить файл .xlsx или .csv в формате docs/spec/import-formats.md."

    def add_arguments(self, parser):
        parser.add_argument("kind", help="organizations | staff | routes | activities (и другие виды, "
                                         "зарегистрированные приложениями)")
        parser.add_argument("file", help="путь к .xlsx или .csv")
        parser.add_argument("--dry-run", action="store_true", help="только проверить, ничего не записывать")

    def handle(self, *args, kind, file, dry_run, **options):
        import_kind = get_kind(kind)
        if import_kind is None:
            known = ", ".join(k.code for k in all_kinds())
            raise CommandError(f"unknown kind {kind!r}; known: {known}")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"file not found: {file}")
        result = run_import(import_kind, path.read_bytes(), path.name, dry_run=dry_run)
        if not result.is_valid:
            for line in result.error_lines():
                self.stdout.write(line)
            self.stderr.write(f"{len(result.errors)} error(s); nothing written")
            sys.exit(1)
        counts = result.counts
        prefix = "dry run, nothing written: would be " if dry_run else ""
        self.stdout.write(f"{prefix}created: {counts[NEW]}, updated: {counts[UPDATE]}, unchanged: {counts[UNCHANGED]}")
