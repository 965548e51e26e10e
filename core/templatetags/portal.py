from importlib import import_module

from django import template
from django.urls import NoReverseMatch, reverse

from core.dates import format_date
from core.numbers import format_percent

register = template.Library()

# Each app lists its menu entries in `<app>/nav.py` as NAV = [NavLink(...), ...].
NAV_APPS = ["schools", "diagnostics", "routes", "methodics", "reports"]


@register.simple_tag(takes_context=True)
def nav_links(context):
    from schools.access import has_capability

    request = context["request"]
    links = []
    for app in NAV_APPS:
        try:
            module = import_module(f"{app}.nav")
        except ModuleNotFoundError:
            continue
        for link in module.NAV:
            if link.capabilities and not any(has_capability(request.user, c) for c in link.capabilities):
                continue
            if link.visible is not None and not link.visible(request.user):
                continue
            try:
                url = reverse(link.url_name)
            except NoReverseMatch:
                continue
            links.append({"label": link.label, "url": url, "active": False})
    # Only the most specific entry is active: /reports/registry/ lights «Реестр ИОМ», not «Отчеты».
    matching = [link for link in links if link["url"] != "/" and request.path.startswith(link["url"])]
    if matching:
        max(matching, key=lambda link: len(link["url"]))["active"] = True
    return links


@register.simple_tag(takes_context=True)
def page_query(context, number) -> str:
    """"?…&page=N": the query string of this page with another page number.

    Every key and value is URL-encoded (a key or value typed into the address bar cannot add
    parameters or break out of the attribute), a key given several times keeps all its values,
    and a CSRF token that came in the query string is not carried on into the links.
    """
    query = context["request"].GET.copy()
    query.pop("csrfmiddlewaretoken", None)
    query["page"] = number
    return "?" + query.urlencode()


@register.filter
def ru_date(value):
    """DD.MM.YYYY, the only date format users see."""
    return format_date(value)


@register.filter
def ru_percent(value):
    return format_percent(value)
