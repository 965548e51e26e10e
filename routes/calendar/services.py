"""Writes of the deadline calendar: a user makes their link, revokes it, and a calendar reading it is noted."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.logging import log_security_event
from routes.calendar.tokens import new_key
from routes.models import CalendarFeed
from schools.access import has_capability

# A calendar application reads the feed every few hours; noting each read would write a row every time.
LAST_USED_EVERY = dt.timedelta(hours=1)


class CalendarError(DomainError):
    pass


def _require_own_routes(actor) -> None:
    if not has_capability(actor, "route.own"):
        raise PermissionDenied("Календарь сроков есть у тех, кто ведет свой ИОМ.")


def _revoke_active(actor, now: dt.datetime) -> CalendarFeed | None:
    feed = CalendarFeed.objects.select_for_update().filter(user=actor, revoked_at__isnull=True).first()
    if feed is not None:
        feed.revoked_at = now
        feed.save(update_fields=["revoked_at"])
        log_security_event("calendar_feed_revoked", user_id=actor.pk, feed_id=feed.pk)
    return feed


@transaction.atomic
def calendar_feed_create(*, actor) -> CalendarFeed:
    """A new link for the actor; the one in force before, if any, stops working (its address answers 404)."""
    _require_own_routes(actor)
    _revoke_active(actor, timezone.now())
    feed = CalendarFeed.objects.create(user=actor, key=new_key())
    log_security_event("calendar_feed_created", user_id=actor.pk, feed_id=feed.pk)
    return feed


@transaction.atomic
def calendar_feed_revoke(*, actor) -> CalendarFeed:
    """The actor's link stops working: calendars subscribed to it get 404 and keep what they last read."""
    _require_own_routes(actor)
    feed = _revoke_active(actor, timezone.now())
    if feed is None:
        raise CalendarError("Действующей ссылки нет: отзывать нечего.")
    return feed


def calendar_feed_read(*, feed: CalendarFeed, request) -> None:
    """A calendar read the feed: noted at most once an hour (the page shows it; the security log has the
    address it came from, to tell a leaked link read from many places)."""
    now = timezone.now()
    if feed.last_used_at is not None and now - feed.last_used_at < LAST_USED_EVERY:
        return
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    feed.last_used_at = now
    log_security_event("calendar_feed_read", request, owner_id=feed.user_id, feed_id=feed.pk,
                       agent=request.headers.get("User-Agent", "")[:200])
