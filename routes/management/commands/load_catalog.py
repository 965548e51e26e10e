from django.core.management.base import BaseCommand

from routes.catalog.services import load_initial_catalog


class Command(BaseCommand):
    help = "Загрузить стартовый каталог ресурсов (курсы, мероприятия, литература); повторный запуск ничего не меняет."

    def handle(self, *args, **options):
        created, present = load_initial_catalog()
        self.stdout.write(f"Каталог ресурсов: добавлено {created}, уже были {present}.")
