import time
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from core.links import request_base_url
from core.logging import log_security_event


class RequestBaseUrlMiddleware:
    """Records the scheme and host of the request being answered for core.links.absolute_url: the
    embedded default without PORTAL_BASE_URL writes its e-mail links with the address the user typed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_base_url(request):
            return self.get_response(request)


class SessionLifetimeMiddleware:
    """Ends a session after SESSION_IDLE_SECONDS without a request, and SESSION_COOKIE_AGE
    seconds after it began, however busy it was.

    Django's own expiry cannot give the absolute limit: every save of the session (and this
    middleware saves it to track idleness) pushes the expiry date forward. So the start of the
    session is kept in the session itself. Both limits are read from settings on each request
    (SESSION_IDLE_SECONDS and SESSION_COOKIE_AGE, set from the environment).

    Sessions of a deactivated user end at once without help from here: ModelBackend.get_user
    refuses inactive users, so the next request is anonymous. A password change ends the
    user's other sessions through the session auth hash Django checks on every request.
    """

    LAST_SEEN = "_last_seen"
    STARTED = "_started"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            started = session.get(self.STARTED)
            last_seen = session.get(self.LAST_SEEN, now)
            reason = None
            if started is not None and now - started > settings.SESSION_COOKIE_AGE:
                reason = "absolute"
            elif now - last_seen > settings.SESSION_IDLE_SECONDS:
                reason = "idle"
            if reason:
                log_security_event("session_expired", request, reason=reason)
                logout(request)
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={quote(request.get_full_path())}")
            if started is None:
                session[self.STARTED] = now
            # Write at most once a minute so that every request does not save the session.
            if now - last_seen > 60 or self.LAST_SEEN not in session:
                session[self.LAST_SEEN] = now
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


class SecurityAuditMiddleware:
    """Writes the security log of what every view does, so no app has to remember it:

    - refusals: 403 (PermissionDenied, CSRF), 404 (Http404, unknown URLs), 429 (axes lockout);
    - uploads: every file a view read from a POST (field, name, size, declared type);
    - exports: every response sent as an attachment (a download of personal data).

    It only records; the response is returned unchanged.
    """

    REFUSALS = {403: "refused", 404: "not_found", 429: "locked_out"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        if status in self.REFUSALS:
            kind, reason = getattr(request, "_iom_refusal", ("", ""))
            extra = {}
            if status == 429:  # axes keeps the attempted credentials: only the username is logged
                extra["username"] = str((getattr(request, "axes_credentials", None) or {}).get("username", ""))[:150]
            log_security_event(self.REFUSALS[status], request, status=status, method=request.method,
                               exception=kind, reason=reason, **extra)
        # Files a view actually parsed; the body is not parsed here for views that ignored it.
        files = getattr(request, "_files", None)
        logged = getattr(request, "_iom_logged_events", set())
        if files and "upload" not in logged:
            for field_name, upload in files.items():
                log_security_event("upload", request, status=status, field=field_name,
                                   file_name=(upload.name or "")[:255], size=upload.size,
                                   content_type=(upload.content_type or "")[:100])
        disposition = response.get("Content-Disposition", "")
        if disposition.startswith("attachment") and "export" not in logged:
            log_security_event("export", request, status=status, disposition=disposition[:300],
                               content_type=response.get("Content-Type", "")[:100])
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, (PermissionDenied, Http404)):
            request._iom_refusal = (type(exception).__name__, str(exception)[:300])
        return None


class OutOfRangeIdMiddleware:
    """An id too large for the database (an OverflowError where SQLite binds it) answers 404.

    Ids typed by users are parsed by core.ids.parse_id where the code knows them; this is the net
    for the rest: a number no row can have names nothing, as a missing row does. The refusal goes
    to the security log with the exception's name, so each case shows up and can be fixed where
    it arose.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OverflowError):
            return None
        request._iom_refusal = (type(exception).__name__, str(exception)[:300])
        return response_for_exception(request, Http404("Такой записи нет."))


class MethodNotAllowedPageMiddleware:
    """A 405 (a GET on a POST-only action: a bookmarked or reloaded button) gets the portal's page.

    `require_POST` answers with an empty body, which a browser shows as a blank page; the page says
    in Russian that the action is taken with its button and offers a way back. htmx requests keep
    the bare answer (nothing is swapped in for a 4xx).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.headers.get("HX-Request"):
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page
