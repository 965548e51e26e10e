"""drf-spectacular's view of the API: the bearer token scheme, and the schema endpoint.

The schema is served at /api/v1/schema/ to any valid token and checked into docs/api/openapi.yaml
(`python manage.py api_schema > docs/api/openapi.yaml`; tests/api/test_schema.py fails when it is stale).
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.views import SpectacularAPIView


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "integrationToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "Токен интеграции: `Authorization: Bearer iom_…` (docs/api.md)."}


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema (YAML; `?format=json` for JSON), for any valid token."""

    @classmethod
    def as_view(cls, *args, **kwargs):
        from django.contrib.auth.decorators import login_not_required

        return login_not_required(super().as_view(*args, **kwargs))
