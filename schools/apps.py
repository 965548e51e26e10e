from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Организации и кадры"

    def ready(self):
        from schools import signals  # noqa: F401  (security log of logins)
