from django import template
from django.urls import Resolver404, resolve, reverse

from core import access, words
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
        label = link.label_for(request.user) if link.label_for is not None else link.label
        links.append({"label": label, "url": reverse(link.url_name), "active": False,
                      "sections": {link.url_name, *link.sections}})
    # A page named as a section of an entry lights that entry (/reports/region/1/ is «Статистика»);
    # else only the most specific entry is active: /reports/registry/ lights «Реестр ИОМ», not «Отчеты».
    view_name = _view_name(request.path)
    matching = [link for link in links if view_name in link["sections"]] or [
        link for link in links if link["url"] != "/" and request.path.startswith(link["url"])]
    if matching:
        max(matching, key=lambda link: len(link["url"]))["active"] = True
    return links


def _view_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return ""


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


def _figure_context(value, part: str = "") -> tuple[int, int | None, str, str]:
    """(count, base, the number as shown, «count из base, period»), of the figure or of one of its parts."""
    if part:
        p = value.part(part)
        count, base = p.count, p.base
        shown = f"{format_percent(percent(count, base))} %" if base is not None and value.unit == "percent" else str(count)
    else:
        count, base, shown = value.count, value.base, value.shown
    basis_text = f"{count} из {base}, {value.period.label}" if base is not None else value.period.label
    return count, base, shown, basis_text


@register.simple_tag
def figure_text(value, part: str = "") -> str:
    """A figure in a document (PDF), where there is no tooltip: «47,6 % (20 из 42, 2025-2026 уч. г.)»."""
    _, _, shown, basis_text = _figure_context(value, part)
    return f"{shown} ({basis_text})"


@register.inclusion_tag("core/_figure.html")
def figure(value, basis: bool = False, part: str = ""):
    """One figure of the registry (core.figures.Value) as every page shows it: the number, its base and
    period in the tooltip (or beside it with basis=True), and «?» linking to its definition.

    `part` shows one part of a figure made of parts (a status, a bucket). The data-* attributes are what
    the consistency test reads (tests/reports/test_figures_consistency.py).
    """
    from core.figures import get

    definition = get(value.code).definition
    count, base, shown, basis_text = _figure_context(value, part)
    return {"code": value.code, "part": part, "count": count, "base": base, "shown": shown,
            "basis": basis_text, "show_basis": basis, "definition": definition, "name": value.name}


def _forms(forms: str) -> tuple[str, str, str]:
    one, few, many = (f.strip() for f in forms.split(","))
    return one, few, many


@register.filter
def plural(value, forms: str) -> str:
    """{{ n|plural:"год,года,лет" }} → the word that goes with n (core.words.plural)."""
    return words.plural(int(value), *_forms(forms))


@register.filter(name="count")
def count_filter(value, forms: str) -> str:
    """{{ n|count:"год,года,лет" }} → "21 год" (core.words.count)."""
    return words.count(int(value), *_forms(forms))


@register.simple_tag
def activity_title(kind, title, start: bool = False) -> str:
    """{% activity_title event.get_kind_display event.title %}: core.words.activity_title."""
    return words.activity_title(str(kind or ""), str(title or ""), start=start)


@register.filter
def position_label(staff) -> str:
    """{{ staff|position_label }}: the position with the subject it does not already name."""
    return words.position_label(staff.position, getattr(staff, "subject", ""))


@register.filter(name="quote")
def quote_filter(value) -> str:
    """{{ a.title|quote }} → «title», inner quotes as „“ (core.words.quote)."""
    return words.quote(str(value or ""))


@register.simple_tag
def position_text(position, subject="") -> str:
    """{% position_text card.position card.subject %}: core.words.position_label for a snapshot's values."""
    return words.position_label(str(position or ""), str(subject or ""))
