"""«Календарь сроков»: the page of one's subscription link, and the feed a calendar application reads."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_POST

from core.forms import run_service
from core.links import absolute_url
from routes.calendar import selectors, services
from routes.calendar.ics import feed_events, render_feed
from routes.calendar.tokens import token_for
from schools.access import capability_required

UPCOMING_SHOWN = 5


def feed_address(feed) -> str:
    return absolute_url(reverse("calendar:feed", args=[token_for(feed.key)]))


@capability_required("route.own")
def calendar_page(request):
    feed = selectors.active_feed_of(request.user)
    events = feed_events(request.user)
    today = timezone.localdate()  # the user's own day (their region's zone, schools.middleware)
    overdue = [event for event in events if event.overdue]
    address = feed_address(feed) if feed else ""
    return render(request, "routes/calendar/calendar.html", {
        "feed": feed,
        "address": address,
        "webcal": address.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1),
        "revoked": None if feed else selectors.last_revoked_feed_of(request.user),
        "events_count": len(events),
        "upcoming": [event for event in events if event.day >= today][:UPCOMING_SHOWN],
        "overdue": overdue[:UPCOMING_SHOWN],
        "overdue_count": len(overdue),
    })


@require_POST
@capability_required("route.own")
def calendar_create(request):
    replaced = selectors.active_feed_of(request.user) is not None
    message = ("Создана новая ссылка. Старая больше не работает: замените ее в календарях, где она была."
               if replaced else "Ссылка создана. Скопируйте ее и добавьте в свой календарь.")
    return run_service(request, lambda: services.calendar_feed_create(actor=request.user),
                       success_message=message, redirect_to="calendar:page") or redirect("calendar:page")


@require_POST
@capability_required("route.own")
def calendar_revoke(request):
    return run_service(request, lambda: services.calendar_feed_revoke(actor=request.user),
                       success_message="Ссылка отозвана: календари, подписанные на нее, больше не получат сроки.",
                       redirect_to="calendar:page") or redirect("calendar:page")


@login_not_required  # a calendar application has no session: the secret address is its key
@require_GET
@sensitive_variables("token")
def calendar_feed(request, token: str):
    lookup = selectors.feed_for_token(token)
    if lookup.feed is None:
        # core.middleware.SecurityAuditMiddleware logs the 404 with this reason; the path is masked
        # (core.logging.redact_path). Every refusal looks the same from outside.
        raise Http404(f"calendar feed: {lookup.refusal}")
    services.calendar_feed_read(feed=lookup.feed, request=request)
    response = HttpResponse(render_feed(lookup.feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="iom-sroki.ics"'
    response["Cache-Control"] = "private, no-store"  # personal data: no shared cache keeps it
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
