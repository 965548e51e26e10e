from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API для интеграций"

    def ready(self):
        from api import schema  # noqa: F401  (drf-spectacular extensions: the bearer token scheme)
