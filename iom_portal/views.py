from django.shortcuts import render

from core.attention import items_for
from schools.access import memberships_of


def home(request):
    """The home page: the user's roles and what needs their attention now."""
    return render(request, "home.html", {
        "memberships": memberships_of(request.user),
        "attention": items_for(request.user),
    })


def help_page(request):
    return render(request, "help.html", {"memberships": memberships_of(request.user)})
