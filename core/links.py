"""Links: the portal's own absolute addresses, and links typed by users with the checks that keep
them from leading anywhere but a web site.

A link that leaves the portal (an e-mail, a calendar feed) is `absolute_url(path)`: PORTAL_BASE_URL,
which production must set (iom_portal/settings.py); in the embedded default without it, the scheme and
host of the request being answered (RequestBaseUrlMiddleware records it), or http://127.0.0.1:8000
outside a request (a task, a command).

An evidence link is shown to reviewers and opened by them: it must be an absolute http(s) address
with a host, never `ftp:`, `javascript:` or a scheme-relative `//host`. A redirect the portal
makes on its own (a notification) must stay on the portal: a local path only.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

EMBEDDED_BASE_URL = "http://127.0.0.1:8000"  # where `make run` serves the embedded default
_request_base_url: ContextVar[str] = ContextVar("iom_request_base_url", default="")

WEB_SCHEMES = ["http", "https"]
NOT_A_WEB_URL = "Укажите адрес сайта целиком, начиная с http:// или https://."

web_url_validator = URLValidator(schemes=WEB_SCHEMES, message=NOT_A_WEB_URL)


class WebLinkField(forms.URLField):
    """A URL field that accepts only an absolute http(s) address (Django's URLField also takes ftp)."""

    default_validators = [web_url_validator]
    default_error_messages = {"invalid": NOT_A_WEB_URL}

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")  # "school.ru/page" is read as https://school.ru/page
        super().__init__(**kwargs)

    def to_python(self, value):
        # A scheme-relative "//host/…" is refused rather than completed: it is how a link is written
        # to hide where it leads (and a browser would follow it with the page's own scheme).
        if isinstance(value, str) and value.strip().replace("\\", "/").startswith("//"):
            raise ValidationError(NOT_A_WEB_URL, code="invalid")
        return super().to_python(value)


def is_web_url(url: str) -> bool:
    """An absolute http(s) address with a host, as web_url_validator accepts it."""
    try:
        web_url_validator(url)
    except ValidationError:
        return False
    return True


def shown_host(url: str) -> str:
    """The host a web address leads to, as a person should read it: an internationalised name is
    followed by its ASCII form, so a look-alike letter from another alphabet shows itself."""
    host = urlsplit(url).hostname or ""
    if host.isascii():
        return host
    try:
        return f"{host} ({host.encode('idna').decode('ascii')})"
    except UnicodeError:
        return host


def portal_base_url() -> str:
    """"https://iom.example.ru": PORTAL_BASE_URL, else this request's scheme and host, else the embedded one."""
    return settings.PORTAL_BASE_URL or _request_base_url.get() or EMBEDDED_BASE_URL


def absolute_url(path: str) -> str:
    """The portal's page at `path` ("/routes/5/") as an address that works outside it (e-mail, calendar)."""
    if not is_local_path(path):
        raise ValueError(f"absolute_url takes a path on the portal, got {path!r}")
    return portal_base_url() + path


@contextmanager
def request_base_url(request) -> Iterator[None]:
    """While answering `request`, links without PORTAL_BASE_URL use its scheme and host.

    get_host() is the Host header checked against ALLOWED_HOSTS, so a forged host never gets here.
    """
    token = _request_base_url.set(f"{request.scheme}://{request.get_host()}")
    try:
        yield
    finally:
        _request_base_url.reset(token)


def is_portal_url(url: str, request) -> bool:
    """The address points at the portal itself (the host of this request or PORTAL_BASE_URL)."""
    hosts = {request.get_host()} | ({urlsplit(settings.PORTAL_BASE_URL).netloc} if settings.PORTAL_BASE_URL else set())
    return is_web_url(url) and url_has_allowed_host_and_scheme(url, allowed_hosts=hosts)


def external_link_page(request, url: str, *, about: str, back_url: str, back_label: str) -> HttpResponse:
    """The answer to opening a stored link (an evidence, a catalog resource).

    A link to the portal itself is followed. Any other web address gets the page «Вы переходите на
    внешний сайт» naming the site, with the address to follow; anything else (ftp:, javascript:,
    //another-host, stored before the validators) is shown as text only. Never a redirect to a
    stored address: it would hide where the user goes. `about` says what the link belongs to.
    """
    if is_portal_url(url, request):
        return redirect(url)
    web = is_web_url(url)
    return render(request, "core/external_link.html", {
        "stored": url, "url": url if web else "", "host": shown_host(url) if web else "",
        "about": about, "back_url": back_url, "back_label": back_label,
    })


def is_local_path(url: str) -> bool:
    """A path on this site ("/routes/5/"): no scheme, no host, not the scheme-relative "//host"."""
    return bool(url) and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=set())
