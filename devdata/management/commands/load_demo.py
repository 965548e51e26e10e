from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devdata.demo import DEMO_PASSWORD, load_demo
from schools.models import Region


class Command(BaseCommand):
    help = "Загрузить демонстрационные данные (муниципалитет из отчета ММЦ и учетные записи всех ролей)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="ничего не делать, если данные уже есть")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Демо-данные загружаются только при DEBUG=true: это не для рабочей базы.")
        if Region.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Демо-данные уже загружены.")
                self._print_accounts(None)
                return
            raise CommandError("В базе уже есть данные; демо-данные загружаются в пустую базу.")
        accounts = load_demo()
        self.stdout.write(self.style.SUCCESS("Демо-данные загружены."))
        self._print_accounts(accounts)

    def _print_accounts(self, accounts):
        from django.contrib.auth import get_user_model

        if accounts is None:
            labels = {"teacher": "Педагог", "deputy": "Заместитель директора", "director": "Директор",
                      "methodist": "Методист ММЦ",
                      "methodist_city": "Методист ЦРО (город)", "regional": "Региональный методист", "admin": "Администратор"}
            existing = set(get_user_model().objects.filter(username__in=labels).values_list("username", flat=True))
            accounts = [(label, login, DEMO_PASSWORD) for login, label in labels.items() if login in existing]
        self.stdout.write("\nДемо-учетные записи (http://127.0.0.1:8000):")
        for role, login, password in accounts:
            self.stdout.write(f"  {role:<24} логин: {login:<14} пароль: {password}")
