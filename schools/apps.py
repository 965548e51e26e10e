from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Организации и кадры"

    def ready(self):
        from core.access import register_policy
        from schools import access, signals  # noqa: F401  (signals: security log of logins)

        register_policy(access)
        access.contribute()
