import sys

from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

from core.attention import items_for
from core.storage import is_unavailable as storage_unavailable
from iom_portal.guides import BY_SLUG, GUIDES, guides_for
from schools.access import memberships_of, roles_of


def home(request):
    """The home page: the user's roles and what needs their attention now."""
    return render(request, "home.html", {
        "memberships": memberships_of(request.user),
        "attention": items_for(request.user),
    })


def help_page(request):
    return render(request, "help.html", {"guides": guides_for(roles_of(request.user))})


def help_guide(request, slug: str):
    guide = BY_SLUG.get(slug)
    if guide is None:
        raise Http404("Такого руководства нет.")
    return render(request, "help/_guide.html", {"guide": guide, "guides": GUIDES})


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a form sent with a stale or missing token (a page left open past the
    session, a form sent twice, cookies refused) gets the portal's Russian page, not Django's
    English one. The back link is the page the form came from when that page is ours."""
    request._iom_refusal = ("CsrfViewMiddleware", reason[:300])  # core.middleware.SecurityAuditMiddleware logs it
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = ""
    return render(request, "csrf_failure.html", {"back": back}, status=403)


def server_error(request):
    """handler500. The database unreachable (a PostgreSQL restart, a dropped connection) is not an
    error of the page: the portal's Russian 503 page, in its layout, asks to try again in a minute.

    It is rendered without touching the database again: no user (the session is in the database),
    no messages, no menu. The file storage away (a download while the disk or the S3 bucket does not
    answer) is a 503 page of its own. Anything else keeps the plain 500 page."""
    exc = sys.exc_info()[1]
    if isinstance(exc, (OperationalError, InterfaceError)):
        request.user = AnonymousUser()
        # the session's messages would read the database: only the cookie's are shown (none, usually)
        request._messages = CookieStorage(request)
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "30"
        return response
    if exc is not None and storage_unavailable(exc):
        # the file storage (the media folder or the S3 bucket) is away: the file is not lost, try later
        response = render(request, "core/storage_unavailable.html", status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
