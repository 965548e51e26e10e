from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Отчеты и статистика"

    def ready(self):
        from reports import access

        access.contribute()
