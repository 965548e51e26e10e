"""A request budget per token (API_RATE_PER_MINUTE; 429 with Retry-After beyond it).

The counts live in the cache (Redis in production). Redis down must not take the API down with it
(docs/operations.md: the portal works without Redis), so a cache that fails lets the request through.
"""

import logging

from rest_framework.throttling import SimpleRateThrottle

log = logging.getLogger(__name__)


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None  # no token: refused with 401 anyway
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # the cache backend's own errors (redis.ConnectionError, …)
            log.warning("API rate limit not checked, the cache failed: %s", type(exc).__name__)
            return True
