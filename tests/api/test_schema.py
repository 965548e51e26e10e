"""docs/api/openapi.yaml is `manage.py api_schema`: integrators read the schema the code serves."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from tests.api.helpers import make_token, token_client
from tests.factories import OrganisationFactory

SCHEMA_FILE = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.yaml"


def test_docs_api_openapi_yaml_is_the_commands_output():
    out = StringIO()
    call_command("api_schema", stdout=out)
    assert SCHEMA_FILE.read_text(encoding="utf-8") == out.getvalue(), (
        "docs/api/openapi.yaml is stale: run `python manage.py api_schema > docs/api/openapi.yaml`")


def test_every_operation_needs_the_token_and_says_how_it_refuses():
    schema = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["components"]["securitySchemes"]["integrationToken"] == {
        "type": "http", "scheme": "bearer", "description": "Токен интеграции: `Authorization: Bearer iom_…` (docs/api.md)."}
    for path, operations in schema["paths"].items():
        assert path.startswith("/api/v1/")
        for method, operation in operations.items():
            assert operation["security"] == [{"integrationToken": []}], f"{method} {path}"
            assert {"401", "429"} <= set(operation["responses"]), f"{method} {path}"


@pytest.mark.django_db
def test_the_schema_is_served_to_any_valid_token_and_to_nobody_else():
    _, secret = make_token(("deputy", {"organisation": OrganisationFactory()}), capabilities=[])
    served = token_client(secret).get("/api/v1/schema/")
    assert served.status_code == 200
    assert yaml.safe_load(served.content) == yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert token_client(None).get("/api/v1/schema/").status_code == 401
    assert token_client("iom_not-a-token").get("/api/v1/schema/").status_code == 401
