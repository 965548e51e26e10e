"""The read replica (DATABASE_REPLICA_URL, docs/capacity.md): who reads from it, and nothing else does.

Reads go to the "replica" database only inside `reading_from_replica()`, which the report jobs
(reports/tasks.py, the build) and the dashboards (reports/urls.py) open around their work. Every
write goes to the primary, and so does every read made inside a transaction of the primary
(`transaction.atomic()`, `select_for_update()`): a service reads what it is about to change where
it changes it. Ordinary pages never read from the replica, so a user sees their own write on the
next page (a replica lags by the time it takes to replay the primary's WAL).

Without DATABASE_REPLICA_URL there is no "replica" database and the context manager changes nothing.
A replica that does not answer (connect_timeout 3 s) is skipped for RETRY_SECONDS: reports and
dashboards then read from the primary, as without a replica.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from core.logging import operations_log as log

REPLICA = "replica"
# A replica that does not answer is left alone this long: its reads go to the primary meanwhile.
RETRY_SECONDS = 30
_reading = ContextVar("reading_from_replica", default=False)
_down_since: list[float] = []


def replica_configured() -> bool:
    return REPLICA in connections.settings


def replica_answers() -> bool:
    """The replica is configured and answers; if not, its readers use the primary (and a log line says so)."""
    if not replica_configured() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return False  # inside a transaction of the primary every read stays there anyway
    connection = connections[REPLICA]
    if _same_database(connection.settings_dict, connections[DEFAULT_DB_ALIAS].settings_dict):
        return False  # a "replica" that is the primary itself, as the test database's mirror is
    if _down_since and time.monotonic() - _down_since[0] < RETRY_SECONDS:
        return False
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError as exc:
        if not _down_since:
            log.warning("service_down", extra={"service": "replica", "error": str(exc)[:300]})
        _down_since[:] = [time.monotonic()]
        return False
    if _down_since:
        log.warning("service_recovered", extra={"service": "replica"})
        _down_since.clear()
    return True


def _same_database(one: dict, other: dict) -> bool:
    return all(one.get(key) == other.get(key) for key in ("ENGINE", "HOST", "PORT", "NAME"))


@contextmanager
def reading_from_replica():
    """Reads of the block (outside a transaction of the primary) from the replica, if one is configured
    and answers; a replica that is down costs its readers nothing but the primary's time."""
    token = _reading.set(replica_answers())
    try:
        yield
    finally:
        _reading.reset(token)


def replica_reads(view):
    """A view whose reads come from the replica (the dashboards): `reading_from_replica()` around it."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        # The session and the user are loaded lazily: from the primary, before the block, so a
        # session opened a moment ago is found even if the replica has not replayed it yet.
        getattr(request.user, "pk", None)
        with reading_from_replica():
            return view(request, *args, **kwargs)
    return wrapped


def reads_from_replica() -> bool:
    """Whether a read made now would go to the replica (the figure cache keeps such figures shorter)."""
    return (_reading.get() and replica_configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block)


class ReplicaRouter:
    """DATABASE_ROUTERS entry, installed only when DATABASE_REPLICA_URL is set."""

    def db_for_read(self, model, **hints):
        return REPLICA if reads_from_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        # Always the primary, also for an object read from the replica (Django would otherwise
        # write it back where it came from).
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's WAL, schema included
