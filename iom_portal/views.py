from django.http import Http404
from django.shortcuts import render

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
