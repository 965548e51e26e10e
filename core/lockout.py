"""Login limits on top of django-axes, and the page shown while a login is locked.

Two limits, each over the cool-off period (AXES_COOLOFF_MINUTES):

- AXES_FAILURE_LIMIT failures for one username from one address (axes' own, AXES_LOCKOUT_PARAMETERS);
- AXES_ADDRESS_FAILURE_LIMIT failures from one address, whatever the usernames: without it one
  address could try four passwords against every account, period after period.

Axes compares one failure count with one limit, so `AXES_LOCKOUT_PARAMETERS = [[username, ip],
ip]` would lock an address after five failures across accounts (a school behind one NAT address
would lock itself out on a Monday morning), and a successful login would delete every attempt of
the address, so an attacker with one account of their own could reset the address count at will.
The handler below keeps axes' records and its per-login rule, and adds the address rule itself;
a success deletes only the records of that username.
"""

import datetime as dt
import ipaddress
import math

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.shortcuts import render
from django.utils import timezone


def client_address(request) -> str | None:
    """The client's address for the login limits (AXES_CLIENT_IP_CALLABLE).

    With TRUSTED_PROXY_COUNT = 0 (the portal faces the clients) it is REMOTE_ADDR. Behind N proxies
    that each append the address they saw to X-Forwarded-For (nginx: $proxy_add_x_forwarded_for),
    it is the N-th entry from the right: what the outermost proxy saw. Entries to the left of it
    come from the client and are never believed. Without this, every login behind nginx would come
    from nginx's address, and the per-address limit would lock the whole portal.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote  # the request did not pass all the proxies (a health check from inside, say)
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


class PortalLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with the per-address limit across usernames (AXES_HANDLER)."""

    def address_attempts(self, request) -> QuerySet:
        """The attempt records of the request's address within the cool-off, newest first."""
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return AccessAttempt.objects.none()
        return AccessAttempt.objects.filter(
            ip_address=address, attempt_time__gte=get_cool_off_threshold(request)).order_by("-attempt_time")

    def address_locked(self, request) -> bool:
        failures = self.address_attempts(request).aggregate(n=Sum("failures_since_start"))["n"] or 0
        return failures >= settings.AXES_ADDRESS_FAILURE_LIMIT

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The count axes compares with AXES_FAILURE_LIMIT, both for refusing a login and for
        locking after a failure: the username's failures from this address, raised to the limit
        while the address itself is over its own limit."""
        failures = super().get_failures(request, credentials)
        if self.address_locked(request):
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def lock_ends(self, request, credentials: dict | None = None) -> tuple[dt.datetime | None, bool]:
        """When the lock on this request ends, and whether it is the address's lock.

        A record counts while its last failure is within the cool-off, so a lock ends when enough
        of the newest records have aged out that the rest are under the limit.
        """
        cool_off = get_cool_off(request)
        limit = get_failure_limit(request, credentials)
        login_ends = [_end_of_lock(attempts.order_by("-attempt_time"), limit, cool_off)
                      for attempts in self.get_user_attempts(request, credentials)]
        login_end = max((end for end in login_ends if end is not None), default=None)
        address_end = _end_of_lock(self.address_attempts(request), settings.AXES_ADDRESS_FAILURE_LIMIT, cool_off)
        if address_end is not None and (login_end is None or address_end > login_end):
            return address_end, True
        return login_end, False


def _end_of_lock(attempts: QuerySet, limit: int, cool_off: dt.timedelta) -> dt.datetime | None:
    total = 0
    # Every record holds at least one failure, so `limit` records are enough to reach the limit.
    for attempt_time, failures in attempts.values_list("attempt_time", "failures_since_start")[:limit]:
        total += failures
        if total >= limit:
            return attempt_time + cool_off
    return None


def lockout_response(request, credentials=None, *args, **kwargs):
    """The Russian page of a locked login, with the real wait in whole minutes.

    Axes' own response would render AXES_LOCKOUT_TEMPLATE too, but only with the cool-off as a
    timedelta, which is the wait of a fresh per-login lock and not of an address lock.
    """
    ends, by_address = PortalLockoutHandler().lock_ends(request, credentials)
    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    if ends is not None:
        wait_minutes = max(1, math.ceil((ends - now).total_seconds() / 60))
    else:  # locked by a rule this page cannot see (a blacklist): the configured cool-off
        cool_off = get_cool_off(request)
        wait_minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "address_failure_limit": settings.AXES_ADDRESS_FAILURE_LIMIT,
        "by_address": by_address,
        "cooloff_minutes": wait_minutes,
    }
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)
