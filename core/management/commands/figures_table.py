from django.core.management.base import BaseCommand

from core.figures import definitions_table


class Command(BaseCommand):
    help = "Таблица определений показателей из реестра (docs/figures.md): python manage.py figures_table > docs/figures.md"

    def handle(self, *args, **options):
        self.stdout.write(definitions_table(), ending="")
