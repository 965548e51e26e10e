import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse


class SessionLifetimeMiddleware:
    """Ends a session after SESSION_IDLE_SECONDS without a request.

    The absolute limit is SESSION_COOKIE_AGE (the cookie is not refreshed on each request).
    A deactivated user is logged out by AuthenticationMiddleware already (is_active check in
    ModelBackend.get_user), so nothing more is needed for that here.
    """

    KEY = "_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(self.KEY, now)
            if now - last_seen > settings.SESSION_IDLE_SECONDS:
                logout(request)
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            # Write at most once a minute so that every request does not save the session.
            if now - last_seen > 60 or self.KEY not in request.session:
                request.session[self.KEY] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages of a logged-in user carry personal data: no cache may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            if not request.path.startswith(settings.STATIC_URL):
                response["Cache-Control"] = "no-store"
        return response
