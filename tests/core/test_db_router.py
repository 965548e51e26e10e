"""core/db_router.py: the replica serves the reads of `reading_from_replica()` blocks only, never a write,
never a read inside a transaction of the primary (the real standby: tests/faults/test_read_replica.py)."""

import pytest
from django.db import OperationalError, connections

from core import db_router
from core.db_router import ReplicaRouter, reading_from_replica, replica_reads
from routes.models import Route


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    monkeypatch.setattr(db_router, "replica_answers", lambda: True)


class FakeReplica:
    settings_dict = {"ENGINE": "django.db.backends.postgresql", "HOST": "standby.example", "PORT": 5433, "NAME": "iom"}

    def __init__(self):
        self.down, self.attempts = True, 0

    def close_if_health_check_failed(self):
        pass

    def ensure_connection(self):
        self.attempts += 1
        if self.down:
            raise OperationalError("connection refused")


def test_a_replica_that_does_not_answer_sends_its_readers_to_the_primary_for_a_while(monkeypatch, caplog):
    replica = FakeReplica()
    clock = [1000.0]

    class Connections:
        settings = {"default": {}, "replica": {}}

        def __getitem__(self, alias):
            return replica if alias == "replica" else connections[alias]

    monkeypatch.setattr(db_router, "connections", Connections())
    monkeypatch.setattr(db_router.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(db_router, "_down_since", [])
    with caplog.at_level("WARNING", logger="iom.operations"), reading_from_replica():
        assert ReplicaRouter().db_for_read(Route) == "default"
    assert replica.attempts == 1 and "service_down" in caplog.text
    clock[0] += 10  # within RETRY_SECONDS: not even tried
    with reading_from_replica():
        assert ReplicaRouter().db_for_read(Route) == "default"
    assert replica.attempts == 1
    clock[0] += db_router.RETRY_SECONDS
    replica.down = False
    with caplog.at_level("WARNING", logger="iom.operations"), reading_from_replica():
        assert ReplicaRouter().db_for_read(Route) == "replica"
    assert replica.attempts == 2 and "service_recovered" in caplog.text


def test_reads_go_to_the_replica_only_inside_the_block_and_outside_a_transaction(with_replica, monkeypatch):
    router = ReplicaRouter()
    assert router.db_for_read(Route) == "default"
    with reading_from_replica():
        assert router.db_for_read(Route) == "replica"
        assert router.db_for_write(Route) == "default"
        # what transaction.atomic() on the primary sets (select_for_update, read-then-write)
        monkeypatch.setattr(connections["default"], "in_atomic_block", True)
        assert router.db_for_read(Route) == "default"
        monkeypatch.setattr(connections["default"], "in_atomic_block", False)
        assert router.db_for_read(Route) == "replica"
    assert router.db_for_read(Route) == "default"


def test_an_object_read_from_the_replica_is_written_to_the_primary(with_replica):
    router = ReplicaRouter()
    route = Route()
    route._state.db = "replica"
    assert router.db_for_write(Route, instance=route) == "default"
    assert router.allow_relation(route, Route()) is True
    assert router.allow_migrate("replica", "routes") is False and router.allow_migrate("default", "routes") is True


def test_without_a_replica_the_block_changes_nothing(monkeypatch):
    monkeypatch.setattr(db_router, "replica_configured", lambda: False)
    with reading_from_replica():
        assert ReplicaRouter().db_for_read(Route) == "default"
        assert not db_router.reads_from_replica()


@pytest.mark.django_db
def test_a_dashboard_view_loads_its_user_before_reading_from_the_replica(with_replica, rf):
    seen = {}

    def view(request):
        seen["inside"] = db_router._reading.get()
        return "page"

    request = rf.get("/")
    touched = []

    class User:
        @property
        def pk(self):
            touched.append(db_router._reading.get())
            return 1

    request.user = User()
    assert replica_reads(view)(request) == "page"
    assert touched == [False] and seen["inside"] is True
    assert db_router._reading.get() is False


def test_a_replica_that_is_the_primary_itself_is_not_used(monkeypatch):
    """The test database's mirror (TEST MIRROR) or two URLs of one database: no second connection."""
    replica = FakeReplica()
    replica.settings_dict = connections["default"].settings_dict

    class Connections:
        settings = {"default": {}, "replica": {}}

        def __getitem__(self, alias):
            return replica if alias == "replica" else connections[alias]

    monkeypatch.setattr(db_router, "connections", Connections())
    assert db_router.replica_answers() is False and replica.attempts == 0
