"""`python manage.py api_schema > docs/api/openapi.yaml`: the OpenAPI schema /api/v1/schema/ serves.

tests/api/test_schema.py keeps docs/api/openapi.yaml equal to this command's output.
"""

from django.core.management.base import BaseCommand
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer


def api_schema() -> str:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return OpenApiYamlRenderer().render(schema, renderer_context={}).decode()


class Command(BaseCommand):
    help = "Схема OpenAPI API для интеграций (YAML); docs/api/openapi.yaml — ее вывод."

    def handle(self, *args, **options):
        self.stdout.write(api_schema(), ending="")
