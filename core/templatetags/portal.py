from django import template
from django.urls import reverse

from core import access
from core.dates import format_date
from core.numbers import format_percent, percent
from core.registry import contributions

register = template.Library()

# Each app lists its menu entries in `<app>/nav.py` as NAV = [NavLink(...), ...] (core.registry).


@register.simple_tag(takes_context=True)
def nav_links(context, menu: str = "main"):
    request = context["request"]
    links = []
    for link in contributions("nav", "NAV"):
        if link.menu != menu:
            continue
        if link.capabilities and not any(access.has_capability(request.user, c) for c in link.capabilities):
            continue
        if link.visible is not None and not link.visible(request.user):
            continue
        links.append({"label": link.label, "url": reverse(link.url_name), "active": False})
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


@register.inclusion_tag("core/_figure.html")
def figure(value, basis: bool = False, part: str = ""):
    """One figure of the registry (core.figures.Value) as every page shows it: the number, its base and
    period in the tooltip (or beside it with basis=True), and «?» linking to its definition.

    `part` shows one part of a figure made of parts (a status, a bucket). The data-* attributes are what
    the consistency test reads (tests/reports/test_figures_consistency.py).
    """
    from core.figures import get

    definition = get(value.code).definition
    if part:
        p = value.part(part)
        count, base = p.count, p.base
        shown = f"{format_percent(percent(count, base))} %" if base is not None and value.unit == "percent" else str(count)
    else:
        count, base, shown = value.count, value.base, value.shown
    basis_text = f"{count} из {base}, {value.period.label}" if base is not None else value.period.label
    return {"code": value.code, "part": part, "count": count, "base": base, "shown": shown,
            "basis": basis_text, "show_basis": basis, "definition": definition, "name": value.name}
