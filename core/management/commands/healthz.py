from django.core.management.base import BaseCommand

from core import health


class Command(BaseCommand):
    help = ("Проверка частей портала, как /healthz (база, кэш, брокер, исполнитель, хранилище файлов), "
            "с причинами сбоев; код выхода 1, если какая-то часть не отвечает.")
    requires_system_checks = []  # asked while something is down: nothing else should stand in the way

    def handle(self, *args, **options):
        parts = health.check_parts()
        self.stdout.write("\n".join(health.summary_lines(parts, details=True)))
        if any(part.status == health.FAIL for part in parts):
            raise SystemExit(1)
