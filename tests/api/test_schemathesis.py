"""Schemathesis against the checked-in schema, in-process (Django's WSGI handler, the test database).

Every operation of docs/api/openapi.yaml gets generated requests with a valid administrator's token
(which sees every record), over a small World with routes, activities and deficits; the record
operations also with the ids of real records. No answer may be a 5xx, and every answer must have a
documented status, content type and body.
"""

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.openapi import from_path
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.helpers import like
from tests.api.test_schema import SCHEMA_FILE
from tests.diagnostics.factories import DeficitFactory
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 20  # per operation and pass; deterministic (derandomize), so CI sees the same requests each run


def _operations():
    schema = from_path(str(SCHEMA_FILE))
    schema.app = get_wsgi_application()
    return [result.ok() for result in schema.get_all_operations()]


def _run(operation, headers: dict, **fixed) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(**fixed))
    def check(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()


@pytest.fixture(autouse=True)
def keep_test_connection():
    """Schemathesis calls the WSGI handler directly, so Django's request signals close the database
    connection after every request, as in production; inside the test's transaction that connection
    is the test database on PostgreSQL (SQLite's in-memory one survives). Django's own test client
    disconnects the same handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world_with_records():
    world = World()
    route = RouteFactory(person=world.colleague)
    ActivityFactory(route=route)
    deficit = DeficitFactory(person=world.colleague)
    return world, {"routes": route.pk, "deficits": deficit.pk, "staff": world.colleague.pk,
                   "organisations": world.school.pk}


@pytest.mark.django_db
def test_every_operation_answers_as_its_schema_says(world_with_records):
    world, ids = world_with_records
    _, secret = like(world.user("admin"))
    headers = {"Authorization": f"Bearer {secret}"}
    operations = _operations()
    assert len(operations) >= 13
    for operation in operations:
        _run(operation, headers)
        collection = operation.path.split("/")[3]
        if operation.path.endswith("{id}/") and collection in ids:
            _run(operation, headers, path_parameters={"id": ids[collection]})
        if operation.path == "/api/v1/figures/{code}/":
            for code in ("iom_share", "audit", "route_statuses", "young_supported_share"):
                _run(operation, headers, path_parameters={"code": code})
