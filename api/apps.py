from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API для интеграций"

    def ready(self):
        from django.db.models import Q

        from api import schema  # noqa: F401  (drf-spectacular extensions: the bearer token scheme)
        from schools.access import register_service_accounts

        # a token's account acts for a system: it never reviews, credits or gets told
        register_service_accounts(lambda prefix: Q(**{f"{prefix}integration_token__isnull": True}))
