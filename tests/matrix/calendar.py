"""«Календарь сроков» (routes/calendar/urls.py): the page and its buttons belong to those who keep an ИОМ of
their own (route.own: teacher, deputy, director); the feed answers anyone, a calendar application has no
session, with a valid token and 404 for every other token (revoked, forged, malformed)."""

from django.urls import reverse
from django.utils import timezone

from routes.calendar.tokens import token_for
from routes.models import CalendarFeed, Route
from tests.matrix import Case, everyone

OWNERS = ("teacher", "deputy", "director")
OWN_ROUTES = everyone(403, **dict.fromkeys(OWNERS, 302))


def _feed(w, *, revoked: bool = False) -> CalendarFeed:
    """The teacher's link, read by their calendar a moment ago (so a read writes nothing: hourly at most)."""
    from tests.routes.factories import ActivityFactory, RouteFactory

    def build(w):
        route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
        ActivityFactory(route=route)
        now = timezone.now()
        return CalendarFeed.objects.create(user=w.user("teacher"), key=f"matrix-feed-key-{int(revoked)}".ljust(22, "x"),
                                           last_used_at=now, revoked_at=now if revoked else None)

    return w.obj(f"calendar_feed_{revoked}", build)


def _feed_url(w, *, revoked: bool = False, forge: bool = False) -> str:
    token = token_for(_feed(w, revoked=revoked).key)
    if forge:
        token = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    return reverse("calendar:feed", args=[token])


def _revoke_url(w) -> str:
    """Every owner has a link in force, so each accepted revoke has one to revoke."""
    w.obj("calendar_feeds_of_owners", lambda w: [
        CalendarFeed.objects.create(user=w.user(role), key=f"matrix-owner-{role}".ljust(22, "x")) for role in OWNERS])
    return reverse("calendar:revoke")


ANYONE = {role: 200 for role in everyone(200)}
NOBODY = {role: 404 for role in everyone(404)}

CASES = [
    Case("calendar:page", lambda w: reverse("calendar:page"), everyone(403, **dict.fromkeys(OWNERS, 200))),
    Case("calendar:create", lambda w: reverse("calendar:create"), OWN_ROUTES, method="post", touches=(CalendarFeed,)),
    Case("calendar:revoke", _revoke_url, OWN_ROUTES, method="post", touches=(CalendarFeed,)),
    Case("calendar:revoke", lambda w: reverse("calendar:revoke"), OWN_ROUTES, label="no link", method="post",
         noop="no link in force: the page says there is nothing to revoke"),
    Case("calendar:feed", _feed_url, ANYONE, public=True),
    Case("calendar:feed", lambda w: _feed_url(w, revoked=True), NOBODY, label="revoked", public=True),
    Case("calendar:feed", lambda w: _feed_url(w, forge=True), NOBODY, label="forged", public=True),
    Case("calendar:feed", lambda w: reverse("calendar:feed", args=["not-a-token"]), NOBODY, label="malformed",
         public=True),
]
