"""Services the portal can live without for a while: Redis (figure cache, Celery broker) and the
mail server. A failure is logged once, not per request, and the service is not asked again for a
few seconds, so a request during an outage costs no connection attempt at all.

    if redis_cache.is_down():
        ...compute afresh...
    try:
        ...
    except RedisError as exc:
        redis_cache.failed(exc)
    else:
        redis_cache.succeeded()

The state is per process (each gunicorn and Celery worker process finds the outage by itself);
races between threads only cost one more attempt or one more log line.
"""

import logging
import time

from core.logging import operations_log

RETRY_AFTER_SECONDS = 5.0  # an outage is probed again after this long
LOG_EVERY_SECONDS = 60.0  # while it lasts, one "still down" line per minute


class Breaker:
    def __init__(self, service: str, retry_after: float = RETRY_AFTER_SECONDS, log_every: float = LOG_EVERY_SECONDS):
        self.service = service
        self.retry_after = retry_after
        self.log_every = log_every
        self.down_since: float | None = None
        self._probe_at = 0.0
        self._logged_at = 0.0
        self.failures = 0

    def is_down(self) -> bool:
        """True while a recent failure says not to try yet; the first call after the pause probes again."""
        return self.down_since is not None and time.monotonic() < self._probe_at

    def failed(self, exc: BaseException) -> None:
        now = time.monotonic()
        self.failures += 1
        self._probe_at = now + self.retry_after
        if self.down_since is None:
            self.down_since = now
            self._logged_at = now
            operations_log.warning("service_down", extra={"service": self.service, "error": _short(exc)})
        elif now - self._logged_at >= self.log_every:
            self._logged_at = now
            operations_log.warning("service_still_down", extra={
                "service": self.service, "error": _short(exc), "failures": self.failures,
                "seconds": round(now - self.down_since)})

    def succeeded(self) -> bool:
        """Record a success; True if it ends an outage (the caller may have things to catch up on)."""
        if self.down_since is None:
            return False
        seconds = round(time.monotonic() - self.down_since)
        operations_log.log(logging.WARNING, "service_recovered", extra={
            "service": self.service, "failures": self.failures, "seconds": seconds})
        self.down_since, self.failures = None, 0
        return True

    def reset(self) -> None:
        """Forget any outage (tests, and a settings change that points the service elsewhere)."""
        self.down_since, self.failures, self._probe_at = None, 0, 0.0


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


redis_cache = Breaker("redis-cache")
broker = Breaker("celery-broker")


def reset_all() -> None:
    for breaker in (redis_cache, broker):
        breaker.reset()
