"""Dashboard figures kept in the cache (Redis in production), invalidated on writes.

Every municipality has a version number in the cache. A cached figure's key contains the
versions of all municipalities of its scope, so a write anywhere in the scope makes the old
entry unreachable at once (it then expires by itself): no list of keys to delete, no stale
figure after a write, and one round trip (get_many) to read the versions of a region.

    figures = cached_figure("coverage", municipality_ids, (tuple(years),),
                            lambda: coverage_table(organisations, years))

Writes call `bump_on_commit(municipality_id, …)` (or `schools.cache.bump_organisations_on_commit` with
organisation ids) inside their transaction. The versions move at once (a reader inside the
same transaction, a test in one transaction, never gets the figure from before the write) and
again when it commits, so a reader that computed the old figure while the write was still
uncommitted cannot have cached it under the version that follows the write. A rolled-back
write only costs a recomputation.

Redis may be down (docs/operations.md): then every figure is computed afresh, nothing is kept,
and no cache error ever reaches a request or a write (core/outages.py logs the outage once and
keeps requests from even trying for a few seconds). A bump that could not be made is not
forgotten: this process moves the global version as soon as Redis answers again, so a figure
kept from before the outage (Redis persists to disk) is not served after a write it missed.
"""

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from redis.exceptions import RedisError

from core.db_router import reads_from_replica
from core.outages import redis_cache

PREFIX = "figures"
DEFAULT_TIMEOUT = 15 * 60  # a safety net: versions, not time, keep figures fresh
REPLICA_TIMEOUT = 30  # figures computed on the read replica (core/db_router.py)


def _version_key(municipality_id: int) -> str:
    return f"{PREFIX}:v:{municipality_id}"


ALL_KEY = f"{PREFIX}:v:all"  # moved by writes too wide to name municipalities (a committed import)
_missed_bumps = False  # a bump failed in this process: move ALL_KEY once Redis answers again


class CacheUnavailable(Exception):
    """Redis did not answer (or answered recently that it is down): compute afresh."""


def _call(operation: Callable, *args):
    """One cache operation, or CacheUnavailable; catches up on missed bumps once Redis is back."""
    global _missed_bumps
    if redis_cache.is_down():
        raise CacheUnavailable
    try:
        if _missed_bumps:  # before the operation: a read right after the outage already sees it
            _raw_incr(ALL_KEY)
            _missed_bumps = False
        result = operation(*args)
    except (RedisError, OSError) as exc:
        redis_cache.failed(exc)
        raise CacheUnavailable from exc
    redis_cache.succeeded()
    return result


def versions(municipality_ids: Iterable[int]) -> dict[int | str, int]:
    """The versions of these municipalities and the global one ("all"), in one round trip."""
    ids = sorted({int(m) for m in municipality_ids})
    found = _call(cache.get_many, [ALL_KEY, *(_version_key(m) for m in ids)])
    scope: dict[int | str, int] = {m: found.get(_version_key(m), 0) for m in ids}
    scope["all"] = found.get(ALL_KEY, 0)
    return scope


def figure_key(name: str, municipality_ids: Iterable[int], params: tuple = ()) -> str:
    scope = versions(municipality_ids)
    raw = repr((name, params, sorted(scope.items(), key=lambda item: str(item[0]))))
    return f"{PREFIX}:{name}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def cached_figure(name: str, municipality_ids: Iterable[int], params: tuple, compute: Callable[[], object],
                  timeout: int = DEFAULT_TIMEOUT):
    """The figure from the cache if no municipality of the scope changed since, else computed and kept.

    Without Redis the figure is computed and not kept; without the versions it is not even
    looked up (a key made of unknown versions could find a figure from before a write).
    """
    try:
        key = figure_key(name, municipality_ids, params)
        value = _call(cache.get, key)
    except CacheUnavailable:
        return compute()
    if value is None:
        value = compute()
        if reads_from_replica():
            # Computed on a replica that may not have replayed the write that moved the version yet:
            # kept briefly, so a figure that lagged cannot outlive the lag for long.
            timeout = min(timeout, REPLICA_TIMEOUT)
        try:
            _call(cache.set, key, value, timeout)
        except CacheUnavailable:
            pass  # the figure is right, only not kept: the next visit computes it again
    return value


def _raw_incr(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # no version yet: start above the implicit 0
        cache.add(key, 1, None)
        if cache.get(key) is None:
            cache.set(key, 1, None)


def _incr(key: str) -> None:
    """Move a version; never raises: a write must not fail because the cache is down."""
    global _missed_bumps
    try:
        _call(_raw_incr, key)
    except CacheUnavailable:
        _missed_bumps = True


def bump(*municipality_ids: int) -> None:
    """Invalidate every cached figure whose scope contains one of these municipalities."""
    for m in {int(m) for m in municipality_ids if m is not None}:
        _incr(_version_key(m))


def bump_all_on_commit() -> None:
    """Invalidate every cached figure, now and when the transaction commits (a committed import)."""
    _incr(ALL_KEY)
    transaction.on_commit(lambda: _incr(ALL_KEY))


def bump_on_commit(*municipality_ids: int) -> None:
    ids = [m for m in municipality_ids if m is not None]
    if not ids:
        return
    bump(*ids)
    transaction.on_commit(lambda: bump(*ids))
