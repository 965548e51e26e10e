from django.http import Http404
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from core.attention import items_for
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
