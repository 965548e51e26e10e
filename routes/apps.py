from django.apps import AppConfig


class RoutesConfig(AppConfig):
    name = "routes"
    verbose_name = "ИОМ"

    def ready(self):
        from routes import access

        access.contribute()
