from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Резервная копия: база (pg_dump, custom format) и архив файлов (MEDIA_ROOT или бакет S3) "
            "в backups/<дата-время>/.")

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(Path(settings.BASE_DIR) / "backups"),
                            help="куда положить папку копии (по умолчанию backups/)")

    def handle(self, *args, **options):
        try:
            folder = backup(Path(options["dir"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(folder))
