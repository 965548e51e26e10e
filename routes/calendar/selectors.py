"""Reads of the deadline calendar: a user's link, the feed a token opens, and what the feed holds.

A feed holds the user's own routes only (Route.person.user), the same rows «Мой ИОМ» lists, in the
states where the plan is approved and its activities are being done (FEED_STATUSES): a draft's dates
may still change, and once results are submitted, completed, archived or withdrawn, nothing is due.
Deputies and directors get their own routes' deadlines the same way; the model has no deadline for a
review (docs/spec/workflow.md: reviews wait in the queue, reminded by routes/tasks.py), so none is shown.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from routes.calendar.tokens import signature_matches, split_token
from routes.models import CalendarFeed, RoadmapActivity, Route
from schools.models import StaffMember

FEED_STATUSES = (Route.Status.AWAITING_CREDIT, Route.Status.IN_PROGRESS)


def active_feed_of(user) -> CalendarFeed | None:
    """The user's link in force, if any."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def last_revoked_feed_of(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=False).order_by("-revoked_at").first()


@dataclass(frozen=True)
class FeedLookup:
    feed: CalendarFeed | None
    refusal: str = ""  # why there is no feed, for the security log: malformed, unknown, revoked, inactive


def feed_for_token(token: str) -> FeedLookup:
    """The feed a token from an address opens. The signature is checked (in constant time) whether or not
    the key exists, so an unknown key answers as slowly as a wrong signature."""
    parts = split_token(token)
    if parts is None:
        return FeedLookup(None, "malformed")
    key, signature = parts
    feed = CalendarFeed.objects.select_related("user").filter(key=key).first()
    if not signature_matches(key, signature) or feed is None:
        return FeedLookup(None, "unknown")
    if feed.revoked_at is not None:
        return FeedLookup(None, "revoked")
    if not feed.user.is_active:
        return FeedLookup(None, "inactive")
    return FeedLookup(feed)


def feed_routes(user) -> QuerySet[Route]:
    """The user's routes in FEED_STATUSES, each with its activities not done yet (deadline order) and its
    organisation's region (the local date decides what is overdue)."""
    pending = RoadmapActivity.objects.filter(is_done=False).select_related("group", "kind").order_by("deadline", "pk")
    return (Route.objects.filter(person__user=user, status__in=FEED_STATUSES)
            .select_related("person", "organisation__municipality__region")
            .prefetch_related(Prefetch("activities", queryset=pending, to_attr="pending_activities"))
            .order_by("-academic_year", "pk"))


def owner_name(user) -> str:
    """The feed's owner as the calendar names them: the full name of their staff record, else the account's."""
    records = StaffMember.objects.filter(user=user).order_by("-pk")
    person = records.exclude(status=StaffMember.Status.DISMISSED).first() or records.first()
    if person is not None and person.full_name:
        return person.full_name
    return user.get_full_name() or user.get_username()
