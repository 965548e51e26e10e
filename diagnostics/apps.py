from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "diagnostics"
    verbose_name = "Диагностика"

    def ready(self):
        from diagnostics import access

        access.contribute()
