from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Восстановление из резервной копии в ПУСТУЮ базу (pg_restore) и возврат файлов в хранилище "
            "(бакет S3 или MEDIA_ROOT).")

    def add_arguments(self, parser):
        parser.add_argument("folder", help="папка копии, например backups/20261123-020000")
        parser.add_argument("--database-url", default="", help="пустая база назначения (по умолчанию DATABASE_URL)")
        parser.add_argument("--media-root", default="",
                            help="распаковать файлы в эту папку (по умолчанию — в хранилище портала: бакет S3 "
                                 "или MEDIA_ROOT)")

    def handle(self, *args, **options):
        try:
            manifest = restore(Path(options["folder"]), database_url=options["database_url"] or None,
                               media_root=Path(options["media_root"]) if options["media_root"] else None)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Восстановлено из копии от {manifest['created']}.")
