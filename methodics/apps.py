from django.apps import AppConfig


class MethodicsConfig(AppConfig):
    name = "methodics"
    verbose_name = "Методическое сопровождение"

    def ready(self):
        from methodics import access

        access.contribute()
